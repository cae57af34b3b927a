// The sales history at shop scale (issue 24: "100,000 sales in the journal: opening a day's history page
// p99 ≤ 100 ms"): apps/kassa on a 100,000-sale journal (1,000 a day over 100 days, four terminals, two
// cashiers, written before the host starts), a logged-in manager opening pages one after another from
// another process: a day's history page (GET /history?day=…, 50 rows, the whole page rendered), later pages
// of a day with a filter (the search action), a receipt number looked up over every day, and one sale's
// page. The first open, which builds the journal's index by one streaming scan, is reported on its own.
//   npm run bench -- history [--seconds 5]
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseFlags } from './lib/flags.js';
import { checkList, mdTable, projectRoot, Report } from './lib/results.js';
import { startServer } from './lib/servers.js';
import { BenchClient } from './lib/session.js';
import { count, mb, ms, summarize } from './lib/stats.js';
import { dayOf, syntheticSale, TERMINALS, writeSalesJournal, type SalesLayout } from '../test/helpers/sales-journal.js';

const flags = parseFlags();
const SALES = 100_000;
const layout: SalesLayout = { firstDay: '2026-06-01', perDay: 1000 };
const DAYS = SALES / layout.perDay;
const seconds = flags.seconds ?? 5;
const TARGET_P99_MS = 100;
const report = new Report('history — 100,000 sales, the manager’s sales history (apps/kassa)', flags.record);

// a fixed sequence of choices, so every run asks the same pages
let seed = 24;
const random = (below: number) => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed % below;
};

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-history-'));
const written = performance.now();
await writeSalesJournal(dataDir, SALES, layout);
const writeMs = performance.now() - written;
const server = await startServer({ kind: 'engine', appDir: path.join(projectRoot, 'apps', 'kassa'), from: flags.from, dataDir });
try {
  const manager = new BenchClient(server.url);
  await manager.get('/login');
  await manager.must('/auth/login', { login: 'admin', password: 'admin' });
  await manager.get('/');

  const expectRows = (text: string, what: string) => {
    if (!text.includes('<tr class="sale"')) throw new Error(`${what}: no sales on the page: ${text.slice(0, 300)}`);
  };
  const started = performance.now();
  const first = await manager.get(`/history?day=${dayOf(0, layout)}`);
  const firstMs = performance.now() - started;
  if (first.status !== 200) throw new Error(`GET /history answered ${first.status}`);
  expectRows(first.text, 'the first open');
  const rssAfterIndex = await server.rss();

  interface Phase {
    name: string;
    request: () => Promise<void>;
    target?: number;
  }
  const phases: Phase[] = [
    {
      name: "a day's history page (GET /history?day=…, 50 of 1,000 sales)",
      target: TARGET_P99_MS,
      request: async () => {
        const page = await manager.get(`/history?day=${dayOf(random(DAYS) * layout.perDay, layout)}`);
        if (page.status !== 200) throw new Error(`GET /history answered ${page.status}`);
        expectRows(page.text, 'a day');
      },
    },
    {
      name: 'a later page of a day, by terminal and method (POST /action/history/search)',
      target: TARGET_P99_MS,
      request: async () => {
        const answer = await manager.post('/action/history/search', {
          day: dayOf(random(DAYS) * layout.perDay, layout),
          terminal: TERMINALS[random(TERMINALS.length)],
          method: random(2) === 0 ? 'cash' : '',
          page: String(1 + random(3)),
        });
        if (answer.status !== 200) throw new Error(`search answered ${answer.status}: ${JSON.stringify(answer.body).slice(0, 200)}`);
        expectRows(answer.body.html, 'a filtered page');
      },
    },
    {
      name: 'a receipt number over every day (GET /history?day=&number=…&terminal=…)',
      target: TARGET_P99_MS,
      request: async () => {
        const page = await manager.get(`/history?day=&number=${1 + random(250)}&terminal=${encodeURIComponent(TERMINALS[random(TERMINALS.length)])}`);
        if (page.status !== 200) throw new Error(`GET /history answered ${page.status}`);
        expectRows(page.text, 'a receipt number');
      },
    },
    {
      name: "one sale's page (GET /history/sale?id=…)",
      request: async () => {
        const sale = syntheticSale(random(SALES), layout) as { id: string };
        const page = await manager.get(`/history/sale?id=${encodeURIComponent(sale.id)}`);
        if (page.status !== 200) throw new Error(`GET /history/sale answered ${page.status}`);
      },
    },
  ];

  const rows: Array<Array<string | number>> = [];
  const checks = [];
  for (const phase of phases) {
    for (let i = 0; i < 20; i++) await phase.request(); // warm-up
    const latencies: number[] = [];
    const until = performance.now() + seconds * 1000;
    while (performance.now() < until) {
      const t0 = performance.now();
      await phase.request();
      latencies.push(performance.now() - t0);
    }
    const s = summarize(latencies);
    rows.push([phase.name, count(latencies.length), ms(s.p50), ms(s.p99), ms(s.max), phase.target ? (s.p99 <= phase.target ? '✅' : '❌') : '—']);
    if (phase.target) checks.push({ label: phase.name, pass: s.p99 <= phase.target, detail: `p99 ${ms(s.p99)} ms (target ≤ ${phase.target} ms)` });
  }
  const rssEnd = await server.rss();
  report.add(
    `${count(SALES)} sales (${count(layout.perDay)} a day over ${DAYS} days, journal written in ${ms(writeMs, 0)} ms); one manager, one request at a time, ${seconds} s per row after 20 warm-up requests; the host from \`dist/\` in its own process.\n\n` +
      mdTable(['request', 'requests', 'p50 ms', 'p99 ms', 'max ms', 'p99 ≤ 100 ms'], rows) +
      `\n\nfirst open (waits for the index, built in the background since start by one streaming scan of the journal file) ${ms(firstMs)} ms; host RSS after it ${mb(rssAfterIndex)} MB, at the end ${mb(rssEnd)} MB`,
  );
  report.add(checkList(checks));
} finally {
  await server.stop();
  await rm(dataDir, { recursive: true, force: true });
}
await report.save();
