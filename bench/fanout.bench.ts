// Fan-out: event delivery to 10 / 100 / 300 subscribers after one till's write action, and the full
// refresh storm (every subscriber answers its event with a soft refresh), engine and baseline.
// Subscribers are windows of the SAME till (same cookies): with a terminal-scoped receipt only they get the
// receipt's events — the real case of one till with several displays.
//   npm run bench -- fanout [--app DIR] [--no-baseline] [--from source]
//   npm run bench -- fanout --rounds 5 [--app test/fixtures/original-kassa]
// With --rounds: 300 subscribers, interleaved in one run — per round the engine with automatic push (windows
// tell the host their soft refresh, as the browser client does), the engine without it (windows subscribe as
// an older client: every refresh is an HTTP round trip), and the baseline — each on a fresh server, each
// round's figures and the median of the per-round ratios reported (issue 18, item 4).
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
/**
 * The fan-out load generator split over `count` client processes: the first (the driver) holds its share of
 * the subscribers and the initiating window and sends the actions; the others (listeners) hold the rest and
 * time their arrivals on the wall clock. A round starts once every listener has finished the one before.
 * The results are merged into one, as if a single process had held every subscriber.
 */
class SplitFanout {
  private constructor(private readonly helpers: HelperProcess[]) {
    const [driver, ...listeners] = helpers;
    const done = new Map<number, number>();
    for (const listener of listeners) {
      listener.onMessage<{ round: number }>('round-done', ({ round }) => {
        const count = (done.get(round) ?? 0) + 1;
        done.set(round, count);
        if (count === listeners.length) {
          done.delete(round);
          driver.post({ type: 'others-done', round });
        }
      });
    }
  }

  static async start(count: number): Promise<SplitFanout> {
    return new SplitFanout(await Promise.all(Array.from({ length: count }, () => HelperProcess.start('fanout-child'))));
  }

  get count(): number {
    return this.helpers.length;
  }

  async run(spec: FanoutSpec): Promise<FanoutResult> {
    if (this.helpers.length === 1) return this.helpers[0].run<FanoutResult>(spec, 120_000);
    const share = (i: number) => Math.floor(spec.subscribers / this.helpers.length) + (i < spec.subscribers % this.helpers.length ? 1 : 0);
    const [driver, ...listeners] = this.helpers;
    // the listeners connect first: the driver's first action must find every subscriber there
    const connected = Promise.all(listeners.map((helper) => new Promise<void>((resolve) => helper.onceMessage('connected', resolve))));
    const listening = listeners.map((helper, i) => helper.run<FanoutResult>({ ...spec, subscribers: share(i + 1), role: 'listener' }, 120_000));
    await Promise.race([connected, Promise.all(listening)]);
    const main = await driver.run<FanoutResult>({ ...spec, subscribers: share(0), role: 'driver' }, 120_000);
    return mergeFanout(main, await Promise.all(listening), spec.subscribers);
  }

  close(): void {
    for (const helper of this.helpers) helper.close();
  }
}

/** The driver's rounds with every listener's arrivals (wall clock) made relative to the round's send. */
function mergeFanout(main: FanoutResult, listeners: FanoutResult[], subscribers: number): FanoutResult {
  const merged: FanoutResult = { ...main, subscribers, delivery: [], spread: [], storms: [], rounds: [], errors: [...main.errors] };
  for (const listener of listeners) {
    merged.missed += listener.missed;
    merged.stormFailures += listener.stormFailures;
    merged.errors.push(...listener.errors);
  }
  main.rounds.forEach((round, i) => {
    const arrivals = [...round.arrivals];
    let endMs = round.endMs;
    for (const listener of listeners) {
      const theirs = listener.rounds[i];
      if (!theirs) continue;
      arrivals.push(...theirs.arrivals.map((at) => at - round.t0Abs));
      if (round.storm) endMs = Math.max(endMs ?? NaN, (theirs.endMs ?? NaN) - round.t0Abs);
    }
    merged.rounds.push({ storm: round.storm, t0Abs: round.t0Abs, arrivals, endMs });
    if (round.storm) merged.storms.push(endMs ?? NaN);
    else {
      merged.delivery.push(...arrivals);
      if (arrivals.length) merged.spread.push(Math.max(...arrivals) - Math.min(...arrivals));
    }
  });
  return merged;
}

if (flags.rounds !== undefined) {
  await interleaved(Math.max(5, Math.round(flags.rounds)));
  process.exit(0);
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

/** engine+push ws.send: the engine with push, its event frames sent through ws.send (SERVEROKEY_PREFRAMED=off) */
type Variant = 'engine+push' | 'engine' | 'engine+push ws.send' | 'baseline';

interface RoundFigures {
  deliveryP50: number;
  deliveryP99: number;
  stormMedian: number;
  stormMax: number;
  missed: number;
  stormFailures: number;
  errors: string[];
}

/** A / C / B per round on fresh servers; the load generator (subscribers, initiator, refreshes) in one other process. */
async function interleaved(rounds: number): Promise<void> {
  const SUBS = 300;
  // --compare-framing: the hub's framed-once sends against ws.send, both with push (the "before" of that change)
  const before: Variant = flags.compareFraming ? 'engine+push ws.send' : 'engine';
  const variants: Variant[] = flags.baseline ? ['engine+push', before, 'baseline'] : ['engine+push', before];
  const figures: Record<Variant, RoundFigures[]> = { 'engine+push': [], engine: [], 'engine+push ws.send': [], baseline: [] };
  const clients = await SplitFanout.start(Math.max(1, Math.round(flags.clients ?? 3)));
  try {
    for (let round = 1; round <= rounds; round++) {
      // the order rotates from round to round: the first server after a pause was seen to fare worse
      const order = variants.map((_, i) => variants[(i + round - 1) % variants.length]);
      for (const variant of order) {
        const kind: ServerKind = variant === 'baseline' ? 'baseline' : 'engine';
        const env = variant === 'engine+push ws.send' ? { SERVEROKEY_PREFRAMED: 'off' } : undefined;
        const server = await startServer({ kind, ...serverOptions(profile), from: flags.from, env });
        try {
          const till = await profile.login(server.url);
          await profile.openShift(till);
          for (const id of profile.productIds.slice(0, 3)) await till.must(profile.addItem.path, profile.addItem.body(id));
          const spec: FanoutSpec = {
            session: till.info(),
            subscribers: SUBS,
            channel: profile.channel,
            event: profile.event,
            action: { path: profile.addItem.path, body: JSON.stringify(profile.addItem.body(profile.productIds[0])) },
            refresh: { path: profile.refresh.path, body: JSON.stringify(profile.refresh.body) },
            // what the receipt element of the page (atom-target #receipt-container) asks the host to push
            refreshRequest:
              variant === 'engine+push' || variant === 'engine+push ws.send' ? { method: 'POST', url: profile.refresh.path, target: '#receipt-container', body: {}, page: '/' } : undefined,
            deliveryRounds: 10,
            stormRounds: 5,
            pauseMs: 30,
          };
          const result = await clients.run(spec);
          const timed = timeFromCommit(result, await server.syncTimes());
          const d = summarize(timed.afterCommit);
          const f: RoundFigures = {
            deliveryP50: d.p50,
            deliveryP99: d.p99,
            stormMedian: median(timed.stormsAfterCommit),
            stormMax: Math.max(...timed.stormsAfterCommit),
            missed: result.missed,
            stormFailures: result.stormFailures,
            errors: result.errors,
          };
          figures[variant].push(f);
          process.stdout.write(`  round ${round} ${variant}: delivery p99 ${ms(f.deliveryP99)} ms, storm median ${ms(f.stormMedian)} ms${f.errors.length ? `, errors: ${f.errors.join('; ')}` : ''}\n`);
        } finally {
          await server.stop();
        }
      }
    }
  } finally {
    clients.close();
  }
  const perRound = (a: Variant, b: Variant, pick: (f: RoundFigures) => number) =>
    figures[a].map((f, i) => (figures[b][i] ? pick(f) / pick(figures[b][i]) : NaN));
  const medianRatio = (a: Variant, b: Variant, pick: (f: RoundFigures) => number) => {
    const ratios = perRound(a, b, pick).filter(Number.isFinite);
    return ratios.length ? `${median(ratios).toFixed(2)}×` : '–';
  };
  const rows: Array<Array<string | number>> = [];
  for (let i = 0; i < rounds; i++) {
    for (const variant of variants) {
      const f = figures[variant][i];
      rows.push([i + 1, variant, `${ms(f.deliveryP50)} / ${ms(f.deliveryP99)}`, `${ms(f.stormMedian)} / ${ms(f.stormMax)}`, `${f.missed} / ${f.stormFailures}`]);
    }
  }
  report.add(
    `### Interleaved at ${SUBS} subscribers (times after the commit), ${rounds} rounds\n\n` +
      mdTable(['round', 'server', 'delivery p50 / p99 ms', 'storm median / max ms', 'missed / failed refreshes'], rows),
  );
  const deliveryP99 = (f: RoundFigures) => f.deliveryP99;
  const storm = (f: RoundFigures) => f.stormMedian;
  const medians = (variant: Variant, pick: (f: RoundFigures) => number) => ms(median(figures[variant].map(pick)));
  const beforeLabel = flags.compareFraming ? 'engine+push ws.send (before)' : 'engine (before)';
  const ratioRows: Array<Array<string | number>> = [[`engine+push vs ${beforeLabel}`, medianRatio('engine+push', before, deliveryP99), medianRatio('engine+push', before, storm)]];
  if (flags.baseline) {
    ratioRows.push(['engine+push vs baseline', medianRatio('engine+push', 'baseline', deliveryP99), medianRatio('engine+push', 'baseline', storm)]);
    ratioRows.push([`${beforeLabel} vs baseline`, medianRatio(before, 'baseline', deliveryP99), medianRatio(before, 'baseline', storm)]);
  }
  report.add('### Median of the per-round ratios\n\n' + mdTable(['comparison', 'delivery p99', 'storm median'], ratioRows));
  const pushStorm = median(figures['engine+push'].map(storm));
  const pushP99 = median(figures['engine+push'].map(deliveryP99));
  report.add(
    `Targets:\n\n${checkList([
      { label: `storm at ${SUBS} subscribers ≤ ${TARGETS.stormMs} ms (median of rounds)`, pass: pushStorm <= TARGETS.stormMs, detail: `engine+push ${ms(pushStorm)} ms; ${beforeLabel} ${medians(before, storm)} ms${flags.baseline ? `; baseline ${medians('baseline', storm)} ms` : ''}` },
      { label: `delivery p99 at ${SUBS} subscribers ≤ ${TARGETS.deliveryP99Ms} ms (median of rounds)`, pass: pushP99 <= TARGETS.deliveryP99Ms, detail: `engine+push ${ms(pushP99)} ms; ${beforeLabel} ${medians(before, deliveryP99)} ms${flags.baseline ? `; baseline ${medians('baseline', deliveryP99)} ms` : ''}` },
    ])}`,
  );
  report.note(
    `Each round starts every server afresh, in the order ${variants.join(', ')} rotated by one each round (round 2 starts with the second)${flags.compareFraming ? ' (engine+push: event frames framed once per payload and written to each socket, server/realtime/preframed.ts; engine+push ws.send: the same engine with SERVEROKEY_PREFRAMED=off, every frame through ws.send)' : ''}; per run 10 delivery rounds and 5 storm rounds (after one unmeasured round of each). ` +
      `Load generator: the 300 subscribers are split over ${clients.count} helper processes (bench/lib/fanout-child.ts; ${clients.count === 1 ? 'all of them' : `${Math.ceil(SUBS / clients.count)} each`}), separate from the server process and from this driver; the first also holds the initiating window and sends the actions, the others start each round on its event and report when they are done, and the next round starts once all are (bench/README.md, "Fan-out: the load generator"). ` +
      'An event counts as arrived once its window has decoded and parsed the frame; in a storm a window is done when its refreshed HTML is there (a pushed refresh on arrival, else the answer of its HTTP refresh). ' +
      `Engine from ${flags.from}/.`,
  );
  await report.save();
}

