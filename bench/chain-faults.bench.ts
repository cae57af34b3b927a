// The chain's long fault run: 4 shop hosts (child processes) × 500 sales each, a TCP proxy between every shop
// and head office cutting and restoring its link at random points of the sales stream, kill -9 of shop hosts
// during uploads, a head-office PostgreSQL restart; then: head office holds exactly 4 × 500 sales
// (count = count distinct id), each shop's total equals its journal's, and the time until it all arrived.
//   npm run bench -- chain-faults
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { parseFlags } from './lib/flags.js';
import { checkList, mdTable, projectRoot, Report } from './lib/results.js';
import { BenchClient, actionHeaders } from './lib/session.js';
import { startPostgres } from '../test/helpers/postgres.js';
import { startTcpProxy, type TcpProxy } from '../test/helpers/tcp-proxy.js';
import { startHostProcess, type HostProcess } from '../test/helpers/host-process.js';
import { addShop, setUpHeadOffice } from '../server/chain/head-office.js';

const flags = parseFlags();
const report = new Report('chain-faults — 4 shops × 500 sales through cut links, kills and a head-office restart', flags.record);
const SHOPS = 4;
const SALES = 500;
const appDir = path.join(projectRoot, 'test', 'fixtures', 'chain-shop');
let seed = 20261206;
const random = () => {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed / 2 ** 32;
};

interface Shop {
  id: string;
  dataDir: string;
  proxy: TcpProxy;
  host: HostProcess | null;
  url: string;
  env: NodeJS.ProcessEnv;
  kills: number;
  cuts: number;
}

async function start(shop: Shop): Promise<void> {
  const host = await startHostProcess([appDir, '--port', '0', '--data', shop.dataDir, '--shop', shop.id], { env: shop.env, built: true });
  shop.url = host.url;
  shop.host = host;
}

async function kill(shop: Shop): Promise<void> {
  await shop.host!.kill();
  shop.kills++;
}

const cluster = await startPostgres({ fsync: true });
const hq = await cluster.createDatabase();
await setUpHeadOffice(hq);
const shops: Shop[] = [];
try {
  for (let i = 1; i <= SHOPS; i++) {
    const id = `shop${i}`;
    const password = `bench-faults-${i}-0123456789`;
    await addShop(hq, id, password);
    const proxy = await startTcpProxy(cluster.port);
    const url = new URL(hq);
    url.username = `shop_${id}`;
    url.password = password;
    url.port = String(proxy.port);
    shops.push({ id, dataDir: await mkdtemp(path.join(os.tmpdir(), `bench-chain-${id}-`)), proxy, host: null, url: '', env: { ...process.env, SERVEROKEY_CHAIN_URL: url.toString() }, kills: 0, cuts: 0 });
  }
  for (const shop of shops) await start(shop);
  const started = performance.now();
  let restarted = false;
  await Promise.all(
    shops.map(async (shop, index) => {
      let client = new BenchClient(shop.url);
      await client.get('/');
      for (let n = 1; n <= SALES; n++) {
        const answer = await client.post('/sell', { n, sum: 100 + n }, actionHeaders(client.info()));
        if (answer.status !== 200) throw new Error(`shop ${shop.id} sale ${n}: ${answer.status} ${JSON.stringify(answer.body)}`);
        const roll = random();
        if (roll < 0.02) {
          await shop.proxy.cut();
          shop.cuts++;
        } else if (roll < 0.06) await shop.proxy.heal();
        else if (roll < 0.068) {
          await kill(shop);
          await start(shop);
          client = new BenchClient(shop.url);
          await client.get('/');
        }
        if (index === 0 && n === SALES / 2 && !restarted) {
          restarted = true;
          await cluster.stop();
          await cluster.start();
        }
      }
      await shop.proxy.heal();
    }),
  );
  const sold = (performance.now() - started) / 1000;
  const admin = new pg.Client({ connectionString: hq });
  await admin.connect();
  const healedAt = performance.now();
  const counts = async () => (await admin.query('SELECT shop, count(*)::int AS n, count(DISTINCT uid)::int AS ids, sum((record->>\'sum\')::int)::int AS total FROM serverokey_chain_records GROUP BY shop ORDER BY shop')).rows as Array<{ shop: string; n: number; ids: number; total: number }>;
  let rows = await counts();
  while (rows.reduce((s, r) => s + r.n, 0) < SHOPS * SALES && performance.now() - healedAt < 120_000) {
    await new Promise((resolve) => setTimeout(resolve, 100)); // a bench polling head office, not a test waiting
    rows = await counts();
  }
  const arrived = (performance.now() - healedAt) / 1000;
  await admin.end();
  const table: Array<Array<string | number>> = [];
  let allRight = true;
  for (const shop of shops) {
    const row = rows.find((r) => r.shop === shop.id) ?? { n: 0, ids: 0, total: 0 };
    const journal = (await readFile(path.join(shop.dataDir, 'sales.jsonl'), 'utf8')).split('\n').filter(Boolean).map((line) => JSON.parse(line) as { sum: number });
    const local = journal.reduce((s, r) => s + r.sum, 0);
    if (row.n !== SALES || row.ids !== SALES || row.total !== local || journal.length !== SALES) allRight = false;
    table.push([shop.id, journal.length, row.n, row.ids, row.total === local ? 'equal' : `${row.total} ≠ ${local}`, shop.cuts, shop.kills]);
  }
  report.add(mdTable(['shop', 'sales in its journal', 'at head office', 'distinct ids', 'totals', 'link cuts', 'kill -9'], table));
  report.add(`_Selling took ${sold.toFixed(1)} s; after the last link healed, everything was at head office in ${arrived.toFixed(1)} s. One head-office PostgreSQL restart mid-run (fsync on)._`);
  report.add(checkList([{ label: `head office holds exactly ${SHOPS} × ${SALES} sales, once each, with each shop's totals`, pass: allRight, detail: `${rows.reduce((s, r) => s + r.n, 0)} records` }]));
} finally {
  for (const shop of shops) {
    shop.host?.child.kill('SIGKILL');
    await shop.proxy.close();
    await rm(shop.dataDir, { recursive: true, force: true });
  }
  await cluster.destroy();
}
await report.save();
