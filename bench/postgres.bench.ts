// The same workloads on three setups, interleaved round by round: one host on its data folder (lowdb and
// the write-ahead log), one host on PostgreSQL, and two hosts on one PostgreSQL database with the clients
// spread over both. Hosts run in their own processes (the CLI from the sources); clients in this one.
// PostgreSQL is a throwaway cluster with fsync on (the durability a real server has).
//
// 1. Small states (test/fixtures/realtime-app): writes (8 clients, read-modify-write of one shared state),
//    reads (8 clients, an action that renders a component), and event delivery (one writer, a subscriber on
//    the other host when there are two), per round.
// 2. A 50,000-product catalogue (bench/fixtures/catalogue-app): lookups by barcode (keyed), pages of a
//    search (page), sales of one unit (one product of 50,000 written), the sale's event on the other host,
//    and each host's RSS.
//
// 3. Store to store (no HTTP): a commit on one store until the other has taken it in.
//
// PG_BENCH_BEFORE=DIR adds "PostgreSQL, 2 hosts (before)": the same two-host setup with the CLI of another
// checkout (e.g. `git archive <commit> | tar -x -C DIR` with node_modules linked), interleaved with the rest.
// Run: npm run bench -- postgres [--rounds 5] [--no-record]
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { TestTerminal, type TestSocket } from '../test/helpers/http-client.js';
import { startPostgres } from '../test/helpers/postgres.js';
import { startHostProcess } from '../test/helpers/host-process.js';
import type { Store } from '../server/store/index.js';
import { parseFlags } from './lib/flags.js';
import { mdTable, projectRoot, Report } from './lib/results.js';
import { median, ms, summarize } from './lib/stats.js';

const flags = parseFlags();
const smallApp = path.join(projectRoot, 'test', 'fixtures', 'realtime-app');
const catalogueApp = path.join(projectRoot, 'bench', 'fixtures', 'catalogue-app');
const before = process.env.PG_BENCH_BEFORE;
const ROUNDS = Math.max(5, flags.rounds ?? 5);
const CLIENTS = 8;
const WRITES_PER_CLIENT = 40;
const READS_PER_CLIENT = 60;
const EVENTS = 60;
const PRODUCTS = 50_000;
const LOOKUPS_PER_CLIENT = 40;
const PAGES_PER_CLIENT = 15;
const SELLERS = 4;
const SALES_PER_SELLER = 10;
const SALE_EVENTS = 15;
const STORE_COMMITS = 200;
/** PG_BENCH_ONLY=hosts or stores: one part only (default both) */
const parts = new Set((process.env.PG_BENCH_ONLY ?? 'hosts,stores').split(','));

interface Host {
  url: string;
  child: ChildProcess;
}

/** One round's samples of one setup. */
interface Round {
  writes: number[];
  writeSeconds: number;
  reads: number[];
  readSeconds: number;
  delivery: number[];
  lookups: number[];
  pages: number[];
  sales: number[];
  saleDelivery: number[];
  /** the largest RSS of the setup's catalogue hosts after the round, bytes */
  rss: number;
}

interface Setup {
  name: string;
  small: Host[];
  catalogue: Host[];
  rounds: Round[];
}

const children: ChildProcess[] = [];

async function startHost(appDir: string, database: string | undefined, dataDir: string, root = projectRoot): Promise<Host> {
  const args = [appDir, '--port', '0', '--data', dataDir];
  if (database) args.push('--database', database);
  const { url, child } = await startHostProcess(args, { root, env: { ...process.env, CATALOGUE_PRODUCTS: String(PRODUCTS) } });
  children.push(child);
  return { url, child };
}

function rssOf(host: Host): number {
  const match = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${host.child.pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : NaN;
}

async function loggedIn(url: string, login: string): Promise<TestTerminal> {
  const client = new TestTerminal(url);
  const result = await client.login(login, 'secret');
  if (result.status !== 200) throw new Error(`login on ${url}: ${result.status}`);
  return client;
}

async function timed(samples: number[], send: () => Promise<{ status: number; body: unknown }>, what: string): Promise<void> {
  const t0 = performance.now();
  const result = await send();
  if (result.status !== 200) throw new Error(`${what}: ${result.status} ${JSON.stringify(result.body).slice(0, 300)}`);
  samples.push(performance.now() - t0);
}

/** From sending the action to the event's arrival at the subscriber. */
async function deliveryOf(samples: number[], subscriber: TestSocket, event: string, send: () => Promise<{ status: number; body: unknown }>): Promise<void> {
  const seen = subscriber.frames.length;
  const t0 = performance.now();
  // a sale on the file store's 50,000-product catalogue can take a second
  const arrived = subscriber.next((frame) => frame.event === event && subscriber.frames.indexOf(frame) >= seen, 20_000).then(
    () => performance.now(),
    () => {
      throw new Error(`no "${event}" event within 20 s`);
    },
  );
  const result = await send();
  if (result.status !== 200) throw new Error(`${event} write: ${result.status}`);
  samples.push((await arrived) - t0);
}

const random = (n: number) => 1 + Math.floor(Math.random() * n);
const barcode = (id: number) => String(4_600_000_000_000 + id);

interface Prepared {
  setup: Setup;
  // small states
  clients: TestTerminal[];
  writer: TestTerminal;
  socket: TestSocket;
  // the catalogue
  shoppers: TestTerminal[];
  seller: TestTerminal;
  catalogueSocket: TestSocket;
}

async function prepare(setup: Setup): Promise<Prepared> {
  const clients = await Promise.all(
    Array.from({ length: CLIENTS }, (_, index) => loggedIn(setup.small[index % setup.small.length].url, index % 2 ? 'bob' : 'alice')),
  );
  const writer = await loggedIn(setup.small[0].url, 'alice');
  const watcher = await loggedIn(setup.small.at(-1)!.url, 'root');
  const socket = await watcher.socket();
  await socket.subscribe('stats-ch');
  // a few lines on the receipt the reads render
  for (const name of ['Хлеб', 'Молоко', 'Сыр']) await writer.action('/action/receipt-add', { name });
  const shoppers = await Promise.all(
    Array.from({ length: CLIENTS }, (_, index) => new TestTerminal(setup.catalogue[index % setup.catalogue.length].url).open('/')),
  );
  const seller = await new TestTerminal(setup.catalogue[0].url).open('/');
  const catalogueSocket = await (await new TestTerminal(setup.catalogue.at(-1)!.url).open('/')).socket();
  await catalogueSocket.subscribe('products-ch');
  return { setup, clients, writer, socket, shoppers, seller, catalogueSocket };
}

async function measure(prepared: Prepared, round: Round): Promise<void> {
  try {
    await measureRound(prepared, round);
  } catch (error) {
    throw new Error(`${prepared.setup.name}: ${(error as Error).message}`, { cause: error });
  }
}

async function measureRound(prepared: Prepared, round: Round): Promise<void> {
  const { clients, writer, socket, shoppers, seller, catalogueSocket, setup } = prepared;
  // small states
  let started = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      for (let i = 0; i < WRITES_PER_CLIENT; i++) await timed(round.writes, () => client.action('/action/stats-bump', { amount: 1 }), 'write');
    }),
  );
  round.writeSeconds += (performance.now() - started) / 1000;
  started = performance.now();
  await Promise.all(
    clients.map(async (client) => {
      for (let i = 0; i < READS_PER_CLIENT; i++) await timed(round.reads, () => client.action('/action/receipt-refresh'), 'read');
    }),
  );
  round.readSeconds += (performance.now() - started) / 1000;
  for (let i = 0; i < EVENTS; i++) await deliveryOf(round.delivery, socket, 'stats-changed', () => writer.action('/action/stats-bump', { amount: 1 }));

  // the catalogue
  await Promise.all(
    shoppers.map(async (client) => {
      for (let i = 0; i < LOOKUPS_PER_CLIENT; i++) await timed(round.lookups, () => client.action('/action/lookup', { code: barcode(random(PRODUCTS)) }), 'lookup');
    }),
  );
  await Promise.all(
    shoppers.map(async (client) => {
      for (let i = 0; i < PAGES_PER_CLIENT; i++) {
        await timed(round.pages, () => client.action('/action/search', { q: `товар ${random(5000)}`, page: random(3) }), 'page');
      }
    }),
  );
  await Promise.all(
    shoppers.slice(0, SELLERS).map(async (client) => {
      for (let i = 0; i < SALES_PER_SELLER; i++) await timed(round.sales, () => client.action('/action/sell', { code: barcode(random(PRODUCTS)) }), 'sale');
    }),
  );
  for (let i = 0; i < SALE_EVENTS; i++) {
    await deliveryOf(round.saleDelivery, catalogueSocket, 'products-changed', () => seller.action('/action/sell', { code: barcode(random(PRODUCTS)) }));
  }
  round.rss = Math.max(...setup.catalogue.map(rssOf));
}

const emptyRound = (): Round => ({ writes: [], writeSeconds: 0, reads: [], readSeconds: 0, delivery: [], lookups: [], pages: [], sales: [], saleDelivery: [], rss: NaN });

/**
 * Store to store, no HTTP: a commit on store A until store B (another "host" on the same database) has taken it
 * in and tells its listeners — the NOTIFY's way and B's read of what changed, without the hosts' request handling.
 * With PG_BENCH_BEFORE, the same with the stores of that checkout, interleaved round by round.
 */
async function storeToStore(report: Report): Promise<void> {
  const trees = [{ name: 'this checkout', root: projectRoot }, ...(before ? [{ name: 'before', root: path.resolve(before) }] : [])];
  const log = { info() {}, warn: (message: string) => console.warn(message), error: (message: string) => console.error(message) };
  const connectors = { stats: { type: 'lowdb' as const, initialState: { total: 0, count: 0 } } };
  interface Opened {
    name: string;
    a: Store;
    b: Store;
    committed: number[][];
    told: number[][];
  }
  const opened: Opened[] = [];
  for (const tree of trees) {
    const { createStore } = (await import(path.join(tree.root, 'server', 'store', 'index.ts'))) as typeof import('../server/store/index.js');
    const database = await cluster.createDatabase();
    const a = await createStore({ connectors, dataDir: '/nonexistent', log, database });
    const b = await createStore({ connectors, dataDir: '/nonexistent', log, database });
    opened.push({ name: tree.name, a, b, committed: [], told: [] });
  }
  const commitOnce = async (one: Opened, committed: number[], told: number[]) => {
    const heard = new Promise<number>((resolve) => {
      const stop = one.b.onRemoteCommit!(() => {
        stop();
        resolve(performance.now());
      });
    });
    const t0 = performance.now();
    const release = await one.a.lock([{ name: 'stats', scopeKey: 'global' }]);
    const state = (await one.a.snapshot('stats', 'global', { latest: true })) as { total: number; count: number };
    const durable = one.a.commit([{ name: 'stats', scopeKey: 'global', state: { total: state.total + 1, count: state.count + 1 } }]);
    release();
    await durable;
    committed.push(performance.now() - t0);
    told.push((await heard) - t0);
  };
  try {
    for (const one of opened) for (let i = 0; i < 30; i++) await commitOnce(one, [], []);
    for (let round = 0; round < ROUNDS; round++) {
      for (const one of opened) {
        const committed: number[] = [];
        const told: number[] = [];
        for (let i = 0; i < STORE_COMMITS; i++) await commitOnce(one, committed, told);
        one.committed.push(committed);
        one.told.push(told);
      }
    }
  } finally {
    for (const one of opened) await Promise.all([one.a.close(), one.b.close()]);
  }
  report.add('### Store to store: a commit on store A until store B has taken it in (ms, p50 / p99 per round)');
  report.add(
    mdTable(
      ['round', ...opened.flatMap((one) => [`${one.name}: committed on A`, `${one.name}: told on B`])],
      Array.from({ length: ROUNDS }, (_, round) => [
        round + 1,
        ...opened.flatMap((one) => [one.committed[round], one.told[round]].map((values) => {
          const s = summarize(values);
          return `${ms(s.p50)} / ${ms(s.p99)}`;
        })),
      ]),
    ),
  );
  report.note(
    `${STORE_COMMITS} sequential read-modify-write commits of one small state per round and checkout (after 30 unmeasured), timed ` +
      'from lock() on store A to its durable commit, and to store B\'s onRemoteCommit (the moment a host hands the change to its ' +
      'channels); both stores in the benchmark process, PostgreSQL fsync on.',
  );
}

const cluster = await startPostgres({ fsync: true });
const report = new Report('postgres — small states and a 50,000-product catalogue', flags.record);
const folders: string[] = [];
const folder = async () => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'pg-bench-'));
  folders.push(dir);
  return dir;
};
try {
  if (parts.has('hosts')) {
    const twoHosts = async (root?: string): Promise<Pick<Setup, 'small' | 'catalogue'>> => {
      const small = await cluster.createDatabase();
      const catalogue = await cluster.createDatabase();
      // the second host starts once the first has created the tables and the rows
      const first = { small: await startHost(smallApp, small, await folder(), root), catalogue: await startHost(catalogueApp, catalogue, await folder(), root) };
      return {
        small: [first.small, await startHost(smallApp, small, await folder(), root)],
        catalogue: [first.catalogue, await startHost(catalogueApp, catalogue, await folder(), root)],
      };
    };
    const setups: Setup[] = [
      { name: 'lowdb, 1 host', small: [await startHost(smallApp, undefined, await folder())], catalogue: [await startHost(catalogueApp, undefined, await folder())] },
      {
        name: 'PostgreSQL, 1 host',
        small: [await startHost(smallApp, await cluster.createDatabase(), await folder())],
        catalogue: [await startHost(catalogueApp, await cluster.createDatabase(), await folder())],
      },
      { name: 'PostgreSQL, 2 hosts', ...(await twoHosts()) },
      ...(before ? [{ name: 'PostgreSQL, 2 hosts (before)', ...(await twoHosts(path.resolve(before))) }] : []),
    ].map((setup) => ({ ...setup, rounds: [] }));
    const prepared: Prepared[] = [];
    for (const setup of setups) prepared.push(await prepare(setup));
    // one unmeasured round warms every host up
    for (const one of prepared) await measure(one, emptyRound());
    for (let round = 0; round < ROUNDS; round++) {
      // each round starts with another setup, so none always follows the same one (the database's after-work included)
      const order = prepared.map((_, index) => prepared[(index + round) % prepared.length]);
      for (const one of order) {
        const result = emptyRound();
        await measure(one, result);
        one.setup.rounds.push(result);
        const d = summarize(result.delivery);
        console.log(`round ${round + 1} ${one.setup.name}: delivery p99 ${ms(d.p99)} ms, lookup p99 ${ms(summarize(result.lookups).p99)} ms, page p99 ${ms(summarize(result.pages).p99)} ms`);
      }
    }
    for (const one of prepared) {
      one.socket.close();
      one.catalogueSocket.close();
    }

    const all = (setup: Setup, pick: (round: Round) => number[]) => setup.rounds.flatMap(pick);
    const p50p99 = (values: number[]) => {
      const s = summarize(values);
      return `${ms(s.p50)} / ${ms(s.p99)}`;
    };
    const medianOfRounds = (setup: Setup, pick: (round: Round) => number[]) => median(setup.rounds.map((round) => summarize(pick(round)).p99));

    report.add('### Small states (test/fixtures/realtime-app), all rounds');
    report.add(
      mdTable(
        ['setup', 'writes/s', 'write p50 / p99 ms', 'reads/s', 'read p50 / p99 ms', 'event delivery p50 / p99 / max ms', 'delivery p99, median of rounds ms'],
        setups.map((setup) => {
          const writes = all(setup, (r) => r.writes);
          const reads = all(setup, (r) => r.reads);
          const delivery = summarize(all(setup, (r) => r.delivery));
          const seconds = (pick: (round: Round) => number) => setup.rounds.reduce((sum, round) => sum + pick(round), 0);
          return [
            setup.name,
            Math.round(writes.length / seconds((r) => r.writeSeconds)),
            p50p99(writes),
            Math.round(reads.length / seconds((r) => r.readSeconds)),
            p50p99(reads),
            `${ms(delivery.p50)} / ${ms(delivery.p99)} / ${ms(delivery.max)}`,
            ms(medianOfRounds(setup, (r) => r.delivery)),
          ];
        }),
      ),
    );
    report.add('### Event delivery p99 per round (ms; each round runs every setup in turn)');
    report.add(
      mdTable(
        ['round', ...setups.map((setup) => setup.name)],
        Array.from({ length: ROUNDS }, (_, round) => [round + 1, ...setups.map((setup) => ms(summarize(setup.rounds[round].delivery).p99))]),
      ),
    );
    report.add(`### ${PRODUCTS.toLocaleString('en')}-product catalogue (bench/fixtures/catalogue-app), all rounds`);
    report.add(
      mdTable(
        ['setup', 'lookup p50 / p99 ms', 'page p50 / p99 ms', 'sale p50 / p99 ms', 'sale event delivery p50 / p99 ms', 'host RSS MB (largest, median of rounds)'],
        setups.map((setup) => [
          setup.name,
          p50p99(all(setup, (r) => r.lookups)),
          p50p99(all(setup, (r) => r.pages)),
          p50p99(all(setup, (r) => r.sales)),
          p50p99(all(setup, (r) => r.saleDelivery)),
          Math.round(median(setup.rounds.map((round) => round.rss)) / 1024 / 1024),
        ]),
      ),
    );
    report.add('### Catalogue p99 per round (ms: lookup / page / sale / sale event)');
    report.add(
      mdTable(
        ['round', ...setups.map((setup) => setup.name)],
        Array.from({ length: ROUNDS }, (_, round) => [
          round + 1,
          ...setups.map((setup) => {
            const r = setup.rounds[round];
            return [r.lookups, r.pages, r.sales, r.saleDelivery].map((values) => ms(summarize(values).p99)).join(' / ');
          }),
        ]),
      ),
    );
    report.note(
      `${ROUNDS} rounds, the setups interleaved in each, each round starting with the next setup (after one unmeasured round). Small states: writes ${CLIENTS} clients × ` +
        `${WRITES_PER_CLIENT} read-modify-write actions on one shared state (stats-bump), clients alternating between the hosts of a ` +
        `setup; reads ${CLIENTS} × ${READS_PER_CLIENT} actions that render the receipt component; event delivery ${EVENTS} sequential ` +
        'writes by one client on the first host, timed from sending the action to the event\'s arrival at a subscriber on the last ' +
        `host (with two hosts: through PostgreSQL NOTIFY). Catalogue: ${CLIENTS} clients × ${LOOKUPS_PER_CLIENT} lookups of a random ` +
        `barcode (keyed), × ${PAGES_PER_CLIENT} searches (page of 20, "товар N"), ${SELLERS} × ${SALES_PER_SELLER} sales of one unit ` +
        `of a random product (one item of ${PRODUCTS.toLocaleString('en')} written), ${SALE_EVENTS} sales on the first host timed to ` +
        'their event on the last; RSS of the catalogue hosts after each round. Hosts: the CLI from the sources (tsx), one process ' +
        'each; PostgreSQL 15 on this machine, fsync on; clients in the benchmark process.' +
        (before ? ` "(before)": the CLI of ${before}.` : ''),
    );
  }
  if (parts.has('stores')) await storeToStore(report);
  await report.save();
} finally {
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((child) => new Promise((resolve) => (child.exitCode !== null ? resolve(null) : child.once('exit', resolve)))));
  await cluster.destroy();
  for (const dir of folders) await rm(dir, { recursive: true, force: true });
}
