// `npm run bench` runs every benchmark in turn (a few minutes); `npm run bench -- <name> [<name>...]
// [flags]` runs the named ones. Each benchmark runs in its own process, prints the machine's facts and its
// tables, and appends a dated section to bench/RESULTS.md. `npm run bench -- list` shows the names.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { FLAG_HELP, parseFlags } from './lib/flags.js';
import { benchDir, projectRoot, Report } from './lib/results.js';
import { prepareBuild } from './lib/servers.js';

interface Benchmark {
  name: string;
  file: string;
  what: string;
  /** expected seconds with default flags; the run is stopped at 3× this (plus any --write-seconds) */
  seconds: number;
  /** a script that only prints: its output is recorded here */
  recordOutput?: boolean;
}

const BENCHMARKS: Benchmark[] = [
  { name: 'actions', file: 'actions.bench.ts', seconds: 70, what: 'addItem and soft refresh at c = 1 / 8 / 32, engine vs baseline, lost-update check' },
  { name: 'fanout', file: 'fanout.bench.ts', seconds: 30, what: 'event delivery to 10 / 100 / 300 subscribers and the refresh storm, engine vs baseline' },
  { name: 'coldstart', file: 'coldstart.bench.ts', seconds: 20, what: 'launch of the built host to its first page (first start and restart), vs baseline' },
  { name: 'memory', file: 'memory.bench.ts', seconds: 100, what: 'RSS idle, at 300 subscribers, over a sustained write run (--write-seconds, default 60); stalls' },
  { name: 'growth', file: 'growth.bench.ts', seconds: 30, what: 'sale-cycle latency with 0 / 10 k / 100 k sales in the journal' },
  { name: 'backup', file: 'backup.bench.ts', seconds: 40, what: 'backing up a 100,000-sale journal while the till sells: backup time, p99 of actions meanwhile' },
  { name: 'runner', file: 'runner.bench.ts', seconds: 25, what: 'durable read-modify-write actions/s on a 100-line receipt, alone and beside a 10 MB connector' },
  { name: 'render', file: 'render.bench.ts', seconds: 8, what: 'rendering a 100-line receipt component, engine vs template string' },
  { name: 'store', file: 'store.bench.ts', seconds: 20, recordOutput: true, what: 'the store alone: durable commits and journal appends (prints a table)' },
  { name: 'postgres', file: 'postgres.bench.ts', seconds: 400, what: 'lowdb host vs PostgreSQL host vs two PostgreSQL hosts: writes, reads, event delivery; a 50,000-product catalogue: lookup, page, sale, RSS (interleaved)' },
  { name: 'soak-kill', file: 'soak-kill.bench.ts', seconds: 30, what: 'kill -9 during write streams: no acknowledged write lost' },
  { name: 'soak-flood', file: 'soak-flood.bench.ts', seconds: 30, what: '1,000 WebSocket connections sending garbage: the host keeps serving' },
  { name: 'shop', file: 'shop.bench.ts', seconds: 320, what: '20 tills (own identities, loopback) each selling every 2 s, their customer displays and a manager dashboard: action p99, every event delivered, memory (--seconds, default 300)' },
  { name: 'scale', file: 'scale.bench.ts', seconds: 60, what: 'addItem with 5 vs 50,000 products (interleaved), a sale in a 50,000-product catalogue: commit p99, log bytes, stalls' },
  { name: 'chain', file: 'chain.bench.ts', seconds: 60, what: "a shop's 10,000-sale backlog reaching head office's PostgreSQL after reconnecting" },
  { name: 'hq-board', file: 'hq-board.bench.ts', seconds: 60, what: "a shop's upload to head office's sales board (apps/hq): the event and the refreshed board, over 100,000 of today's sales" },
  { name: 'chain-faults', file: 'chain-faults.bench.ts', seconds: 120, what: '4 shops × 500 sales through cut links, kill -9 and a head-office restart: exactly once at head office' },
  { name: 'weighed', file: 'weighed.bench.ts', seconds: 90, what: 'apps/kassa with 50,000 products and 100,000 sales: scan → line at 8 tills (labels and barcodes), search as you type, RSS, a 10,000-line CSV import' },
  { name: 'history', file: 'history.bench.ts', seconds: 40, what: "a 100,000-sale journal: a day's sales history page, filtered pages, a receipt number over every day (p99 ≤ 100 ms)" },
  { name: 'login-flood', file: 'login-flood.bench.ts', seconds: 120, what: '5,000 login attempts with unique 900 KB names (then 5,000 counted ones): host RSS, the cashier still logs in' },
];
const ALIASES: Record<string, string[]> = { soak: ['soak-kill', 'soak-flood'], all: BENCHMARKS.map((b) => b.name) };

function usage(): string {
  const width = Math.max(...BENCHMARKS.map((b) => b.name.length));
  return [
    'usage: npm run bench [-- <name>... [flags]]   (no name: all of them, in this order)',
    '',
    ...BENCHMARKS.map((b) => `  ${b.name.padEnd(width)}  ${b.what}`),
    `  ${'soak'.padEnd(width)}  soak-kill and soak-flood`,
    '',
    FLAG_HELP,
  ].join('\n');
}

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h') || argv[0] === 'list') {
  console.log(usage());
  process.exit(0);
}
const flags = parseFlags(argv);
const names = flags.rest.length ? flags.rest.flatMap((n) => ALIASES[n] ?? [n]) : ALIASES.all;
const unknown = names.filter((n) => !BENCHMARKS.some((b) => b.name === n));
if (unknown.length) {
  console.error(`unknown benchmark ${unknown.map((n) => `"${n}"`).join(', ')}\n\n${usage()}`);
  process.exit(2);
}
const passThrough = argv.filter((a) => !flags.rest.includes(a));
const selected = BENCHMARKS.filter((b) => names.includes(b.name));

// build once up front, so no benchmark's figures include a build
await prepareBuild(flags.from);

let current: number | undefined;
let currentExited: Promise<void> | undefined;

/**
 * Stops a benchmark's process group (its servers and helpers too): SIGTERM first, so a benchmark can undo
 * what it made outside its processes (the shop's network namespaces), then SIGKILL after a grace period.
 */
async function stopGroup(pid: number, exited: Promise<void> | undefined): Promise<void> {
  const signal = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
  signal('SIGKILL');
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (current) void stopGroup(current, currentExited).then(() => process.exit(130));
    else process.exit(130);
  });
}

function runOne(bench: Benchmark): Promise<{ code: number | null; timedOut: boolean; output: string }> {
  // fanout --rounds: three fresh servers per round, each with its 300 subscribers, rounds of storms
  const rounds = bench.name === 'fanout' && flags.rounds ? Math.max(5, flags.rounds) * 60 : 0;
  const limitMs = (bench.seconds * 3 + rounds + (bench.name === 'memory' ? (flags.writeSeconds ?? 60) * 2 : 0)) * 1000;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(benchDir, bench.file), ...(bench.recordOutput ? [] : passThrough)], {
      cwd: projectRoot,
      stdio: ['ignore', bench.recordOutput ? 'pipe' : 'inherit', 'inherit'],
      detached: true,
    });
    current = child.pid;
    currentExited = new Promise((resolve) => child.once('exit', () => resolve()));
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      process.stdout.write(chunk);
    });
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      console.error(`\n${bench.name}: still running after ${Math.round(limitMs / 1000)} s — stopped`);
      void stopGroup(child.pid!, currentExited);
    }, limitMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      current = undefined;
      resolve({ code, timedOut, output });
    });
  });
}

const summary: string[] = [];
const started = performance.now();
for (const bench of selected) {
  const t0 = performance.now();
  let report: Report | undefined;
  if (bench.recordOutput) report = new Report(`${bench.name} — ${bench.file}`, flags.record);
  const { code, timedOut, output } = await runOne(bench);
  if (report && code === 0) {
    report.add(output.trim(), { echo: false });
    await report.save();
  }
  const seconds = ((performance.now() - t0) / 1000).toFixed(0);
  summary.push(`  ${bench.name.padEnd(11)} ${timedOut ? 'STOPPED (time limit)' : code === 0 ? 'done' : `FAILED (exit ${code})`}  ${seconds} s`);
}
console.log(`\nbenchmarks (${((performance.now() - started) / 1000).toFixed(0)} s in all):\n${summary.join('\n')}`);
if (summary.some((line) => !/ done /.test(line))) process.exitCode = 1;
