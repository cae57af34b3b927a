// Reliability soak: the host under a client flood — 1,000 WebSocket connections of a logged-in till
// sending garbage frames (non-JSON, binary, unknown types and channels, frames over the size limit), plus
// upgrades without cookies or from a foreign origin and raw TCP junk — while a real till keeps refreshing
// its receipt. The host must keep serving: the till's requests succeed during and after, events still
// arrive afterwards, and the process is still there.
//   npm run bench -- soak-flood [--connections 1000] [--seconds 10] [--app DIR]
import { performance } from 'node:perf_hooks';
import { appLabel, parseFlags } from './lib/flags.js';
import type { FanoutResult } from './lib/fanout-core.js';
import type { FloodResult, FloodSpec } from './lib/flood-core.js';
import { HelperProcess, LoadGenerator } from './lib/load.js';
import type { LoadResult } from './lib/load-core.js';
import { loadProfile, serverOptions } from './lib/profile.js';
import { checkList, mdTable, Report, type Check } from './lib/results.js';
import { startServer } from './lib/servers.js';
import { actionHeaders } from './lib/session.js';
import { count, mb, ms, summarize } from './lib/stats.js';

const flags = parseFlags();
const connections = flags.connections ?? 1000;
const floodSeconds = flags.seconds ?? 10;
const profile = await loadProfile(flags.app);
const report = new Report(`soak-flood — ${appLabel(flags.app)}`, flags.record);
const sleep = (msec: number) => new Promise((resolve) => setTimeout(resolve, msec));

const server = await startServer({ kind: 'engine', ...serverOptions(profile), from: flags.from });
const load = await LoadGenerator.start();
const flooder = await HelperProcess.start('flood-child');
const fanout = await HelperProcess.start('fanout-child');
let flood: FloodResult | undefined;
const phases: Record<string, LoadResult> = {};
const rss: Record<string, number> = {};
let peakRss = 0;
let alive = true;
let pageAfter = 0;
let addAfter = 0;
let events: FanoutResult | undefined;
try {
  const client = await profile.login(server.url);
  await profile.openShift(client);
  if (profile.clear) await client.must(profile.clear.path, {});
  for (const id of profile.productIds.slice(0, 5)) await client.must(profile.addItem.path, profile.addItem.body(id));
  const refresh = (seconds: number) =>
    load.run({ url: server.url, requests: [{ path: profile.refresh.path, body: JSON.stringify(profile.refresh.body) }], headers: actionHeaders(client.info()), concurrency: 1, seconds });

  phases.before = await refresh(2);
  rss.before = await server.rss();

  const spec: FloodSpec = { session: client.info(), channel: profile.channel, connections, unauthenticated: 100, rawSockets: 100, seconds: floodSeconds };
  let flooding = true;
  const sampler = (async () => {
    while (flooding) {
      peakRss = Math.max(peakRss, await server.rss().catch(() => 0));
      await sleep(250);
    }
  })();
  const started = performance.now();
  const floodJob = flooder.run<FloodResult>(spec, (floodSeconds + 120) * 1000);
  // the till keeps working while the flood opens its connections and sends garbage
  phases.during = await refresh(floodSeconds + 2);
  flood = await floodJob;
  flooding = false;
  await sampler;
  const floodMs = performance.now() - started;
  process.stdout.write(`  flood done in ${(floodMs / 1000).toFixed(1)} s: ${flood.opened} opened, ${count(flood.framesSent)} frames\n`);

  alive = server.child.exitCode === null && server.child.signalCode === null;
  pageAfter = (await client.get('/')).status;
  addAfter = (await client.post(profile.addItem.path, profile.addItem.body(profile.productIds[0]))).status;
  events = await fanout.run<FanoutResult>(
    {
      session: client.info(),
      subscribers: 5,
      channel: profile.channel,
      event: profile.event,
      action: { path: profile.addItem.path, body: JSON.stringify(profile.addItem.body(profile.productIds[1])) },
      refresh: { path: profile.refresh.path, body: JSON.stringify(profile.refresh.body) },
      deliveryRounds: 3,
      stormRounds: 1,
      pauseMs: 30,
    },
    60_000,
  );
  await sleep(2000);
  phases.after = await refresh(2);
  rss.after = await server.rss();
} finally {
  load.close();
  flooder.close();
  fanout.close();
  await server.stop();
}

const phaseRow = (name: string) => {
  const p = phases[name];
  if (!p) return [name, '–', '–', '–'];
  const s = summarize(p.latencies);
  return [name, count(p.ok / p.elapsedSeconds), `${ms(s.p50)} / ${ms(s.p99)} / ${ms(s.max)}`, `${p.failed}${p.firstError ? ` (${p.firstError.slice(0, 80)})` : ''}`];
};
report.add('### A till refreshing its receipt (c = 1) before, during and after the flood\n\n' + mdTable(['phase', 'req/s', 'p50 / p99 / max ms', 'failed'], ['before', 'during', 'after'].map(phaseRow)));
if (flood) {
  report.add(
    '### The flood\n\n' +
      mdTable(
        ['what', 'figure'],
        [
          ['WebSocket connections of the till opened / failed', `${count(flood.opened)} / ${count(flood.failedToOpen)} (in ${ms(flood.openMs, 0)} ms)`],
          ['garbage frames sent', `${count(flood.framesSent)} (${(flood.bytesSent / 1024 / 1024).toFixed(1)} MB)`],
          ['connections the host closed (close code: count)', Object.entries(flood.closedByHost).map(([c, n]) => `${c}: ${n}`).join(', ') || 'none'],
          ['still open at the end', count(flood.openAtEnd)],
          ['upgrades without cookies / from a foreign origin: refused / accepted', `${flood.refusedUnauthenticated} / ${flood.acceptedUnauthenticated}`],
          ['raw TCP connections closed by the host: junk bytes / an unfinished request head', `${flood.junkClosedByHost} of 50 / ${flood.halfHeadsClosedByHost} of 50`],
          ['host RSS before / peak / 2 s after (MB)', `${mb(rss.before)} / ${mb(peakRss)} / ${mb(rss.after)}`],
        ],
      ),
  );
}
const checks: Check[] = [
  { label: 'the host process survived', pass: alive, detail: alive ? 'running' : 'exited' },
  { label: "the till's requests all succeeded during the flood", pass: phases.during?.failed === 0, detail: `${phases.during?.failed ?? '–'} failed of ${count((phases.during?.ok ?? 0) + (phases.during?.failed ?? 0))}` },
  { label: 'page and write action answer after the flood', pass: pageAfter === 200 && addAfter === 200, detail: `GET / ${pageAfter}, addItem ${addAfter}` },
  { label: 'events reach subscribers after the flood', pass: Boolean(events && events.missed === 0 && events.errors.length === 0 && events.delivery.length > 0), detail: events ? `${events.delivery.length} delivered, ${events.missed} missed${events.errors.length ? `, ${events.errors.join('; ')}` : ''}` : 'not measured' },
  { label: 'upgrades without cookies or from a foreign origin are refused', pass: flood ? flood.acceptedUnauthenticated === 0 : false, detail: flood ? `${flood.acceptedUnauthenticated} accepted` : '–' },
];
report.add(`Checks:\n\n${checkList(checks)}`);
report.note(
  `${count(connections)} connections with the till's cookies (each subscribes, then sends one garbage frame every 50 ms for ${floodSeconds} s; every 7th turn of the last kind is a 100 KB frame, over the host's 64 KB limit), ` +
    `100 upgrades without cookies or with a foreign Origin, 100 raw TCP connections; all from one client process. Engine from ${flags.from}/.` +
    (flood?.errors.length ? ` Flood errors: ${flood.errors.join('; ').slice(0, 300)}` : ''),
);
await report.save();
