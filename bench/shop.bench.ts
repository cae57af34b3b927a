// A 20-till shop (issue 18, item 3) on apps/kassa: 20 terminals with their own identities, each with a
// customer display, logged in and with its shift open,
// completing a sale (two items, pay by card) every 2 s; a manager's dashboard follows the sales (its soft
// refresh pushed by the host). Action p99, every event delivered, host memory over the run.
//   npm run bench -- shop [--seconds 300]
// With --rounds N: engine and baseline interleaved (E B, B E, …; --seconds per side per round, default 30). The
// baseline has no shifts, sales or journal: its tills run the same cadence with add, add, clear the receipt,
// their displays on its receipt channel, no dashboard — the same requests and fan-out per cycle on this stack
// without the engine, which tells the engine's tail from the machine's.
// Where the tills are: by default (or --netns) each till is a LAN device in a network namespace of its own
// (bench/lib/netns.ts: a bridge with the host's address, a veth and an address per device), the host in LAN
// mode bound to the bridge's address, every device paired with a code from the host as a real device is,
// its client process (main window, customer display) run inside its namespace; the manager's dashboard is
// a device too. Where the machine does not allow namespaces (not root, no `ip netns`), or with --loopback,
// the tills are cookie jars on loopback in one client process (each its own terminal), and the result says
// so and why.
import { appLabel, parseFlags } from './lib/flags.js';
import { HelperProcess } from './lib/load.js';
import { createLan, netnsUnavailable, type Lan } from './lib/netns.js';
import type { DeviceJob } from './lib/shop-device.js';
import { loadProfile, serverOptions } from './lib/profile.js';
import { checkList, mdTable, Report } from './lib/results.js';
import { startServer, type ServerKind } from './lib/servers.js';
import { BenchClient } from './lib/session.js';
import { mb, median, ms, ratio, summarize } from './lib/stats.js';
import type { SessionInfo } from './lib/session.js';
import type { ShopResult, ShopSpec } from './lib/shop-core.js';

const TILLS = 20;
const PERIOD_MS = 2000;
const SAMPLE_MS = 5000;
const ACTION_P99_MS = 50;
const flags = parseFlags();
const seconds = flags.seconds ?? 300;
const profile = await loadProfile(flags.app);
if (!profile.sale) throw new Error(`${appLabel(flags.app)} has no sales (POST /action/completeSale): the shop benchmark needs apps/kassa`);
// the devices' network: namespaces when the machine allows them (or --netns insists), else loopback and why
const netnsProblem = flags.network === 'loopback' ? 'loopback asked for (--loopback)' : netnsUnavailable();
if (flags.network === 'netns' && netnsProblem) throw new Error(`--netns: ${netnsProblem}`);
const lan: Lan | undefined = netnsProblem ? undefined : createLan(TILLS + 1);
const where = lan
  ? `${TILLS} tills and the manager as LAN devices, each in its own network namespace with its own address (${lan.devices[0].address}–${lan.devices[TILLS].address}, veth into bridge ${lan.bridge}; host bound to ${lan.hostAddress}, the engine in LAN mode, every device paired with a code from the host), each device's client process (main window and customer display, or the dashboard) inside its namespace`
  : `${TILLS} tills on loopback (own cookies, so own terminal identities and sessions; not in network namespaces: ${netnsProblem}), all clients in one helper process (bench/lib/shop-child.ts)`;
console.log(lan ? `shop: tills in network namespaces (bridge ${lan.bridge}, host ${lan.hostAddress})` : `shop: tills on loopback — ${netnsProblem}`);
/** One client process per device, in its namespace, for the whole run (each side pairs and logs in afresh). */
const devices: HelperProcess[] = lan ? await Promise.all(lan.devices.map((d) => HelperProcess.start('shop-device', { netns: d.netns }))) : [];
const closeDevices = () => {
  for (const device of devices) device.close();
  lan?.remove();
};
process.on('exit', closeDevices);
const report = new Report(
  flags.rounds !== undefined
    ? `shop (${TILLS} tills) vs baseline, interleaved — ${appLabel(flags.app)}`
    : `shop (${TILLS} tills, ${seconds} s) — ${appLabel(flags.app)}`,
  flags.record,
);

type RssSamples = Array<{ at: number; bytes: number }>;

/** One side's run: a fresh server, its tills logged in with their shifts open, the clients' run, RSS samples. */
async function runSide(kind: ServerKind, runSeconds: number): Promise<{ result: ShopResult; rss: RssSamples }> {
  if (lan) return runSideOnLan(kind, runSeconds, lan);
  const server = await startServer({ kind, ...serverOptions(profile), from: flags.from });
  const client = await HelperProcess.start('shop-child');
  const rss: Array<{ at: number; bytes: number }> = [];
  try {
    const tills = [];
    for (let i = 0; i < TILLS; i++) {
      const till = await profile.login(server.url);
      await profile.openShift(till);
      tills.push(till.info());
    }
    let manager: BenchClient | undefined;
    if (kind === 'engine') {
      manager = new BenchClient(server.url);
      await manager.get('/login');
      const login = await manager.post('/auth/login', { login: 'admin', password: 'admin' });
      if (login.status !== 200) throw new Error(`manager login answered ${login.status}`);
      await manager.get('/dashboard');
    }
    const spec = shopSpec(kind, tills, manager?.info(), runSeconds);
    const started = Date.now();
    const sampler = setInterval(() => void server.rss().then((bytes) => rss.push({ at: (Date.now() - started) / 1000, bytes })), SAMPLE_MS);
    try {
      return { result: await client.run<ShopResult>(spec, (runSeconds + 60) * 1000), rss };
    } finally {
      clearInterval(sampler);
    }
  } finally {
    client.close();
    await server.stop();
  }
}

/** What a side's tills do per cycle, and which channels their windows hear (both network setups). */
function shopSpec(kind: ServerKind, tills: SessionInfo[], manager: SessionInfo | undefined, runSeconds: number): ShopSpec {
  return {
    tills,
    manager,
    // the baseline has one channel (the receipt's): the customer display listens to it too
    channels: kind === 'engine' ? { main: 'receipt-updates', display: 'display-updates' } : { main: profile.channel, display: profile.channel },
    seconds: runSeconds,
    periodMs: PERIOD_MS,
    items: [String(profile.productIds[0]), String(profile.productIds[1])],
    // the baseline has no sales: its cycle ends by clearing the receipt (a write the displays hear too)
    sale: kind === 'engine' ? { path: profile.sale!.path, body: JSON.stringify(profile.sale!.body) } : { path: profile.clear!.path, body: '{}' },
    addPath: profile.addItem.path,
    dashboardRefresh: '/action/soft-refresh-dashboard',
  };
}

/**
 * A side with every device in its namespace: the server bound to the bridge's address (the engine in LAN
 * mode), each device paired (engine) and logged in from its own address, then every device's run on one
 * schedule (a shared start on the wall clock, the tills staggered across the period), results merged.
 */
async function runSideOnLan(kind: ServerKind, runSeconds: number, network: Lan): Promise<{ result: ShopResult; rss: RssSamples }> {
  const server = await startServer({ kind, ...serverOptions(profile), from: flags.from, bindHost: network.hostAddress, lan: kind === 'engine' });
  const rss: RssSamples = [];
  try {
    const setup = async (device: HelperProcess, role: 'till' | 'manager', name: string) => {
      // a pairing code is single use: one at a time, as a manager pairs devices one after another
      const pairCode = kind === 'engine' ? await server.pairingCode() : undefined;
      const job: DeviceJob = { kind: 'setup', url: server.url, role, pairCode, name, plan: profile.loginPlan };
      return device.run<SessionInfo>(job, 60_000);
    };
    const tills: SessionInfo[] = [];
    for (let i = 0; i < TILLS; i++) tills.push(await setup(devices[i], 'till', `Касса ${i + 1}`));
    const managerDevice = devices[TILLS];
    const manager = kind === 'engine' ? await setup(managerDevice, 'manager', 'Менеджер') : undefined;
    // a start far enough ahead for every device to open its sockets first
    const startAt = performance.timeOrigin + performance.now() + 2000;
    const started = Date.now() + 2000;
    const sampler = setInterval(() => void server.rss().then((bytes) => rss.push({ at: (Date.now() - started) / 1000, bytes })), SAMPLE_MS);
    try {
      const timeout = (runSeconds + 60) * 1000;
      const managerRun = manager
        ? managerDevice.run<ShopResult>({ kind: 'run', spec: { ...shopSpec(kind, [], manager, runSeconds), startAt } } satisfies DeviceJob, timeout + 10_000)
        : undefined;
      const tillRuns = await Promise.all(
        tills.map((till, i) =>
          devices[i].run<ShopResult>({ kind: 'run', spec: { ...shopSpec(kind, [till], undefined, runSeconds), startAt, offsetsMs: [(i * PERIOD_MS) / TILLS] } } satisfies DeviceJob, timeout),
        ),
      );
      const result = mergeResults(tillRuns);
      if (managerRun) {
        managerDevice.post({ type: 'sales-total', sales: result.sales });
        const dashboard = await managerRun;
        result.dashboardEvents = dashboard.dashboardEvents;
        result.dashboardPushed = dashboard.dashboardPushed;
        result.errors.push(...dashboard.errors);
      }
      if (kind === 'engine') result.pairedTerminals = await server.pairedTerminals();
      return { result, rss };
    } finally {
      clearInterval(sampler);
    }
  } finally {
    await server.stop();
  }
}

/** The devices' results as one shop's (action times on the shared schedule, counts summed). */
function mergeResults(parts: ShopResult[]): ShopResult {
  const merged: ShopResult = { actionMs: [], actionAt: [], saleMs: [], failed: 0, sales: 0, expectedDisplayEvents: 0, displayEvents: 0, dashboardEvents: 0, dashboardPushed: 0, echoed: 0, errors: [] };
  for (const part of parts) {
    merged.actionMs.push(...part.actionMs);
    merged.actionAt.push(...part.actionAt);
    merged.saleMs.push(...part.saleMs);
    merged.failed += part.failed;
    merged.sales += part.sales;
    merged.expectedDisplayEvents += part.expectedDisplayEvents;
    merged.displayEvents += part.displayEvents;
    merged.echoed += part.echoed;
    merged.errors.push(...part.errors.slice(0, 5 - Math.min(5, merged.errors.length)));
  }
  return merged;
}

if (flags.rounds !== undefined) {
  await interleaved(Math.max(5, Math.round(flags.rounds)), flags.seconds ?? 30);
  process.exit(0);
}

const { result, rss } = await runSide('engine', seconds);

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
      `${result.dashboardEvents} / ${result.sales} (${result.dashboardPushed})${result.pairedTerminals !== undefined ? `; ${result.pairedTerminals} paired devices` : ''}`,
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
  `${where}; each till with its main window and a customer display socket, ` +
    `one sale (2 × addItem, completeSale by card) every ${PERIOD_MS / 1000} s per till, staggered; a manager dashboard socket subscribed with its soft refresh (pushed by the host). ` +
    `The host in its own process; RSS sampled every ${SAMPLE_MS / 1000} s. ` +
    (result.errors.length ? `Errors: ${result.errors.join('; ').slice(0, 400)}` : 'No errors.'),
);
await report.save();
process.exit(0);

/** The engine's RSS over a side: the first sample, the last and the peak (MB). */
function rssFigures(samples: RssSamples): string {
  if (samples.length === 0) return '–';
  return `${mb(samples[0].bytes)} / ${mb(samples[samples.length - 1].bytes)} / ${mb(Math.max(...samples.map((x) => x.bytes)))}`;
}

/** Engine and baseline in alternating order per round, each on a fresh server; per-round p99 and their ratio. */
async function interleaved(rounds: number, sideSeconds: number): Promise<void> {
  const rows: Array<Array<string | number>> = [];
  const ratios: number[] = [];
  const engineP99: number[] = [];
  const problems: string[] = [];
  for (let round = 1; round <= rounds; round++) {
    const order: ServerKind[] = round % 2 === 1 ? ['engine', 'baseline'] : ['baseline', 'engine'];
    const got: Partial<Record<ServerKind, ShopResult>> = {};
    let engineRss: RssSamples = [];
    for (const kind of order) {
      const side = await runSide(kind, sideSeconds);
      got[kind] = side.result;
      if (kind === 'engine') engineRss = side.rss;
    }
    const e = got.engine!;
    const b = got.baseline!;
    const es = summarize(e.actionMs);
    const bs = summarize(b.actionMs);
    ratios.push(es.p99 / bs.p99);
    engineP99.push(es.p99);
    for (const [kind, r] of [['engine', e], ['baseline', b]] as const) {
      const dashboardShort = kind === 'engine' && r.dashboardEvents !== r.sales;
      if (r.failed || r.errors.length || r.displayEvents !== r.expectedDisplayEvents || dashboardShort || r.echoed) {
        problems.push(`round ${round} ${kind}: ${r.failed} failed, displays ${r.displayEvents}/${r.expectedDisplayEvents}${kind === 'engine' ? `, dashboard ${r.dashboardEvents}/${r.sales}` : ''}, echoes ${r.echoed}${r.errors.length ? `, ${r.errors.join('; ').slice(0, 200)}` : ''}`);
      }
    }
    rows.push([
      round,
      order.join(' → '),
      `${ms(es.p50)} / ${ms(es.p99)} / ${ms(es.max)}`,
      `${ms(bs.p50)} / ${ms(bs.p99)} / ${ms(bs.max)}`,
      ratio(es.p99, bs.p99),
      `${e.displayEvents}/${e.expectedDisplayEvents}, ${e.dashboardEvents}/${e.sales}${e.pairedTerminals !== undefined ? ` (${e.pairedTerminals} paired devices)` : ''}`,
      `${b.displayEvents}/${b.expectedDisplayEvents}`,
      rssFigures(engineRss),
    ]);
    process.stdout.write(`  round ${round}: engine p99 ${ms(es.p99)} ms, baseline p99 ${ms(bs.p99)} ms\n`);
  }
  report.add(
    mdTable(
      ['round', 'order', 'engine action p50 / p99 / max ms', 'baseline action p50 / p99 / max ms', 'p99 engine / baseline', 'engine displays, dashboard got / expected', 'baseline displays got / expected', 'engine RSS first / last / peak MB'],
      rows,
    ) + `\n\nmedian of the per-round p99 ratios: ${median(ratios).toFixed(2)}×; engine p99, median of rounds: ${ms(median(engineP99))} ms`,
  );
  report.add(
    `Targets:\n\n${checkList([
      { label: `action p99 ≤ ${ACTION_P99_MS} ms (median of rounds)`, pass: median(engineP99) <= ACTION_P99_MS, detail: `${ms(median(engineP99))} ms; ${median(ratios).toFixed(2)}× the baseline's p99 in the same rounds` },
      { label: 'every event delivered, nothing failed', pass: problems.length === 0, detail: problems.length ? problems.join(' | ').slice(0, 600) : 'all rounds' },
    ])}`,
  );
  report.note(
    `${rounds} rounds, ${sideSeconds} s per side per round, each side on a fresh server, the order alternating. ${where}. One cycle every ${PERIOD_MS / 1000} s per till, staggered: ` +
      'engine — addItem, addItem, completeSale by card, a customer display per till and the manager dashboard (its refresh pushed); ' +
      "baseline — addItem, addItem, clearReceipt (it has no sales), each till's display on its receipt channel, no dashboard. " +
      `Each server in its own process (the baseline bound where the engine is); engine RSS sampled every ${SAMPLE_MS / 1000} s (first sample, last, peak); engine from ${flags.from}/ with the launch flags of npm start (bench/README.md).`,
  );
  await report.save();
}
