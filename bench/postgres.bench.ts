// The same workload on three setups, interleaved round by round: one host on its data folder (lowdb and
// the write-ahead log), one host on PostgreSQL, and two hosts on one PostgreSQL database with the clients
// spread over both. Writes (8 clients, read-modify-write of one shared state), reads (8 clients, an
// action that renders a component), and event delivery (one writer, a subscriber on the other host when
// there are two). Hosts run in their own processes (the CLI from the sources); clients in this one.
// PostgreSQL is a throwaway cluster with fsync on (the durability a real server has).
// Run: npm run bench -- postgres
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { TestTerminal, type TestSocket } from '../test/helpers/http-client.js';
import { startPostgres } from '../test/helpers/postgres.js';
import { mdTable, projectRoot, Report } from './lib/results.js';
import { ms, summarize } from './lib/stats.js';

const appDir = path.join(projectRoot, 'test', 'fixtures', 'realtime-app');
const ROUNDS = 3;
const CLIENTS = 8;
const WRITES_PER_CLIENT = 40;
const READS_PER_CLIENT = 60;
const EVENTS = 60;

interface Setup {
  name: string;
  urls: string[];
  writes: number[];
  writeSeconds: number;
  reads: number[];
  readSeconds: number;
  delivery: number[];
}

const children: ChildProcess[] = [];

async function startHost(database: string | undefined, dataDir: string): Promise<string> {
  const args = ['--import', 'tsx', path.join(projectRoot, 'server', 'cli.ts'), 'serve', appDir, '--port', '0', '--data', dataDir];
  if (database) args.push('--database', database);
  const child = spawn(process.execPath, args, { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const served = /serving \S+ at (http:\/\/\S+)/.exec(output);
      if (served) resolve(served[1]);
    });
    child.stderr!.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`a host exited (${code}):\n${output}`)));
  });
}

async function loggedIn(url: string, login: string): Promise<TestTerminal> {
  const client = new TestTerminal(url);
  const result = await client.login(login, 'secret');
  if (result.status !== 200) throw new Error(`login on ${url}: ${result.status}`);
  return client;
}

/** Clients spread over the setup's hosts, one login each. */
async function clientsOf(setup: Setup): Promise<TestTerminal[]> {
  return Promise.all(Array.from({ length: CLIENTS }, (_, index) => loggedIn(setup.urls[index % setup.urls.length], index % 2 ? 'bob' : 'alice')));
}

async function measureWrites(setup: Setup, clients: TestTerminal[]): Promise<void> {
  const started = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      for (let i = 0; i < WRITES_PER_CLIENT; i++) {
        const t0 = performance.now();
        const result = await client.action('/action/stats-bump', { amount: 1 });
        if (result.status !== 200) throw new Error(`write: ${result.status} ${JSON.stringify(result.body)}`);
        setup.writes.push(performance.now() - t0);
      }
    }),
  );
  setup.writeSeconds += (performance.now() - started) / 1000;
}

async function measureReads(setup: Setup, clients: TestTerminal[]): Promise<void> {
  const started = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      for (let i = 0; i < READS_PER_CLIENT; i++) {
        const t0 = performance.now();
        const result = await client.action('/action/receipt-refresh');
        if (result.status !== 200) throw new Error(`read: ${result.status}`);
        setup.reads.push(performance.now() - t0);
      }
    }),
  );
  setup.readSeconds += (performance.now() - started) / 1000;
}

/** One writer on the first host, a subscriber on the last: from sending the action to the event's arrival. */
async function measureDelivery(setup: Setup, writer: TestTerminal, subscriber: TestSocket): Promise<void> {
  for (let i = 0; i < EVENTS; i++) {
    const seen = subscriber.frames.length;
    const t0 = performance.now();
    const arrived = subscriber.next((frame) => frame.event === 'stats-changed' && subscriber.frames.indexOf(frame) >= seen, 5000).then(() => performance.now());
    const result = await writer.action('/action/stats-bump', { amount: 1 });
    if (result.status !== 200) throw new Error(`event write: ${result.status}`);
    setup.delivery.push((await arrived) - t0);
  }
}

const cluster = await startPostgres({ fsync: true });
const folders: string[] = [];
const folder = async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pg-bench-'));
  folders.push(dir);
  return dir;
};
try {
  const one = await cluster.createDatabase();
  const two = await cluster.createDatabase();
  const setups: Setup[] = [
    { name: 'lowdb, 1 host', urls: [await startHost(undefined, await folder())] },
    { name: 'PostgreSQL, 1 host', urls: [await startHost(one, await folder())] },
    { name: 'PostgreSQL, 2 hosts', urls: [await startHost(two, await folder()), await startHost(two, await folder())] },
  ].map((setup) => ({ ...setup, writes: [], writeSeconds: 0, reads: [], readSeconds: 0, delivery: [] }));
  const prepared = await Promise.all(
    setups.map(async (setup) => {
      const clients = await clientsOf(setup);
      const writer = await loggedIn(setup.urls[0], 'alice');
      const watcher = await loggedIn(setup.urls.at(-1)!, 'root');
      const socket = await watcher.socket();
      await socket.subscribe('stats-ch');
      // a few lines on the receipt the reads render
      for (const name of ['Хлеб', 'Молоко', 'Сыр']) await writer.action('/action/receipt-add', { name });
      return { setup, clients, writer, socket };
    }),
  );
  // one unmeasured round warms every host up
  for (const { setup, clients } of prepared) {
    const scratch = { ...setup, writes: [], reads: [], writeSeconds: 0, readSeconds: 0 };
    await measureWrites(scratch, clients);
    await measureReads(scratch, clients);
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const { setup, clients, writer, socket } of prepared) {
      await measureWrites(setup, clients);
      await measureReads(setup, clients);
      await measureDelivery(setup, writer, socket);
    }
  }
  for (const { socket } of prepared) socket.close();

  const report = new Report('postgres — test/fixtures/realtime-app');
  report.add(
    mdTable(
      ['setup', 'writes/s', 'write p50 / p99 ms', 'reads/s', 'read p50 / p99 ms', 'event delivery p50 / p99 / max ms'],
      setups.map((setup) => {
        const writes = summarize(setup.writes);
        const reads = summarize(setup.reads);
        const delivery = summarize(setup.delivery);
        return [
          setup.name,
          Math.round(setup.writes.length / setup.writeSeconds),
          `${ms(writes.p50)} / ${ms(writes.p99)}`,
          Math.round(setup.reads.length / setup.readSeconds),
          `${ms(reads.p50)} / ${ms(reads.p99)}`,
          `${ms(delivery.p50)} / ${ms(delivery.p99)} / ${ms(delivery.max)}`,
        ];
      }),
    ),
  );
  report.note(
    `${ROUNDS} rounds, the setups interleaved in each (after one unmeasured round). Writes: ${CLIENTS} clients × ${WRITES_PER_CLIENT} ` +
      'read-modify-write actions on one shared state (stats-bump), clients alternating between the hosts of a setup. ' +
      `Reads: ${CLIENTS} clients × ${READS_PER_CLIENT} actions that render the receipt component (no write). Event delivery: ` +
      `${EVENTS} sequential writes by one client on the first host, timed from sending the action to the event's arrival at a ` +
      'subscriber on the last host (with two hosts: through PostgreSQL NOTIFY). Hosts: the CLI from the sources (tsx), one ' +
      'process each; PostgreSQL 15 on this machine, fsync on; clients in the benchmark process.',
  );
  await report.save();
} finally {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)))));
  await cluster.destroy();
  for (const dir of folders) await rm(dir, { recursive: true, force: true });
}
