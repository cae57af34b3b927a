// A chain's backlog: a shop that was offline holds 10,000 sales (kassa-shaped records) in its journal; how long
// until head office holds them all once the link is back. PostgreSQL 15 on this machine, fsync on (a real
// server's durability), its own cluster made for the run; the shop's uploader in this process, batches of 200.
//   npm run bench -- chain [--seconds N: ignored]
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { parseFlags } from './lib/flags.js';
import { checkList, mdTable, Report } from './lib/results.js';
import { prefillSalesJournal } from './lib/sales-journal.js';
import { count } from './lib/stats.js';
import { startPostgres } from '../test/helpers/postgres.js';
import { addShop, setUpHeadOffice } from '../server/chain/head-office.js';
import { ChainUploader } from '../server/chain/uploader.js';

const flags = parseFlags();
const report = new Report('chain — a 10,000-sale backlog reaching head office', flags.record);
const RECORDS = 10_000;
const ROUNDS = 3;
const cluster = await startPostgres({ fsync: true });
const rows: Array<[number, string, string, string]> = [];
const silent = { info() {}, warn: (m: string) => console.error(m), error: (m: string) => console.error(m) };
try {
  for (let round = 1; round <= ROUNDS; round++) {
    const hq = await cluster.createDatabase();
    await setUpHeadOffice(hq);
    const password = `bench-password-${round}`;
    const shop = `bench${round}`; // roles belong to the cluster, not to one database
    await addShop(hq, shop, password);
    const shopUrl = new URL(hq);
    shopUrl.username = `shop_${shop}`;
    shopUrl.password = password;
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bench-chain-'));
    const bytes = await prefillSalesJournal(path.join(dataDir, 'sales.jsonl'), RECORDS);
    const uploader = new ChainUploader(dataDir, { url: shopUrl.toString(), shop, journals: ['sales'], idleMs: 50 }, silent);
    const started = performance.now();
    await uploader.start();
    const admin = new pg.Client({ connectionString: hq });
    await admin.connect();
    let held = 0;
    while (held < RECORDS) {
      await new Promise((resolve) => uploader.onStatus(resolve)); // each round of the uploader reports its status
      held = Number((await admin.query('SELECT count(*) AS n FROM serverokey_chain_records')).rows[0].n);
    }
    const seconds = (performance.now() - started) / 1000;
    const distinct = Number((await admin.query('SELECT count(DISTINCT uid) AS n FROM serverokey_chain_records')).rows[0].n);
    await admin.end();
    await uploader.stop();
    await rm(dataDir, { recursive: true, force: true });
    rows.push([round, seconds.toFixed(2), count(RECORDS / seconds), `${count(bytes / 1024 / 1024)} MB, ${distinct} distinct`]);
    process.stdout.write(`  round ${round}: ${seconds.toFixed(2)} s\n`);
  }
} finally {
  await cluster.destroy();
}
report.add(mdTable(['round', 'seconds until head office holds all 10,000', 'records/s', 'journal'], rows));
const worst = Math.max(...rows.map((row) => Number(row[1])));
report.add(checkList([{ label: 'a backlog of 10,000 sales uploads in ≤ 30 s after reconnecting', pass: worst <= 30, detail: `slowest of ${ROUNDS}: ${worst.toFixed(2)} s` }]));
await report.save();
