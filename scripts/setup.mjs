// npm run setup: the one set-up command (README, and CI's .ci/run). First the Debian packages the tests and
// `npm start` without Electron need, then npm install (which builds through `prepare`). Plain Node with no
// dependencies, so it runs on a fresh clone before node_modules exist.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineProbes, parseSetupArgs, setUpSystemPackages, SETUP_HELP } from './system-packages.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (line) => console.log(`[setup] ${line}`);

/** npm install with the npm that runs this script when there is one (npm run sets npm_execpath). */
function npmInstall() {
  const npmCli = process.env.npm_execpath;
  const result =
    npmCli && /\.c?js$/.test(npmCli)
      ? spawnSync(process.execPath, [npmCli, 'install'], { cwd: root, stdio: 'inherit' })
      : spawnSync('npm', ['install'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
  if (result.error) say(`npm install could not start: ${result.error.message}`);
  return result.status ?? 1;
}

let options;
try {
  options = parseSetupArgs(process.argv.slice(2));
} catch (error) {
  console.error(`[setup] ${error instanceof Error ? error.message : error}\n\n${SETUP_HELP}`);
  process.exit(2);
}
if (options.help) {
  console.log(SETUP_HELP);
  process.exit(0);
}

const system = setUpSystemPackages({ check: options.check, required: options.system }, machineProbes(say));
if (options.system) process.exit(system.exitCode);

if (options.check) {
  const state = existsSync(path.join(root, 'node_modules')) ? 'node_modules exists: it would be brought up to date' : 'no node_modules yet';
  say(`would run: npm install (${state}), which then builds through prepare`);
  process.exit(system.exitCode);
}

say('running: npm install (the npm dependencies, then the build through prepare)');
const npmStatus = npmInstall();
if (npmStatus !== 0) say(`npm install failed (exit code ${npmStatus})`);
else say(system.exitCode === 0 ? 'set-up done' : 'npm part done; the system packages above were not all installed');
process.exit(npmStatus || system.exitCode);
