// A 20-till shop (issue 18, item 3) on apps/kassa: 20 terminals with their own identities (each a fresh
// cookie jar, so the host gives each its own terminal; all on loopback — this machine has no network
// namespaces to spare for the helpers), each with a customer display, logged in and with its shift open,
// completing a sale (two items, pay by card) every 2 s; a manager's dashboard follows the sales (its soft
// refresh pushed by the host). Action p99, every event delivered, host memory over the run.
//   npm run bench -- shop [--seconds 300]
// No baseline: the bare baseline has no shifts, sales or journal (bench/README.md).
import { appLabel, parseFlags } from './lib/flags.js';
import { HelperProcess } from './lib/load.js';
import { loadProfile, serverOptions } from './lib/profile.js';
import { checkList, mdTable, Report } from './lib/results.js';
import { startServer } from './lib/servers.js';
import { BenchClient } from './lib/session.js';
import { mb, ms, summarize } from './lib/stats.js';
import type { ShopResult, ShopSpec } from './lib/shop-core.js';

const TILLS = 20;
const PERIOD_MS = 2000;
const SAMPLE_MS = 5000;
const ACTION_P99_MS = 50;
const flags = parseFlags();
const seconds = flags.seconds ?? 300;
const profile = await loadProfile(flags.app);
if (!profile.sale) throw new Error(`${appLabel(flags.app)} has no sales (POST /action/completeSale): the shop benchmark needs apps/kassa`);
const report = new Report(`shop (${TILLS} tills, ${seconds} s) — ${appLabel(flags.app)}`, flags.record);

const server = await startServer({ kind: 'engine', ...serverOptions(profile), from: flags.from });
const client = await HelperProcess.start('shop-child');
const rss: Array<{ at: number; bytes: number }> = [];
let result: ShopResult;
try {
  const tills = [];
  for (let i = 0; i < TILLS; i++) {
    const till = await profile.login(server.url);
    await profile.openShift(till);
    tills.push(till.info());
  }
  const manager = new BenchClient(server.url);
  await manager.get('/login');
  const login = await manager.post('/auth/login', { login: 'admin', password: 'admin' });
  if (login.status !== 200) throw new Error(`manager login answered ${login.status}`);
  await manager.get('/dashboard');
  const spec: ShopSpec = {
    tills,
    manager: manager.info(),
    seconds,
    periodMs: PERIOD_MS,
    items: [String(profile.productIds[0]), String(profile.productIds[1])],
    sale: { path: profile.sale.path, body: JSON.stringify(profile.sale.body) },
    addPath: profile.addItem.path,
    dashboardRefresh: '/action/soft-refresh-dashboard',
  };
  const started = Date.now();
  const sampler = setInterval(() => void server.rss().then((bytes) => rss.push({ at: (Date.now() - started) / 1000, bytes })), SAMPLE_MS);
  try {
    result = await client.run<ShopResult>(spec, (seconds + 60) * 1000);
  } finally {
    clearInterval(sampler);
  }
} finally {
  client.close();
  await server.stop();
}

const actions = summarize(result.actionMs);
const WARM_UP_S = Math.min(30, seconds / 4);
const warmActions = summarize(result.actionMs.filter((_, i) => result.actionAt[i] >= WARM_UP_S));
const sales = summarize(result.saleMs);
// growth: the last minute's median RSS against the one of the first minute after a 30 s warm-up
const window = (from: number, to: number) => {
  const values = rss.filter((s) => s.at >= from && s.at < to).map((s) => s.bytes).sort((a, b) => a - b);
  return values.length ? values[Math.floor(values.length / 2)] : NaN;
};
const warmEnd = Math.min(90, seconds / 2);
const early = window(30, warmEnd);
const late = window(Math.max(warmEnd, seconds - 60), seconds + 1);
const growth = (late - early) / early;
report.add(
  mdTable(
    ['sales', 'actions (adds + sales)', 'failed', 'action p50 / p99 / max ms', `after the first ${WARM_UP_S} s: p50 / p99 / max ms`, 'sale p50 / p99 ms', 'display events got / expected', 'dashboard events got / sales (pushed)', 'RSS early / late / peak MB'],
    [[
      result.sales,
      result.actionMs.length,
      result.failed,
      `${ms(actions.p50)} / ${ms(actions.p99)} / ${ms(actions.max)}`,
      `${ms(warmActions.p50)} / ${ms(warmActions.p99)} / ${ms(warmActions.max)}`,
      `${ms(sales.p50)} / ${ms(sales.p99)}`,
      `${result.displayEvents} / ${result.expectedDisplayEvents}`,
      `${result.dashboardEvents} / ${result.sales} (${result.dashboardPushed})`,
      `${mb(early)} / ${mb(late)} / ${mb(Math.max(...rss.map((s) => s.bytes)))}`,
    ]],
  ),
);
report.add(
  `Targets:\n\n${checkList([
    { label: `action p99 ≤ ${ACTION_P99_MS} ms (whole run)`, pass: actions.p99 <= ACTION_P99_MS && result.failed === 0, detail: `p99 ${ms(actions.p99)} ms (after the first ${WARM_UP_S} s: ${ms(warmActions.p99)} ms), ${result.failed} failed` },
    { label: 'every event delivered', pass: result.displayEvents === result.expectedDisplayEvents && result.dashboardEvents === result.sales && result.echoed === 0, detail: `displays ${result.displayEvents}/${result.expectedDisplayEvents}, dashboard ${result.dashboardEvents}/${result.sales}, echoes ${result.echoed}` },
    { label: 'no growth of memory (last minute vs first minute after warm-up, ≤ 10 %)', pass: growth <= 0.1, detail: `${mb(early)} → ${mb(late)} MB (${(growth * 100).toFixed(1)} %)` },
  ])}`,
);
report.note(
  `${TILLS} terminals on loopback (own cookies, so own terminal identities and sessions; no network namespaces on this shared machine), each with its main window and a customer display socket, ` +
    `one sale (2 × addItem, completeSale by card) every ${PERIOD_MS / 1000} s per till, staggered; a manager dashboard socket subscribed with its soft refresh (pushed by the host). ` +
    `Clients in one helper process (bench/lib/shop-child.ts), the host in its own; RSS sampled every ${SAMPLE_MS / 1000} s. ` +
    (result.errors.length ? `Errors: ${result.errors.join('; ').slice(0, 400)}` : 'No errors.'),
);
await report.save();
