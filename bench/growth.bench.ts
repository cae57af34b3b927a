// Storage growth: action latency with 0, 10 000 and 100 000 completed sales already in the sales journal.
// Three engine hosts (one per journal size, each with its journal file written beforehand) run side by
// side; each measures in turn a till's sale cycle — two addItem, then completeSale (paid by card, which
// appends to the journal) — at c = 1. The journal must hold exactly the sales acknowledged.
//   npm run bench -- growth [--seconds 6] [--app DIR]
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { appLabel, parseFlags } from './lib/flags.js';
import { LoadGenerator } from './lib/load.js';
import { loadProfile, serverOptions } from './lib/profile.js';
import { checkList, mdTable, Report } from './lib/results.js';
import { startServer, type ServerHandle } from './lib/servers.js';
import { actionHeaders, BenchClient } from './lib/session.js';
import { count, ms, ratio, summarize } from './lib/stats.js';
import { TARGETS } from './lib/targets.js';
import { prefillSalesJournal } from './lib/sales-journal.js';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';

const flags = parseFlags();
const SIZES = [0, 10_000, 100_000];
const seconds = flags.seconds ?? 6;
const ROUNDS = 2;
const profile = await loadProfile(flags.app);
const report = new Report(`growth — ${appLabel(flags.app)}`, flags.record);

if (!profile.journal || !profile.sale) {
  report.note(`${appLabel(flags.app)} has no journal connector or no completeSale route: nothing to measure (run with --app apps/kassa).`);
  await report.save();
  process.exit(0);
}
if (profile.journal.scope !== 'global') throw new Error(`journal "${profile.journal.connector}" is scoped per ${profile.journal.scope}; this benchmark prefills a global journal only`);
const journal = profile.journal.connector;

const prefill = (dataDir: string, records: number) => prefillSalesJournal(path.join(dataDir, `${journal}.jsonl`), records);

async function countRecords(dataDir: string): Promise<number> {
  try {
    const bytes = await readFile(path.join(dataDir, `${journal}.jsonl`));
    let lines = 0;
    for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) lines++;
    return lines;
  } catch {
    return 0;
  }
}

interface Host {
  size: number;
  bytes: number;
  dataDir: string;
  server: ServerHandle;
  client: BenchClient;
  adds: number[];
  sales: number[];
  /** sales acknowledged, the warm-up's included */
  ackedSales: number;
  stored?: number;
  failed: number;
  elapsed: number;
  firstError?: string;
}

const hosts: Host[] = [];
const load = await LoadGenerator.start();
try {
  for (const size of SIZES) {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-growth-'));
    const bytes = await prefill(dataDir, size);
    const server = await startServer({ kind: 'engine', ...serverOptions(profile), from: flags.from, dataDir });
    const host: Host = { size, bytes, dataDir, server, client: new BenchClient(server.url), adds: [], sales: [], ackedSales: 0, failed: 0, elapsed: 0 };
    hosts.push(host);
    host.client = await profile.login(server.url);
    await profile.openShift(host.client);
  }
  const cycle = [
    { path: profile.addItem.path, body: JSON.stringify(profile.addItem.body(profile.productIds[0])) },
    { path: profile.addItem.path, body: JSON.stringify(profile.addItem.body(profile.productIds[1])) },
    { path: profile.sale.path, body: JSON.stringify(profile.sale.body) },
  ];
  // unmeasured: warm each host's code paths
  for (const host of hosts) {
    const warm = await load.run({ url: host.server.url, requests: cycle, headers: actionHeaders(host.client.info()), concurrency: 1, seconds: 0.5 });
    host.ackedSales += warm.byRequest[2].length;
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const host of round % 2 ? [...hosts].reverse() : hosts) {
      const result = await load.run({ url: host.server.url, requests: cycle, headers: actionHeaders(host.client.info()), concurrency: 1, seconds: seconds / ROUNDS });
      host.adds.push(...result.byRequest[0], ...result.byRequest[1]);
      host.sales.push(...result.byRequest[2]);
      host.ackedSales += result.byRequest[2].length;
      host.elapsed += result.elapsedSeconds;
      host.failed += result.failed;
      host.firstError ??= result.firstError;
    }
  }
} catch (error) {
  load.close();
  for (const host of hosts) {
    await host.server.stop();
    await rm(host.dataDir, { recursive: true, force: true });
  }
  throw error;
}
load.close();
for (const host of hosts) await host.server.stop();

const rows = [];
const empty = hosts[0];
const addOf = (h: Host) => summarize(h.adds);
const saleOf = (h: Host) => summarize(h.sales);
for (const host of hosts) {
  const stored = await countRecords(host.dataDir);
  host.stored = stored - host.size;
  await rm(host.dataDir, { recursive: true, force: true });
  const a = addOf(host);
  const s = saleOf(host);
  rows.push([
    count(host.size),
    `${(host.bytes / 1024 / 1024).toFixed(1)} MB`,
    ms(host.server.readyMs, 0),
    `${ms(a.p50, 2)} / ${ms(a.p99, 2)}`,
    `${ms(s.p50, 2)} / ${ms(s.p99, 2)}`,
    count(host.sales.length / host.elapsed),
    `${ratio(a.p50, addOf(empty).p50)} / ${ratio(s.p50, saleOf(empty).p50)}`,
    `${count(host.stored)} of ${count(host.ackedSales)}${host.failed ? ` (${host.failed} requests failed)` : ''}`,
  ]);
}
report.add(
  '### Sale cycle with a growing sales journal (c = 1)\n\n' +
    mdTable(['sales in the journal', 'journal file', 'host up (ms)', 'addItem p50 / p99 ms', 'completeSale p50 / p99 ms', 'sales/s', 'p50 vs empty (add / sale)', 'sales in the journal / acknowledged'], rows),
);
const big = hosts[hosts.length - 1];
const worst = Math.max(addOf(big).p50 / addOf(empty).p50, saleOf(big).p50 / saleOf(empty).p50);
report.add(
  `Targets:\n\n${checkList([
    {
      label: `action latency with ${count(big.size)} sales within ${TARGETS.journalSlowdown}× of an empty journal (p50)`,
      pass: worst <= TARGETS.journalSlowdown,
      detail: `addItem ${ratio(addOf(big).p50, addOf(empty).p50)}, completeSale ${ratio(saleOf(big).p50, saleOf(empty).p50)} (p99: ${ratio(addOf(big).p99, addOf(empty).p99)}, ${ratio(saleOf(big).p99, saleOf(empty).p99)})`,
    },
    {
      label: 'every acknowledged sale is in the journal, and nothing else',
      pass: hosts.every((h) => h.stored === h.ackedSales),
      detail: hosts.map((h) => `${count(h.size)}: ${count(h.stored ?? NaN)} of ${count(h.ackedSales)}`).join(', '),
    },
  ])}`,
);
report.note(
  `${seconds} s per journal size in ${ROUNDS} alternating turns, after 0.5 s unmeasured; the journal (\`${journal}.jsonl\`) is written before the host starts, ` +
    `records shaped like the app's sales (3 lines). The journal's records after the run minus the prefilled ones must equal the acknowledged sales (the warm-up's included). ` +
    `Engine only (the baseline has no journal). Engine from ${flags.from}/.` +
    (hosts.some((h) => h.firstError) ? ` First error: ${hosts.find((h) => h.firstError)!.firstError!.slice(0, 300)}` : ''),
);
await report.save();
