// npm test: every *.test.ts under test/ (Node 20's runner neither expands globs nor finds .ts files itself).
// `npm test -- unit` limits the run to paths containing "unit".
//
// A run never hangs: a test or hook that takes longer than TEST_TIMEOUT_MS fails with its name, a test file
// whose tests are done but which leaves a handle open (a socket, a timer, a child process) is ended
// (--test-force-exit), and a run still going after RUN_TIMEOUT_MS prints every process it started (so the
// test file, and what that file started, can be named) and is stopped with a failure.
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

/** One test or hook; the slowest pass in well under a minute on a busy 2-core machine. */
const TEST_TIMEOUT_MS = Number(process.env.TEST_TIMEOUT_MS ?? 10 * 60_000);
/** The whole run; it takes 3–6 minutes on the 2-core machine CI uses, whose limit is 90 minutes. */
const RUN_TIMEOUT_MS = Number(process.env.TEST_RUN_TIMEOUT_MS ?? 40 * 60_000);

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' || entry.name === 'node_modules' ? [] : find(full);
    return entry.name.endsWith('.test.ts') ? [full] : [];
  });
}

/** `ps` lines of every process below `root` (the test files, and the hosts, browsers and servers they started). */
function processTree(root) {
  let table;
  try {
    table = execFileSync('ps', ['-eo', 'pid=,ppid=,etimes=,args='], { encoding: 'utf8' });
  } catch {
    return ['(ps is not available here)'];
  }
  const rows = table
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter(Boolean)
    .map(([, pid, ppid, seconds, args]) => ({ pid: Number(pid), ppid: Number(ppid), seconds: Number(seconds), args }));
  const lines = [];
  const walk = (pid, depth) => {
    for (const row of rows.filter((r) => r.ppid === pid)) {
      lines.push(`${'  '.repeat(depth)}${row.pid} (${row.seconds} s) ${row.args.slice(0, 300)}`);
      walk(row.pid, depth + 1);
    }
  };
  walk(root, 0);
  return lines;
}

const filters = process.argv.slice(2);
const files = find('test')
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(' ')}`);
  process.exit(1);
}
const args = ['--import', 'tsx', '--test', '--test-concurrency=2', `--test-timeout=${TEST_TIMEOUT_MS}`, '--test-force-exit', ...files];
// its own process group, so that a stopped run takes everything it started with it
const child = spawn(process.execPath, args, { stdio: 'inherit', detached: true });
const stopAll = (signal) => {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
};
const watchdog = setTimeout(() => {
  console.error(`\nnpm test: still running after ${Math.round(RUN_TIMEOUT_MS / 1000)} s; these processes are left (test files first):`);
  for (const line of processTree(child.pid)) console.error(`  ${line}`);
  console.error('npm test: stopping the run (TEST_RUN_TIMEOUT_MS sets this limit)');
  stopAll('SIGKILL');
}, RUN_TIMEOUT_MS);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stopAll(signal));
child.on('exit', (code, signal) => {
  clearTimeout(watchdog);
  // anything a test file left running (a host process, a browser) goes with the run
  stopAll('SIGKILL');
  process.exit(code ?? (signal ? 1 : 0));
});
