// Reliability soak: kill -9 during a write stream loses no acknowledged write. A till streams writes at
// c = 8; the host is killed (SIGKILL) at a random moment, restarted on the same data folder, and what it
// kept is compared with what it had acknowledged. Cycles alternate two streams: addItem (checked by the
// receipt's item count) and, when the app sells, a sale cycle of two adds and completeSale (checked by
// the records in the sales journal; a sale commits five connectors at once).
//   npm run bench -- soak-kill [--cycles 5] [--app DIR]
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { appLabel, parseFlags } from './lib/flags.js';
import { LoadGenerator } from './lib/load.js';
import type { LoadRequest } from './lib/load-core.js';
import { loadProfile, serverOptions } from './lib/profile.js';
import { checkList, mdTable, Report } from './lib/results.js';
import { startServer, type ServerHandle } from './lib/servers.js';
import { actionHeaders, BenchClient } from './lib/session.js';
import { count, ms } from './lib/stats.js';

const flags = parseFlags();
const cycles = flags.cycles ?? 5;
const profile = await loadProfile(flags.app);
const report = new Report(`soak-kill — ${appLabel(flags.app)}`, flags.record);
const sleep = (msec: number) => new Promise((resolve) => setTimeout(resolve, msec));

interface Cycle {
  stream: 'addItem' | 'sale';
  killedAfterMs: number;
  acked: number;
  kept: number;
  restartMs: number;
  sessionKept: boolean;
  failedAfterKill: number;
}

const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-kill-'));
const start = () => startServer({ kind: 'engine', ...serverOptions(profile), from: flags.from, dataDir });

/** The same till (its cookies) on the restarted host; logs in again only if its session was not kept. */
async function reattach(previous: BenchClient, url: string): Promise<{ client: BenchClient; sessionKept: boolean }> {
  const client = new BenchClient(url);
  for (const [name, value] of previous.cookies) client.cookies.set(name, value);
  const page = await client.get('/');
  if (page.status === 200 && !/name="password"/.test(page.text)) return { client, sessionKept: true };
  await client.get('/login');
  await client.must('/auth/login', { login: 'kassir', password: '123' });
  await client.get('/');
  return { client, sessionKept: false };
}

async function journalRecords(): Promise<number> {
  if (!profile.journal) return 0;
  try {
    const bytes = await readFile(path.join(dataDir, `${profile.journal.connector}.jsonl`));
    let lines = 0;
    for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) lines++;
    return lines;
  } catch {
    return 0;
  }
}

async function itemCount(client: BenchClient): Promise<number> {
  return profile.itemCount(String((await client.must(profile.refresh.path, profile.refresh.body)).html ?? ''));
}

const results: Cycle[] = [];
let failure = '';
let server: ServerHandle | undefined = await start();
const load = await LoadGenerator.start();
try {
  let client = await profile.login(server.url);
  await profile.openShift(client);
  const adds: LoadRequest[] = profile.productIds.map((id) => ({ path: profile.addItem.path, body: JSON.stringify(profile.addItem.body(id)) }));
  for (let cycle = 0; cycle < cycles; cycle++) {
    const stream: Cycle['stream'] = profile.sale && profile.journal && cycle % 2 === 1 ? 'sale' : 'addItem';
    if (profile.clear) await client.must(profile.clear.path, {});
    const before = stream === 'sale' ? await journalRecords() : await itemCount(client);
    const requests = stream === 'sale' ? [adds[0], adds[1], { path: profile.sale!.path, body: JSON.stringify(profile.sale!.body) }] : adds;
    const killedAfterMs = Math.round(800 + Math.random() * 1700);
    const job = load.run({ url: server.url, requests, headers: actionHeaders(client.info()), concurrency: 8, seconds: killedAfterMs / 1000 + 0.7 });
    await sleep(killedAfterMs);
    await server.kill9();
    const streamed = await job;
    try {
      server = await start();
    } catch (error) {
      server = undefined;
      failure = `after kill ${cycle + 1} the host did not start again: ${(error as Error).message}`;
      break;
    }
    const again = await reattach(client, server.url);
    client = again.client;
    const after = stream === 'sale' ? await journalRecords() : await itemCount(client);
    results.push({
      stream,
      killedAfterMs,
      acked: stream === 'sale' ? streamed.byRequest[2].length : streamed.ok,
      kept: after - before,
      restartMs: server.readyMs,
      sessionKept: again.sessionKept,
      failedAfterKill: streamed.failed,
    });
    const last = results[results.length - 1];
    process.stdout.write(`  cycle ${cycle + 1} (${stream}): killed after ${killedAfterMs} ms, ${last.acked} acknowledged, ${last.kept} kept\n`);
  }
} finally {
  load.close();
  await server?.stop();
  await rm(dataDir, { recursive: true, force: true });
}

const lost = (c: Cycle) => Math.max(0, c.acked - c.kept);
report.add(
  '### kill -9 during a write stream (c = 8), restart on the same data\n\n' +
    mdTable(
      ['cycle', 'stream', 'killed after (ms)', 'acknowledged', 'kept', 'lost', 'kept but unacknowledged', 'restart (ms)', 'session kept'],
      results.map((c, i) => [i + 1, c.stream === 'sale' ? 'add, add, completeSale' : 'addItem', c.killedAfterMs, count(c.acked), count(c.kept), lost(c), Math.max(0, c.kept - c.acked), ms(c.restartMs, 0), c.sessionKept ? 'yes' : 'no']),
    ),
);
report.add(
  `Checks:\n\n${checkList([
    { label: 'no acknowledged write lost', pass: results.length > 0 && results.every((c) => lost(c) === 0), detail: `${results.reduce((s, c) => s + lost(c), 0)} lost over ${results.length} kills` },
    { label: 'the host starts again after every kill', pass: !failure && results.length === cycles, detail: failure || `${results.length} of ${cycles}` },
    { label: 'at most the writes in flight (8) kept without acknowledgement', pass: results.every((c) => c.kept - c.acked <= 8), detail: results.map((c) => Math.max(0, c.kept - c.acked)).join(', ') },
  ])}`,
);
report.note(
  'Kept = growth of the receipt\'s item count (addItem) or of the sales journal\'s records (sale cycles) between before the stream and after the restart. ' +
    'Writes in flight at the kill may or may not be kept (they were never acknowledged). Requests after the kill fail and are not counted. ' +
    `Engine from ${flags.from}/; the host process is killed with SIGKILL (no shutdown code runs).`,
);
await report.save();
