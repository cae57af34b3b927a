// Storage costs: the two ways to make 10 KB durable (replace a file, or append a line to a log with
// fdatasync: why commits go through the write-ahead log), durable read-modify-write commits of a 100-line
// receipt (1 and 8 writers, with and without a 10 MB neighbour connector in the same store) and journal
// append latency as the journal grows. Run: node --import tsx bench/store.bench.ts   (about 15 s; prints a markdown table)
import { closeSync, fdatasync, openSync, writeSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createStore } from '../server/store/index.js';
import { writeAndSync, writeFileDurably } from '../server/store/fs-durable.js';
import type { JournalState, Store } from '../server/store/index.js';
import type { ConnectorConfig } from '../server/manifest/types.js';

// Each rate is the best of RUNS runs: the machine is shared, and the best run shows the store's own cost.
const SECONDS_PER_RUN = 1.5;
const RUNS = 2;
const JOURNAL_APPENDS = 200;
const quiet = { info() {}, warn() {}, error: (message: string) => console.error(message) };

type Receipt = { items: Array<{ id: string; name: string; price: number; quantity: number }>; total: number };

const receipt: Receipt = {
  items: Array.from({ length: 100 }, (_, index) => ({ id: `p${index}`, name: `Product number ${index}`, price: 1.25 + index, quantity: 1 })),
  total: 0,
};

function neighbourOf(bytes: number): { items: unknown[] } {
  const record = { id: '', name: 'A product with a fairly long name', barcode: '4006381333931', price: 12.5, stock: 40, tags: ['food', 'cold'] };
  const size = JSON.stringify({ ...record, id: 'item-000000' }).length + 1;
  return { items: Array.from({ length: Math.ceil(bytes / size) }, (_, index) => ({ ...record, id: `item-${index}` })) };
}

async function withStore<T>(connectors: Record<string, ConnectorConfig>, prepare: (dir: string) => Promise<void>, run: (store: Store) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'store-bench-'));
  try {
    await prepare(dir);
    const store = await createStore({ connectors, dataDir: dir, log: quiet });
    try {
      return await run(store);
    } finally {
      await store.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function receiptCommitsPerSecond(store: Store, writers: number): Promise<number> {
  await store.read('receipt', 'global');
  const deadline = performance.now() + SECONDS_PER_RUN * 1000;
  let commits = 0;
  const writer = async () => {
    while (performance.now() < deadline) {
      const release = await store.lock([{ name: 'receipt', scopeKey: 'global' }]);
      let durable: Promise<void>;
      try {
        const state = (await store.read('receipt', 'global')) as Receipt;
        state.items[commits % state.items.length].quantity += 1;
        state.total = state.items.reduce((sum, item) => sum + item.price * item.quantity, 0);
        durable = store.commit([{ name: 'receipt', scopeKey: 'global', state }]);
      } finally {
        release();
      }
      await durable;
      commits++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: writers }, writer));
  return commits / ((performance.now() - started) / 1000);
}

async function journalAppendLatency(existing: number): Promise<{ p50: number; p95: number; startMs: number }> {
  let startMs = 0;
  const latencies = await withStore(
    { sales: { type: 'journal' } },
    async (dir) => {
      const line = (index: number) => `${JSON.stringify({ sale: index, at: '2025-01-01T10:00:00.000Z', total: 12.5, lines: 3, cashier: 'ann' })}\n`;
      await writeFile(join(dir, 'sales.jsonl'), Array.from({ length: existing }, (_, index) => line(index)).join(''));
      startMs = performance.now();
    },
    async (store) => {
      startMs = performance.now() - startMs;
      const times: number[] = [];
      for (let index = 0; index < JOURNAL_APPENDS; index++) {
        const started = performance.now();
        const release = await store.lock([{ name: 'sales', scopeKey: 'global' }]);
        let durable: Promise<void>;
        try {
          const sales = (await store.read('sales', 'global')) as JournalState;
          sales.items.push({ sale: existing + index, at: new Date().toISOString(), total: 12.5, lines: 3, cashier: 'ann' });
          durable = store.commit([{ name: 'sales', scopeKey: 'global', state: sales }]);
        } finally {
          release();
        }
        await durable;
        times.push(performance.now() - started);
      }
      return times.sort((a, b) => a - b);
    },
  );
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))];
  return { p50: at(0.5), p95: at(0.95), startMs };
}

/** Mean ms of one durable write of `bytes`, one after another (no batching), the best of RUNS runs. */
async function durableWriteMs(how: 'replace' | 'append', bytes: number): Promise<number> {
  const text = `${'x'.repeat(bytes - 1)}\n`;
  let best = Infinity;
  for (let run = 0; run < RUNS; run++) {
    const dir = await mkdtemp(join(tmpdir(), 'store-bench-'));
    const log = openSync(join(dir, 'log'), 'a');
    try {
      const started = performance.now();
      for (let write = 0; write < 200; write++) {
        if (how === 'replace') await writeFileDurably(join(dir, 'file.json'), text);
        else {
          writeSync(log, text);
          await new Promise<void>((resolve, reject) => fdatasync(log, (error) => (error ? reject(error) : resolve())));
        }
      }
      best = Math.min(best, (performance.now() - started) / 200);
    } finally {
      closeSync(log);
      await rm(dir, { recursive: true, force: true });
    }
  }
  return best;
}

const rows: string[] = [];
for (const bytes of [1024, 10 * 1024]) {
  const replace = await durableWriteMs('replace', bytes);
  const append = await durableWriteMs('append', bytes);
  rows.push(`| durable write of ${bytes / 1024} KB: replace the file (temp, fsync, rename, fsync folder) | 1 | ${replace.toFixed(2)} ms |`);
  rows.push(`| durable write of ${bytes / 1024} KB: append a log line + fdatasync | 1 | ${append.toFixed(2)} ms (${(replace / append).toFixed(1)}× cheaper) |`);
}
const receiptOnly = { receipt: { type: 'lowdb' as const, initialState: receipt } };
const withNeighbour = { ...receiptOnly, products: { type: 'lowdb' as const } };
const neighbourText = JSON.stringify(neighbourOf(10 * 1024 * 1024));
// Synced like a file saved long ago: unsynced data would be flushed by the first fsync and bill the receipt.
const writeNeighbour = (dir: string) => writeAndSync(join(dir, 'products.json'), neighbourText);

for (const [label, connectors, prepare] of [
  ['receipt alone', receiptOnly, async () => {}],
  [`receipt + ${(neighbourText.length / 1024 / 1024).toFixed(1)} MB neighbour`, withNeighbour, writeNeighbour],
] as const) {
  for (const writers of [1, 8]) {
    let rate = 0;
    for (let run = 0; run < RUNS; run++) rate = Math.max(rate, await withStore(connectors, prepare, (store) => receiptCommitsPerSecond(store, writers)));
    rows.push(`| durable read-modify-write, 100-line receipt, ${label} | ${writers} | ${rate.toFixed(0)} commits/s |`);
  }
}
for (const existing of [0, 10_000, 100_000]) {
  const { p50, p95, startMs } = await journalAppendLatency(existing);
  rows.push(
    `| journal append (lock, read, push, commit, durable), ${existing.toLocaleString('en')} records stored | 1 | p50 ${p50.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms (store opened in ${startMs.toFixed(0)} ms) |`,
  );
}

console.log(`Store bench (Node ${process.version}, ${process.platform}, data in ${tmpdir()})\n`);
console.log('| Case | Writers | Result |');
console.log('|---|---|---|');
for (const row of rows) console.log(row);
