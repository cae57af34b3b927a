// npm run seed: resets the till's data folder (the one `npm start` uses, or --data DIR) to the demo
// catalogue and users. Extra arguments go to `serverokey seed` (e.g. --yes).
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultDataDir } from './data-dir.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
if (!args.includes('--data')) args.push('--data', defaultDataDir());
const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'server/cli.ts'), 'seed', path.join(root, 'apps/kassa'), ...args], {
  stdio: 'inherit',
  cwd: root,
});
child.on('exit', (code) => process.exit(code ?? 1));
