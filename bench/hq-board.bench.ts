// Head office's sales board (apps/hq): from a shop's upload committed at head office to the board refreshed
// with it — the trigger's NOTIFY, the host's listen channel gathering for 250 ms, the event to the page, the
// page's refresh (the day's sums over every shop's sales). Head office already holds 4 shops × 25,000 of today's
// sales; PostgreSQL 15 with fsync on, its own cluster. Target (issue 20): ≤ 2 s.
//   npm run bench -- hq-board [--seconds N: ignored]
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { parseFlags } from './lib/flags.js';
import { checkList, mdTable, projectRoot, Report } from './lib/results.js';
import { saleRecord } from './lib/sales-journal.js';
import { ms, summarize } from './lib/stats.js';
import { startPostgres } from '../test/helpers/postgres.js';
import { startHost } from '../test/helpers/host.js';
import { TestTerminal } from '../test/helpers/http-client.js';
import { addShop, setUpHeadOffice } from '../server/chain/head-office.js';

const flags = parseFlags();
const report = new Report('hq-board — a shop upload to head office’s sales board', flags.record);
const SHOPS = ['north', 'south', 'east', 'west'];
const PREFILL = 25_000;
const UPLOADS = 30;
const DEADLINE_MS = 2000;
const today = new Intl.DateTimeFormat('sv-SE').format(new Date());
const sale = (n: number) => ({ ...JSON.parse(saleRecord(n)), day: today });

const cluster = await startPostgres({ fsync: true });
const toEvent: number[] = [];
const toBoard: number[] = [];
try {
  const database = await cluster.createDatabase();
  await setUpHeadOffice(database);
  const admin = new pg.Client({ connectionString: database });
  await admin.connect();
  for (const shop of SHOPS) {
    await addShop(database, shop, `${shop}-bench-password`);
    await admin.query(
      `INSERT INTO serverokey_chain_records (uid, shop, journal, seq, at, record)
       SELECT gen_random_uuid(), $1, 'sales', g, now(), $2::json FROM generate_series(0, $3 - 1) g`,
      [shop, JSON.stringify(sale(0)), PREFILL],
    );
  }
  await admin.query('ANALYZE serverokey_chain_records');
  await admin.end();
  process.stdout.write(`  head office holds ${SHOPS.length} × ${PREFILL} sales of ${today}\n`);

  const hq = await startHost(path.join(projectRoot, 'apps', 'hq'), { database });
  const url = new URL(database);
  url.username = 'shop_north';
  url.password = 'north-bench-password';
  const shop = new pg.Client({ connectionString: url.toString() });
  await shop.connect();
  try {
    const manager = new TestTerminal(hq.url);
    await manager.login('admin', 'admin');
    const socket = await manager.socket();
    await socket.subscribe('chain-uploads');
    for (let i = 0; i < UPLOADS; i++) {
      const seen = socket.events('uploads-changed').length;
      // as the shop's uploader sends: one transaction, ON CONFLICT (uid) DO NOTHING
      await shop.query('BEGIN');
      await shop.query(
        `INSERT INTO serverokey_chain_records (uid, shop, journal, seq, at, record) VALUES (gen_random_uuid(), 'north', 'sales', $1, now(), $2) ON CONFLICT (uid) DO NOTHING`,
        [PREFILL + i, JSON.stringify(sale(PREFILL + i))],
      );
      await shop.query('COMMIT');
      const committed = performance.now();
      await socket.next(() => socket.events('uploads-changed').length > seen, 10_000);
      toEvent.push(performance.now() - committed);
      const board = await manager.action('/action/sales/refresh', { day: today });
      const expected = `<td class="n count">${PREFILL + i + 1}</td>`;
      if (board.status !== 200 || !String(board.body.html).includes(expected)) throw new Error(`upload ${i}: the board does not show ${PREFILL + i + 1} sales for north: ${board.status} ${JSON.stringify(board.body).slice(0, 600)}`);
      toBoard.push(performance.now() - committed);
    }
    socket.close();
  } finally {
    await shop.end();
    await hq.stop();
  }
} finally {
  await cluster.destroy();
}
const event = summarize(toEvent);
const board = summarize(toBoard);
report.add(
  mdTable(
    ['from the upload’s COMMIT to', 'p50 ms', 'p90 ms', 'max ms'],
    [
      ['the event at the page (NOTIFY, 250 ms gathering, WebSocket)', ms(event.p50), ms(event.p90), ms(event.max)],
      ['the board refreshed with the sale (every shop’s day from serverokey_chain_daily)', ms(board.p50), ms(board.p90), ms(board.max)],
    ],
  ),
);
report.add(`_${UPLOADS} uploads one after another, each one sale of shop north; ${SHOPS.length} shops × ${PREFILL} sales of today already at head office._`);
report.add(checkList([{ label: 'the board shows a sale within 2 s of its upload', pass: board.max <= DEADLINE_MS, detail: `slowest of ${UPLOADS}: ${ms(board.max)} ms` }]));
await report.save();
