// Shop scale: an action costs what it touches, not what the connector holds.
// 1. Over HTTP: two engine hosts of the same original-shaped app (addItem reads the catalogue and writes the
//    receipt with `positions.items.find(p => p.id == body.id)`), one with 5 products and one with 50,000,
//    interleaved A B, B A, … for 5 rounds at c = 8; per round req/s and p99, the median ratio, the
//    lost-update check and the 50,000-product host's RSS.
// 2. The store alone (this process): a sale that takes one product's stock in a 50,000-product catalogue and
//    appends the sale to a journal, one after another for --seconds, with the store's own checkpoints of the
//    5 MB catalogue running meanwhile: commit latency, log bytes per sale, the longest event-loop stall.
//   npm run bench -- scale [--seconds 3] [--app DIR]
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { constants, monitorEventLoopDelay, performance, PerformanceObserver } from 'node:perf_hooks';
import { parseFlags } from './lib/flags.js';
import { LoadGenerator } from './lib/load.js';
import type { LoadResult } from './lib/load-core.js';
import { loadProfile, serverOptions, type AppProfile } from './lib/profile.js';
import { checkList, mdTable, projectRoot, Report, type Check } from './lib/results.js';
import { startServer, type ServerHandle } from './lib/servers.js';
import { actionHeaders, type BenchClient } from './lib/session.js';
import { count, mb, median, ms, ratio, summarize } from './lib/stats.js';
import { createStore, nodeFileSystem, type StoreFileSystem } from '../server/store/index.js';
import { tuneHeap } from '../server/heap-tuning.js';

const flags = parseFlags();
const appDir = flags.app.endsWith(path.join('apps', 'kassa')) ? path.join(projectRoot, 'test', 'fixtures', 'original-kassa') : flags.app;
const seconds = flags.seconds ?? 3;
const rounds = 5;
const BIG = 50_000;
const SMALL = 5;
const START_LINES = 5;
const profile = await loadProfile(appDir);
const report = new Report(`scale — 5 vs 50,000 products (${path.relative(projectRoot, appDir)})`, flags.record);

/** The app's own products, then made-up ones up to `size` (same shape; ids continue the app's). */
function catalogue(app: AppProfile, size: number): AppProfile['products'] {
  const own = app.products.slice(0, Math.min(size, app.products.length));
  const numeric = own.every((p) => typeof p.id === 'number');
  const extra = Array.from({ length: Math.max(0, size - own.length) }, (_, k) => {
    const n = own.length + k + 1;
    return { id: numeric ? 1_000_000 + n : `gen-${n}`, name: `Товар ${n}`, price: 100 + (n % 900), barcode: String(2_000_000_000_000 + n) };
  });
  return [...own, ...extra];
}

interface Side {
  label: string;
  size: number;
  server: ServerHandle;
  client: BenchClient;
}

async function prepare(size: number): Promise<Side> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), `bench-scale-${size}-`));
  await writeFile(path.join(dataDir, 'positions.json'), JSON.stringify({ items: catalogue(profile, size) }));
  const server = await startServer({ kind: 'engine', ...serverOptions(profile), dataDir, from: flags.from });
  const client = await profile.login(server.url);
  await profile.openShift(client);
  return { label: `${count(size)} products`, size, server, client };
}

async function itemCountNow(side: Side): Promise<number> {
  const answer = await side.client.must(profile.refresh.path, profile.refresh.body);
  return profile.itemCount(String(answer.html ?? ''));
}

const addRequests = profile.productIds
  .slice(0, 10)
  .map((id) => ({ path: profile.addItem.path, body: JSON.stringify(profile.addItem.body(id)) }));

const small = await prepare(SMALL);
const big = await prepare(BIG);
const load = await LoadGenerator.start();
const perRound: Array<Record<'small' | 'big', LoadResult & { grew: number }>> = [];

async function measure(side: Side): Promise<LoadResult & { grew: number }> {
  if (profile.clear) await side.client.must(profile.clear.path, {});
  for (const id of profile.productIds.slice(0, START_LINES)) await side.client.must(profile.addItem.path, profile.addItem.body(id));
  const before = await itemCountNow(side);
  const result = await load.run({ url: side.server.url, requests: addRequests, headers: actionHeaders(side.client.info()), concurrency: 8, seconds });
  return { ...result, grew: (await itemCountNow(side)) - before };
}

let bigRss = 0;
let smallRss = 0;
let bigHeap = 0;
try {
  await measure(small); // warm-up (JIT) of both
  await measure(big);
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? [small, big] : [big, small];
    const results = {} as Record<'small' | 'big', LoadResult & { grew: number }>;
    for (const side of order) results[side === small ? 'small' : 'big'] = await measure(side);
    perRound.push(results);
    bigRss = Math.max(bigRss, await big.server.rss());
    smallRss = Math.max(smallRss, await small.server.rss());
    bigHeap = Math.max(bigHeap, (await big.server.memory()).heapUsed);
    const s = results.small;
    const b = results.big;
    process.stdout.write(
      `  round ${round + 1}: 5 → ${count(s.ok / s.elapsedSeconds)} req/s p99 ${ms(summarize(s.latencies).p99)}; 50,000 → ${count(b.ok / b.elapsedSeconds)} req/s p99 ${ms(summarize(b.latencies).p99)}\n`,
    );
  }
} finally {
  load.close();
  await small.server.stop();
  await big.server.stop();
}

const rps = (r: LoadResult) => r.ok / r.elapsedSeconds;
const ratios = perRound.map((r) => rps(r.big) / rps(r.small));
const bigLatency = summarize(perRound.flatMap((r) => r.big.latencies));
const lost = perRound.reduce((sum, r) => sum + (r.small.ok - r.small.grew) + (r.big.ok - r.big.grew), 0);
const failed = perRound.reduce((sum, r) => sum + r.small.failed + r.big.failed, 0);
report.add(
  `### addItem at c = 8: 5 vs 50,000 products, interleaved (${seconds} s per side per round)\n\n` +
    mdTable(
      ['round', '5 products req/s', 'p50 / p99 ms', '50,000 products req/s', 'p50 / p99 ms', '50,000 / 5'],
      perRound.map((r, i) => {
        const s = summarize(r.small.latencies);
        const b = summarize(r.big.latencies);
        return [i + 1, count(rps(r.small)), `${ms(s.p50)} / ${ms(s.p99)}`, count(rps(r.big)), `${ms(b.p50)} / ${ms(b.p99)}`, ratio(rps(r.big), rps(r.small))];
      }),
    ) +
    `\n\nmedian ratio ${median(ratios).toFixed(2)}; host RSS (largest seen) 50,000 products ${mb(bigRss)} (heap in use ${mb(bigHeap)}), 5 products ${mb(smallRss)}; lost ${lost}, failed ${failed}`,
);

/**
 * Gaps of the event loop longer than 20 ms (a 5 ms ticker that came late), each with the CPU time this
 * process used meanwhile (all its threads) and the V8 collections that ended in it: what tells a stall of
 * our own work (CPU ≈ gap) or a collection from a wait for a core on a busy machine (CPU ≪ gap).
 */
let checkpointRunning = 0;

class StallWatch {
  private readonly found: Array<{ ms: number; cpuMs: number; gc: Array<{ kind: string; ms: number }>; checkpoint: boolean }> = [];
  private readonly pauses: Array<{ end: number; kind: string; ms: number }> = [];
  private readonly observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as PerformanceEntry & { detail?: { kind?: number } }).detail?.kind;
      const name = kind === constants.NODE_PERFORMANCE_GC_MINOR ? 'scavenge' : kind === constants.NODE_PERFORMANCE_GC_MAJOR ? 'mark-compact' : 'other';
      this.pauses.push({ end: entry.startTime + entry.duration, kind: name, ms: entry.duration });
    }
  });
  private last = performance.now();
  private lastCpu = process.cpuUsage();
  private readonly timer = setInterval(() => {
    const now = performance.now();
    const cpu = process.cpuUsage();
    const gap = now - this.last;
    if (gap > 20) {
      const cpuMs = (cpu.user - this.lastCpu.user + cpu.system - this.lastCpu.system) / 1000;
      const gc = this.pauses.filter((p) => p.end >= this.last && p.end <= now).map(({ kind, ms }) => ({ kind, ms }));
      this.found.push({ ms: gap, cpuMs, gc, checkpoint: checkpointRunning > 0 });
    }
    this.last = now;
    this.lastCpu = cpu;
  }, 5);

  constructor() {
    this.observer.observe({ entryTypes: ['gc'] });
  }

  stop(): void {
    clearInterval(this.timer);
    this.observer.disconnect();
  }

  longest(n: number) {
    return [...this.found].sort((a, b) => b.ms - a.ms).slice(0, n);
  }
}

// --- 2. the store alone: sales that change one product's stock in a 50,000-product catalogue -------------
// (with the heap growing the host sets for itself; this process keeps V8's default young generation)
tuneHeap();

let logBytes = 0;
const countingFs: StoreFileSystem = {
  ...nodeFileSystem,
  // bytes written to write-ahead log files: what one sale costs the log
  write: (fd, bytes, offset, length) => {
    const written = nodeFileSystem.write(fd, bytes, offset, length);
    if (logFds.has(fd)) logBytes += written;
    return written;
  },
  open: (file, flags) => tracked(file, nodeFileSystem.open(file, flags)),
  // the store opens a checkpoint's files through the thread pool: those are followed too
  openAsync: async (file, flags) => tracked(file, await nodeFileSystem.openAsync!(file, flags)),
  close: (fd) => {
    if (checkpointFds.delete(fd)) checkpointRunning--;
    nodeFileSystem.close(fd);
  },
};
const logFds = new Set<number>();
const checkpointFds = new Set<number>();
/** Notes what a newly opened descriptor is: a log file's, a checkpoint's temporary file's, or neither. */
function tracked(file: string, fd: number): number {
  if (path.basename(file).startsWith('_wal-')) logFds.add(fd);
  else logFds.delete(fd);
  // a checkpoint writes the catalogue's new file under a temporary name, then renames it
  if (file.endsWith('.tmp')) {
    checkpointFds.add(fd);
    checkpointRunning++;
  }
  return fd;
}
const storeDir = await mkdtemp(path.join(os.tmpdir(), 'bench-scale-store-'));
const items = Array.from({ length: BIG }, (_, n) => ({ id: n + 1, barcode: String(4_600_000_000_000 + n), name: `Товар ${n + 1}`, price: 100 + (n % 900), vat: 20, stock: 1000 }));
await writeFile(path.join(storeDir, 'positions.json'), JSON.stringify({ items }, null, 2));
const silent = { info() {}, warn() {}, error: (m: string) => console.error(m) };
const store = await createStore({
  connectors: { positions: { type: 'lowdb', keys: ['id', 'barcode'] }, sales: { type: 'journal' } },
  dataDir: storeDir,
  log: silent,
  fileSystem: countingFs,
});
const commitLatencies: number[] = [];
const stall = monitorEventLoopDelay({ resolution: 5 });
stall.enable();
const gaps = new StallWatch();
let sales = 0;
const until = performance.now() + seconds * 3 * 1000;
while (performance.now() < until) {
  const started = performance.now();
  const release = await store.lock([
    { name: 'positions', scopeKey: 'global' },
    { name: 'sales', scopeKey: 'global' },
  ]);
  let durable: Promise<void>;
  try {
    const positions = (await store.snapshot('positions', 'global', { latest: true })) as { items: typeof items };
    const journal = (await store.snapshot('sales', 'global', { latest: true })) as { items: unknown[] };
    const at = Math.floor(Math.random() * BIG);
    const next = [...positions.items]; // (spread: V8 copies a frozen list ~6× faster than slice)
    next[at] = { ...next[at], stock: next[at].stock - 1 };
    durable = store.commit([
      { name: 'positions', scopeKey: 'global', state: { ...positions, items: next } },
      { name: 'sales', scopeKey: 'global', state: { ...journal, items: [...journal.items, { n: ++sales, product: next[at].id, quantity: 1, sum: next[at].price }] } },
    ]);
  } finally {
    release();
  }
  await durable;
  commitLatencies.push(performance.now() - started);
}
stall.disable();
gaps.stop();
await store.close();
await rm(storeDir, { recursive: true, force: true });
const commit = summarize(commitLatencies);
const bytesPerSale = logBytes / Math.max(1, sales);
const longestStall = stall.max / 1e6;
report.add(
  '### A sale in a 50,000-product catalogue (the store alone: stock of one product + a journal record, checkpoints running)\n\n' +
    mdTable(
      ['sales', 'commit p50 / p99 / max ms', 'log bytes per sale', 'longest event-loop stall ms'],
      [[count(sales), `${ms(commit.p50)} / ${ms(commit.p99)} / ${ms(commit.max)}`, count(bytesPerSale), ms(longestStall)]],
    ) +
    '\n\nThe longest gaps of the event loop, and what this process did during each (CPU time of all its threads, ' +
    'V8 pauses by kind); a gap with little CPU was spent waiting for a core (other processes), not working:\n\n' +
    mdTable(
      ['gap ms', 'process CPU in it ms', 'GC pauses in it ms', 'a checkpoint running'],
      gaps.longest(5).map((g) => [ms(g.ms), ms(g.cpuMs), g.gc.length ? g.gc.map((p) => `${p.kind} ${ms(p.ms)}`).join(', ') : '–', g.checkpoint ? 'yes' : 'no']),
    ),
);

const checks: Check[] = [
  { label: 'addItem at c = 8 with 50,000 products ≥ 0.8× the 5-product figure (median of rounds)', pass: median(ratios) >= 0.8, detail: `${median(ratios).toFixed(2)}×` },
  { label: 'addItem p99 with 50,000 products ≤ 30 ms', pass: bigLatency.p99 <= 30, detail: `${ms(bigLatency.p99)} ms` },
  { label: 'host RSS with 50,000 products ≤ 150 MB', pass: bigRss <= 150 * 1024 * 1024, detail: mb(bigRss) },
  { label: 'no lost or failed adds', pass: lost === 0 && failed === 0, detail: `${lost} lost, ${failed} failed` },
  { label: 'sale commit p99 ≤ 20 ms in a 50,000-product catalogue', pass: commit.p99 <= 20, detail: `${ms(commit.p99)} ms` },
  { label: 'log bytes per sale ≤ 4 KB', pass: bytesPerSale <= 4096, detail: `${count(bytesPerSale)} B` },
  { label: 'checkpoints of the 5 MB catalogue stall nothing longer than 50 ms', pass: longestStall <= 50, detail: `longest stall ${ms(longestStall)} ms` },
];
report.add(checkList(checks));
await report.save();
