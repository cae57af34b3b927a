// npm run test:stress: the whole suite twice at the same time, for tests that pass only on an idle machine.
// Each run is `npm test` (scripts/test.mjs, two test files at a time), so four test files run at once on
// this project's 2-core machines; arguments are passed on (`npm run test:stress -- e2e`). Each run's output
// goes to its own log file (printed at the end), and the exit code is non-zero when either run failed.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = 2;
const logDir = await mkdtemp(path.join(os.tmpdir(), 'sok-stress-'));

function run(index) {
  const log = path.join(logDir, `run-${index + 1}.log`);
  const out = createWriteStream(log);
  const started = Date.now();
  const child = spawn(process.execPath, [path.join(root, 'scripts', 'test.mjs'), ...process.argv.slice(2)], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      out.end(() => resolve({ index, log, ok: code === 0, code: code ?? signal, seconds: Math.round((Date.now() - started) / 1000) }));
    });
  });
}

console.log(`running the suite ${RUNS} times at once; logs in ${logDir}`);
const results = await Promise.all(Array.from({ length: RUNS }, (_, index) => run(index)));
for (const result of results) {
  console.log(`run ${result.index + 1}: ${result.ok ? 'passed' : `FAILED (exit ${result.code})`} in ${result.seconds} s — ${result.log}`);
}
process.exit(results.every((result) => result.ok) ? 0 : 1);
