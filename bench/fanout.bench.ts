// Fan-out: event delivery to 10 / 100 / 300 subscribers after one till's write action, and the full
// refresh storm (every subscriber answers its event with a soft refresh), engine and baseline.
// Subscribers are windows of the SAME till (same cookies): with a terminal-scoped receipt only they get the
// receipt's events — the real case of one till with several displays.
//   npm run bench -- fanout [--app DIR] [--no-baseline] [--from source]
import { appLabel, parseFlags } from './lib/flags.js';
import type { FanoutResult, FanoutSpec } from './lib/fanout-core.js';
import { HelperProcess } from './lib/load.js';
import { loadProfile, serverOptions } from './lib/profile.js';
import { checkList, mdTable, Report, type Check } from './lib/results.js';
import { startServer, type ServerKind } from './lib/servers.js';
import { median, ms, ratio, summarize } from './lib/stats.js';
import { ORIGINAL, TARGETS } from './lib/targets.js';

const flags = parseFlags();
const SUBSCRIBERS = [10, 100, 300];
const DELIVERY_ROUNDS = 20;
const STORM_ROUNDS = 5;
const profile = await loadProfile(flags.app);
const report = new Report(`fanout — ${appLabel(flags.app)}`, flags.record);
const kinds: ServerKind[] = flags.baseline ? ['engine', 'baseline'] : ['engine'];
const results: Record<number, Partial<Record<ServerKind, FanoutResult & Timed>>> = {};

interface Timed {
  /** per delivery: ms from the round's commit (its last fsync before the first event) to the event */
  afterCommit: number[];
  /** per storm: ms from the commit to the last refresh answer */
  stormsAfterCommit: number[];
  /** per round: ms from sending the action to its commit */
  commitMs: number[];
  /** rounds in which no fsync was seen between sending and the first event (commit taken as the send) */
  untimed: number;
}

function timeFromCommit(result: FanoutResult, syncs: number[]): Timed {
  const timed: Timed = { afterCommit: [], stormsAfterCommit: [], commitMs: [], untimed: 0 };
  for (const round of result.rounds) {
    if (round.arrivals.length === 0) continue;
    const first = round.t0Abs + Math.min(...round.arrivals);
    const inRound = syncs.filter((t) => t >= round.t0Abs && t <= first);
    const commit = inRound.length ? Math.max(...inRound) - round.t0Abs : 0;
    if (!inRound.length) timed.untimed++;
    timed.commitMs.push(commit);
    if (round.storm) timed.stormsAfterCommit.push((round.endMs ?? NaN) - commit);
    else timed.afterCommit.push(...round.arrivals.map((a) => a - commit));
  }
  return timed;
}
const clientProcess = await HelperProcess.start('fanout-child');

try {
  for (const kind of kinds) {
    const server = await startServer({ kind, ...serverOptions(profile), from: flags.from });
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
        const timed = { ...result, ...timeFromCommit(result, await server.syncTimes()) };
        (results[subscribers] ??= {})[kind] = timed;
        const d = summarize(timed.afterCommit);
        process.stdout.write(`  ${kind} ${subscribers} subscribers: delivery p99 ${ms(d.p99)} ms after commit, storm median ${ms(median(timed.stormsAfterCommit))} ms${result.errors.length ? `, errors: ${result.errors.join('; ')}` : ''}\n`);
      }
    } finally {
      await server.stop();
    }
  }
} finally {
  clientProcess.close();
}

type Timedresult = FanoutResult & Timed;
const cell = (r: Timedresult | undefined, pick: (r: Timedresult) => string) => (r ? pick(r) : '–');
const deliveryCell = (r: Timedresult) => {
  const d = summarize(r.afterCommit);
  return `${ms(d.p50)} / ${ms(d.p99)} / ${ms(d.max)}`;
};
const stormCell = (r: Timedresult) => `${ms(median(r.stormsAfterCommit))} / ${ms(Math.max(...r.stormsAfterCommit))}`;

report.add(
  '### Event delivery and refresh storm (times after the commit)\n\n' +
    mdTable(
      [
        'subscribers',
        'engine delivery p50 / p99 / max ms',
        'baseline delivery p50 / p99 / max ms',
        'delivery p99 vs baseline',
        'engine storm median / max ms',
        'baseline storm median / max ms',
        'storm vs baseline',
        'engine: send → commit p50 ms',
        'engine: delivery p99 after send ms',
        'engine missed / echoed / failed refreshes',
      ],
      SUBSCRIBERS.map((n) => {
        const e = results[n].engine!;
        const b = results[n].baseline;
        return [
          n,
          deliveryCell(e),
          cell(b, deliveryCell),
          b ? ratio(summarize(e.afterCommit).p99, summarize(b.afterCommit).p99) : '–',
          stormCell(e),
          cell(b, stormCell),
          b ? ratio(median(e.stormsAfterCommit), median(b.stormsAfterCommit)) : '–',
          ms(median(e.commitMs)),
          ms(summarize(e.delivery).p99),
          `${e.missed} / ${e.echoed} / ${e.stormFailures}`,
        ];
      }),
    ),
);

const e300 = results[300].engine!;
const b300 = results[300].baseline;
const d300 = summarize(e300.afterCommit);
const storm300 = Math.max(...e300.stormsAfterCommit);
const checks: Check[] = [
  {
    label: `300 subscribers: every event delivered within ${TARGETS.deliveryP99Ms} ms (p99) of the commit`,
    pass: d300.p99 <= TARGETS.deliveryP99Ms && e300.missed === 0,
    detail: `p99 ${ms(d300.p99)} ms, max ${ms(d300.max)} ms, ${e300.missed} missed (original p50 / max ${ORIGINAL.deliveryMs.p50} / ${ORIGINAL.deliveryMs.max} ms after the action)`,
  },
  {
    label: `whole refresh storm of 300 subscribers ≤ ${TARGETS.stormMs} ms`,
    pass: storm300 <= TARGETS.stormMs && e300.stormFailures === 0,
    detail: `median ${ms(median(e300.stormsAfterCommit))} ms, max ${ms(storm300)} ms after the commit (${ms(Math.max(...e300.storms))} ms after sending the action; original ${ORIGINAL.stormMs} ms)${b300 ? `; baseline median ${ms(median(b300.stormsAfterCommit))} ms` : ''}`,
  },
  { label: 'the initiating window never gets its own event', pass: SUBSCRIBERS.every((n) => results[n].engine!.echoed === 0), detail: SUBSCRIBERS.map((n) => `${n}: ${results[n].engine!.echoed}`).join(', ') },
];
report.add(`Targets:\n\n${checkList(checks)}`);
const errors = SUBSCRIBERS.flatMap((n) => kinds.flatMap((k) => results[n][k]?.errors.map((e) => `${k} ${n}: ${e}`) ?? []));
report.note(
  `${DELIVERY_ROUNDS} delivery rounds and ${STORM_ROUNDS} storm rounds per point (after one unmeasured round of each). ` +
    'A round\'s commit is the moment the server\'s last fsync before the first event finished (the host process records fsync completions; ' +
    'clocks are shared, same machine); "after send" adds the action\'s own request, lock and fsync. ' +
    `${SUBSCRIBERS.reduce((s, n) => s + kinds.reduce((t, k) => t + (results[n][k]?.untimed ?? 0), 0), 0)} rounds had no fsync to time from (taken from the send). All subscribers and the initiator are windows of one till (same cookies; receipt scope "${profile.receiptScope}") in one client process, separate from the host; an event counts as arrived once that window has decoded and parsed its frame. ` +
    'With apps/kassa both servers push the rendered receipt with the event (the baseline encodes it as the engine does: once per scope, pure-ASCII JSON, without the CSS the pages have). ' +
    `Engine from ${flags.from}/.` +
    (errors.length ? ` Errors: ${errors.join('; ').slice(0, 400)}` : ''),
);
await report.save();
