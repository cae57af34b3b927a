// Fan-out: event delivery to 10 / 100 / 300 subscribers after one till's write action, and the full
// refresh storm (every subscriber answers its event with a soft refresh), engine and baseline.
// Subscribers are windows of the SAME till (same cookies): with a terminal-scoped receipt only they get the
// receipt's events — the real case of one till with several displays.
//   npm run bench -- fanout [--app DIR] [--no-baseline] [--from source]
import { appLabel, parseFlags } from './lib/flags.js';
import type { FanoutResult, FanoutSpec } from './lib/fanout-core.js';
import { HelperProcess } from './lib/load.js';
import { loadProfile } from './lib/profile.js';
import { checkList, mdTable, Report, type Check } from './lib/results.js';
import { startServer, type ServerKind } from './lib/servers.js';
import { count, median, ms, ratio, summarize } from './lib/stats.js';
import { ORIGINAL, TARGETS } from './lib/targets.js';

const flags = parseFlags();
const SUBSCRIBERS = [10, 100, 300];
const DELIVERY_ROUNDS = 20;
const STORM_ROUNDS = 5;
const profile = await loadProfile(flags.app);
const report = new Report(`fanout — ${appLabel(flags.app)}`, flags.record);
const kinds: ServerKind[] = flags.baseline ? ['engine', 'baseline'] : ['engine'];
const results: Record<number, Partial<Record<ServerKind, FanoutResult>>> = {};
const clientProcess = await HelperProcess.start('fanout-child');

try {
  for (const kind of kinds) {
    const server = await startServer({ kind, appDir: profile.appDir, from: flags.from, scope: profile.receiptScope });
    try {
      const client = await profile.login(server.url);
      await profile.openShift(client);
      for (const id of profile.productIds.slice(0, 3)) await client.must(profile.addItem.path, profile.addItem.body(id));
      for (const subscribers of SUBSCRIBERS) {
        const spec: FanoutSpec = {
          session: client.info(),
          subscribers,
          channel: profile.channel,
          event: profile.event,
          action: { path: profile.addItem.path, body: JSON.stringify(profile.addItem.body(profile.productIds[0])) },
          refresh: { path: profile.refresh.path, body: JSON.stringify(profile.refresh.body) },
          deliveryRounds: DELIVERY_ROUNDS,
          stormRounds: STORM_ROUNDS,
          pauseMs: 30,
        };
        const result = await clientProcess.run<FanoutResult>(spec, 120_000);
        (results[subscribers] ??= {})[kind] = result;
        const d = summarize(result.delivery);
        process.stdout.write(`  ${kind} ${subscribers} subscribers: delivery p99 ${ms(d.p99)} ms, storm median ${ms(median(result.storms))} ms${result.errors.length ? `, errors: ${result.errors.join('; ')}` : ''}\n`);
      }
    } finally {
      await server.stop();
    }
  }
} finally {
  clientProcess.close();
}

const cell = (r: FanoutResult | undefined, pick: (r: FanoutResult) => string) => (r ? pick(r) : '–');
const deliveryCell = (r: FanoutResult) => {
  const d = summarize(r.delivery);
  return `${ms(d.p50)} / ${ms(d.p99)} / ${ms(d.max)}`;
};
const stormCell = (r: FanoutResult) => `${ms(median(r.storms))} / ${ms(Math.max(...r.storms))}`;

report.add(
  '### Event delivery and refresh storm\n\n' +
    mdTable(
      ['subscribers', 'engine delivery p50 / p99 / max ms', 'baseline delivery p50 / p99 / max ms', 'engine first→last spread p50 ms', 'engine storm median / max ms', 'baseline storm median / max ms', 'storm vs baseline', 'action round trip p50 (engine)', 'missed / echoed / failed refreshes (engine)'],
      SUBSCRIBERS.map((n) => {
        const e = results[n].engine!;
        const b = results[n].baseline;
        return [
          n,
          deliveryCell(e),
          cell(b, deliveryCell),
          ms(median(e.spread)),
          stormCell(e),
          cell(b, stormCell),
          b ? ratio(median(e.storms), median(b.storms)) : '–',
          ms(median(e.actionRtt)),
          `${e.missed} / ${e.echoed} / ${e.stormFailures}`,
        ];
      }),
    ),
);

const e300 = results[300].engine!;
const b300 = results[300].baseline;
const d300 = summarize(e300.delivery);
const checks: Check[] = [
  { label: `300 subscribers: every event delivered within ${TARGETS.deliveryP99Ms} ms (p99) of the action`, pass: d300.p99 <= TARGETS.deliveryP99Ms && e300.missed === 0, detail: `p99 ${ms(d300.p99)} ms, max ${ms(d300.max)} ms, ${e300.missed} missed (original p50 / max ${ORIGINAL.deliveryMs.p50} / ${ORIGINAL.deliveryMs.max} ms)` },
  { label: `whole refresh storm of 300 subscribers ≤ ${TARGETS.stormMs} ms`, pass: Math.max(...e300.storms) <= TARGETS.stormMs && e300.stormFailures === 0, detail: `median ${ms(median(e300.storms))} ms, max ${ms(Math.max(...e300.storms))} ms (original ${ORIGINAL.stormMs} ms)${b300 ? `; baseline median ${ms(median(b300.storms))} ms` : ''}` },
  { label: 'the initiating window never gets its own event', pass: SUBSCRIBERS.every((n) => results[n].engine!.echoed === 0), detail: SUBSCRIBERS.map((n) => `${n}: ${results[n].engine!.echoed}`).join(', ') },
];
report.add(`Targets:\n\n${checkList(checks)}`);
const errors = SUBSCRIBERS.flatMap((n) => kinds.flatMap((k) => results[n][k]?.errors.map((e) => `${k} ${n}: ${e}`) ?? []));
report.note(
  `${DELIVERY_ROUNDS} delivery rounds and ${STORM_ROUNDS} storm rounds per point (after one unmeasured round of each). ` +
    'Times run from the moment the initiator sends the action, so they include the action itself (lock, commit, fsync) — an upper bound on "after the commit"; ' +
    `the spread column is the fan-out alone. All subscribers and the initiator are windows of one till (same cookies; receipt scope "${profile.receiptScope}") in one client process, separate from the host. ` +
    `Engine from ${flags.from}/.` +
    (errors.length ? ` Errors: ${errors.join('; ').slice(0, 400)}` : ''),
);
await report.save();
