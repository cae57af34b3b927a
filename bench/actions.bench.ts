// Action throughput and latency at concurrency 1, 8 and 32, for a write action (addItem, in turn over the
// first 10 products) and a read-only soft refresh of the receipt, by one authenticated till, against the
// engine and the bare baseline side by side (alternating halves: engine, baseline, baseline, engine). Each
// half starts from the same receipt (cleared, then 5 lines). The write points double as the lost-update
// check: the receipt's item count must grow by exactly the number of acknowledged adds.
//   npm run bench -- actions [--seconds 4] [--app DIR] [--no-baseline] [--from source]
import { appLabel, parseFlags } from './lib/flags.js';
import { LoadGenerator } from './lib/load.js';
import type { LoadResult } from './lib/load-core.js';
import { loadProfile, serverOptions, type AppProfile } from './lib/profile.js';
import { checkList, mdTable, Report, type Check } from './lib/results.js';
import { startServer, type ServerHandle, type ServerKind } from './lib/servers.js';
import { actionHeaders, type BenchClient } from './lib/session.js';
import { count, ms, ratio, summarize, type LatencySummary } from './lib/stats.js';
import { ORIGINAL, TARGETS } from './lib/targets.js';

const flags = parseFlags();
const secondsPerPoint = flags.seconds ?? 4;
const CONCURRENCY = [1, 8, 32];
const LINES = 10;
const START_LINES = 5;
const profile = await loadProfile(flags.app);
const report = new Report(`actions — ${appLabel(flags.app)}`, flags.record);

interface Side {
  kind: ServerKind;
  server: ServerHandle;
  client: BenchClient;
}

interface Point {
  rps: number;
  latency: LatencySummary;
  acked: number;
  grew: number;
  failed: number;
  bytes: number;
  firstError?: string;
}

async function prepare(kind: ServerKind): Promise<Side> {
  const server = await startServer({ kind, ...serverOptions(profile), from: flags.from });
  try {
    const client = await profile.login(server.url);
    await profile.openShift(client);
    return { kind, server, client };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/** The receipt every half starts from: cleared, then one piece each of the first products. */
async function resetReceipt(side: Side, app: AppProfile): Promise<number> {
  if (app.clear) await side.client.must(app.clear.path, {});
  for (const id of app.productIds.slice(0, START_LINES)) await side.client.must(app.addItem.path, app.addItem.body(id));
  return itemCountNow(side, app);
}

async function itemCountNow(side: Side, app: AppProfile): Promise<number> {
  const answer = await side.client.must(app.refresh.path, app.refresh.body);
  return app.itemCount(String(answer.html ?? ''));
}

const addRequests = profile.productIds.slice(0, LINES).map((id) => ({ path: profile.addItem.path, body: JSON.stringify(profile.addItem.body(id)) }));
const refreshRequests = [{ path: profile.refresh.path, body: JSON.stringify(profile.refresh.body) }];

const sides: Side[] = [await prepare('engine')];
if (flags.baseline) {
  try {
    sides.push(await prepare('baseline'));
  } catch (error) {
    await sides[0].server.stop();
    throw error;
  }
}
const load = await LoadGenerator.start();

async function measure(side: Side, action: 'addItem' | 'refresh', concurrency: number, seconds: number): Promise<LoadResult & { grew: number }> {
  const before = await resetReceipt(side, profile);
  const result = await load.run({
    url: side.server.url,
    requests: action === 'addItem' ? addRequests : refreshRequests,
    headers: actionHeaders(side.client.info()),
    concurrency,
    seconds,
    warmupSeconds: action === 'refresh' ? 0.3 : 0,
    // the app refuses a line beyond its cap; stop before any line could reach it
    maxRequests: action === 'addItem' && Number.isFinite(profile.lineCap) ? addRequests.length * (profile.lineCap - START_LINES) - concurrency : undefined,
  });
  const grew = action === 'addItem' ? (await itemCountNow(side, profile)) - before : 0;
  return { ...result, grew };
}

function combine(parts: Array<LoadResult & { grew: number }>): Point {
  const latencies = parts.flatMap((p) => p.latencies);
  const elapsed = parts.reduce((s, p) => s + p.elapsedSeconds, 0);
  return {
    rps: latencies.length / elapsed,
    latency: summarize(latencies),
    acked: parts.reduce((s, p) => s + p.ok, 0),
    grew: parts.reduce((s, p) => s + p.grew, 0),
    failed: parts.reduce((s, p) => s + p.failed, 0),
    bytes: parts.at(-1)?.lastBytes ?? 0,
    firstError: parts.find((p) => p.firstError)?.firstError,
  };
}

const results: Record<string, Record<number, Partial<Record<ServerKind, Point>>>> = { addItem: {}, refresh: {} };

try {
  // warm both servers' code paths (JIT) before anything is measured
  for (const side of sides) await measure(side, 'addItem', 8, 1);

  for (const action of ['addItem', 'refresh'] as const) {
    for (const c of CONCURRENCY) {
      const halves: Record<string, Array<LoadResult & { grew: number }>> = { engine: [], baseline: [] };
      const order = sides.length === 2 ? [sides[0], sides[1], sides[1], sides[0]] : [sides[0], sides[0]];
      for (const side of order) halves[side.kind].push(await measure(side, action, c, secondsPerPoint / 2));
      results[action][c] = {};
      for (const side of sides) results[action][c][side.kind] = combine(halves[side.kind]);
      const e = results[action][c].engine!;
      process.stdout.write(`  ${action} c=${c}: engine ${count(e.rps)} req/s p99 ${ms(e.latency.p99)} ms${results[action][c].baseline ? `, baseline ${count(results[action][c].baseline!.rps)} req/s` : ''}\n`);
    }
  }
} finally {
  load.close();
  for (const side of sides) await side.server.stop();
}

const lost = (p: Point | undefined) => (p ? p.acked - p.grew : NaN);
const lostCell = (p: Point | undefined) => (p ? `${lost(p)}${p.failed ? ` (${p.failed} failed)` : ''}` : '–');

for (const action of ['addItem', 'refresh'] as const) {
  const rows = CONCURRENCY.map((c) => {
    const e = results[action][c].engine!;
    const b = results[action][c].baseline;
    const original = action === 'addItem' ? ORIGINAL.addItem[c].rps : ORIGINAL.refresh[c].rps;
    return [
      c,
      count(e.rps),
      `${ms(e.latency.p50)} / ${ms(e.latency.p99)}`,
      b ? count(b.rps) : '–',
      b ? `${ms(b.latency.p50)} / ${ms(b.latency.p99)}` : '–',
      b ? ratio(e.rps, b.rps) : '–',
      b ? `${ratio(e.latency.p50, b.latency.p50)} / ${ratio(e.latency.p99, b.latency.p99)}` : '–',
      `${count(original)}${action === 'addItem' ? ` (p99 ${ORIGINAL.addItem[c].p99})` : ''}`,
      ratio(e.rps, original, 1),
      ...(action === 'addItem' ? [lostCell(e), lostCell(b)] : []),
    ];
  });
  const title = action === 'addItem' ? `Write action \`${profile.addItem.path}\` (one till)` : `Read-only refresh \`${profile.refresh.path}\` (read + render)`;
  report.add(
    `### ${title}\n\n` +
      mdTable(
        [
          'c',
          'engine req/s',
          'engine p50 / p99 ms',
          'baseline req/s',
          'baseline p50 / p99 ms',
          'req/s vs baseline',
          'p50 / p99 vs baseline',
          'original req/s',
          'vs original',
          ...(action === 'addItem' ? ['lost (engine)', 'lost (baseline)'] : []),
        ],
        rows,
      ),
  );
}

const e8 = results.addItem[8].engine!;
const b8 = results.addItem[8].baseline;
const r8 = results.refresh[8].engine!;
const rb8 = results.refresh[8].baseline;
const firstErrors = Object.values(results)
  .flatMap((byC) => Object.values(byC).flatMap((bySide) => Object.entries(bySide).map(([k, p]) => (p?.firstError ? `${k}: ${p.firstError}` : ''))))
  .filter(Boolean);
const checks: Check[] = [
  {
    label: `write at c = 8 ≥ ${TARGETS.writeRpsVsOriginal}× the original (${count(ORIGINAL.addItem[8].rps * TARGETS.writeRpsVsOriginal)} req/s)`,
    pass: e8.rps >= ORIGINAL.addItem[8].rps * TARGETS.writeRpsVsOriginal,
    detail: `${count(e8.rps)} req/s (${ratio(e8.rps, ORIGINAL.addItem[8].rps, 1)})`,
  },
  {
    label: 'zero lost updates (every acknowledged add is in the receipt) at c = 1, 8, 32',
    pass: CONCURRENCY.every((c) => lost(results.addItem[c].engine) === 0),
    detail: CONCURRENCY.map((c) => `c=${c}: ${lost(results.addItem[c].engine)} lost of ${count(results.addItem[c].engine!.acked)}`).join(', '),
  },
  { label: `write p99 at c = 8 ≤ ${TARGETS.writeP99Ms} ms`, pass: e8.latency.p99 <= TARGETS.writeP99Ms, detail: `${ms(e8.latency.p99)} ms` },
  {
    label: `refresh at c = 8 ≥ ${TARGETS.refreshRpsVsOriginal}× the original (${count(ORIGINAL.refresh[8].rps * TARGETS.refreshRpsVsOriginal)} req/s)`,
    pass: r8.rps >= ORIGINAL.refresh[8].rps * TARGETS.refreshRpsVsOriginal,
    detail: `${count(r8.rps)} req/s (${ratio(r8.rps, ORIGINAL.refresh[8].rps, 1)})`,
  },
  ...(b8 && rb8
    ? [
        {
          label: `write latency at c = 8 within ${TARGETS.latencyVsBaseline}× the baseline (p50 and p99)`,
          pass: e8.latency.p50 <= b8.latency.p50 * TARGETS.latencyVsBaseline && e8.latency.p99 <= b8.latency.p99 * TARGETS.latencyVsBaseline,
          detail: `p50 ${ratio(e8.latency.p50, b8.latency.p50)}, p99 ${ratio(e8.latency.p99, b8.latency.p99)}`,
        },
        {
          label: `refresh latency at c = 8 within ${TARGETS.latencyVsBaseline}× the baseline (p50 and p99)`,
          pass: r8.latency.p50 <= rb8.latency.p50 * TARGETS.latencyVsBaseline && r8.latency.p99 <= rb8.latency.p99 * TARGETS.latencyVsBaseline,
          detail: `p50 ${ratio(r8.latency.p50, rb8.latency.p50)}, p99 ${ratio(r8.latency.p99, rb8.latency.p99)}`,
        },
      ]
    : []),
];
report.add(`Targets:\n\n${checkList(checks)}`);
report.note(
  `${secondsPerPoint} s per point per server (two halves, alternating engine and baseline); one till (same cookies, receipt scope "${profile.receiptScope}"), ` +
    `each half starts from a receipt of ${START_LINES} lines; adds go in turn to ${addRequests.length} products; refresh answers are ${count(results.refresh[8].engine!.bytes)} bytes (engine) and ` +
    `${count(results.refresh[8].baseline?.bytes ?? NaN)} bytes (baseline). Engine from ${flags.from}/. ` +
    `"lost" = acknowledged adds minus the growth of the receipt's item count (must be 0; negative would mean unacknowledged adds were kept).` +
    (firstErrors.length ? ` First errors: ${firstErrors.join('; ').slice(0, 400)}` : ''),
);
await report.save();
