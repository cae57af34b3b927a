// Journals out of the till: the kassa manager's export page and its CSV / JSON-lines downloads over real
// HTTP (manager only, dates checked), and `serverokey export` by date range (UTF-8 with BOM, ";" between
// fields, money as 12,50, fields with ";" or quotes quoted).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fixtures, projectRoot, startHost } from '../helpers/host.js';
import { TestTerminal } from '../helpers/http-client.js';
import { main } from '../../server/cli.js';
import { onCleanup } from '../helpers/cleanup.js';

const kassa = path.join(projectRoot, 'apps', 'kassa');
const BREAD = '4607000010075';
const CHEESE = '4607000010211';
const BOM = '\uFEFF';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'serverokey', ...args], { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

test('kassa: a manager downloads the sales of a day as CSV and JSON lines; a cashier cannot', async (t) => {
  const host = await startHost(kassa);
  onCleanup(t, () => host.stop());
  const till = new TestTerminal(host.url);
  await till.login('kassir', '123');
  assert.equal((await till.action('/action/openShift', { float: '0' })).status, 200);
  await till.action('/action/scan', { code: BREAD });
  await till.action('/action/scan', { code: CHEESE });
  assert.equal((await till.action('/action/completeSale', { method: 'cash', tendered: '1000' })).status, 200);
  await till.action('/action/scan', { code: BREAD });
  assert.equal((await till.action('/action/completeSale', { method: 'card' })).status, 200);

  const manager = new TestTerminal(host.url);
  await manager.login('admin', 'admin');
  const page = await manager.get('/reports/export');
  assert.equal(page.status, 200);
  assert.match(page.text, /Выгрузка для бухгалтерии/);
  assert.match(page.text, /action="\/__export\/sales"/);
  assert.equal((await till.get('/reports/export', { accept: 'application/json' })).status, 403);

  const today = new Intl.DateTimeFormat('sv-SE').format(new Date());
  const csv = await fetch(`${host.url}/__export/sales?from=${today}&to=${today}&format=csv`, { headers: { cookie: manager.cookieHeader() } });
  assert.equal(csv.status, 200);
  assert.equal(csv.headers.get('content-type'), 'text/csv; charset=utf-8');
  assert.match(csv.headers.get('content-disposition') ?? '', new RegExp(`attachment; filename="sales_${today}_${today}\\.csv"`));
  const bytes = Buffer.from(await csv.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with a BOM');
  const rows = bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
  assert.equal(rows[0].split(';')[0], 'Чек №');
  assert.ok(rows[0].includes(';Итого;Оплата;'), rows[0]);
  assert.equal(rows.length, 3, 'a header and two sales');
  const header = rows[0].split(';');
  const first = Object.fromEntries(rows[1].split(';').map((cell, i) => [header[i], cell]));
  assert.equal(first['Чек №'], '1');
  assert.equal(first['Оплата'], 'cash');
  assert.match(first['Итого'], /^\d+,\d{2}$/, 'money with a decimal comma');
  assert.equal(first['Кассир'], 'Иванов И.И.');

  const jsonl = await fetch(`${host.url}/__export/sales?format=jsonl`, { headers: { cookie: manager.cookieHeader() } });
  const records = (await jsonl.text()).trim().split('\n').map((line) => JSON.parse(line));
  assert.deepEqual(records.map((r) => r.payment.method), ['cash', 'card']);

  const none = await fetch(`${host.url}/__export/sales?from=2000-01-01&to=2000-01-02`, { headers: { cookie: manager.cookieHeader() } });
  assert.equal((await none.text()).trimEnd().split('\r\n').length, 1, 'only the header');

  const byCashier = await fetch(`${host.url}/__export/sales`, { headers: { cookie: till.cookieHeader() } });
  assert.equal(byCashier.status, 403);
  assert.match((await byCashier.json()).error.message, /Недостаточно прав/);
  const badDate = await fetch(`${host.url}/__export/sales?from=06.12.2026`, { headers: { cookie: manager.cookieHeader() } });
  assert.equal(badDate.status, 400);
  assert.match((await badDate.json()).error.message, /from must be a date written YYYY-MM-DD/);
  const unknown = await fetch(`${host.url}/__export/receipt`, { headers: { cookie: manager.cookieHeader() } });
  assert.equal(unknown.status, 404);
  const anonymous = await fetch(`${host.url}/__export/sales`, { headers: { cookie: new TestTerminal(host.url).cookieHeader() } });
  assert.ok(anonymous.status === 401 || anonymous.status === 403);
});

test('serverokey export: a date range as CSV (quoted where needed) and as JSON lines', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'export-cli-'));
  onCleanup(t, () => rm(dataDir, { recursive: true, force: true }));
  const sales = [
    { number: 1, day: '2026-12-01', total: 1050, note: 'plain' },
    { number: 2, day: '2026-12-02', total: 99, note: 'with ; semicolon' },
    { number: 3, day: '2026-12-03', total: -250, note: 'says "hello"\nand more' },
    { number: 4, day: '2026-12-04', total: 100000, note: '' },
  ];
  await writeFile(path.join(dataDir, 'sales.jsonl'), `${sales.map((s) => JSON.stringify(s)).join('\n')}\n{"number": 5, "da`);
  const app = path.join(fixtures, 'backup-app');
  const out = path.join(dataDir, 'out.csv');

  const csv = await cli(['export', app, '--data', dataDir, '--from', '2026-12-02', '--to', '2026-12-03', '--out', out]);
  assert.equal(csv.code, 0, csv.err);
  assert.match(csv.err, /2 record\(s\) written to .*out\.csv \(1 damaged line\(s\) skipped\)/);
  assert.equal(
    await readFile(out, 'utf8'),
    `${BOM}Номер;День;Сумма;Примечание\r\n2;2026-12-02;0,99;"with ; semicolon"\r\n3;2026-12-03;-2,50;"says ""hello""\nand more"\r\n`,
  );

  const jsonl = await cli(['export', app, '--data', dataDir, '--from', '2026-12-04', '--format', 'jsonl', '--out', '-']);
  assert.equal(jsonl.code, 0, jsonl.err);
  assert.deepEqual(jsonl.out.trim().split('\n').map((line) => JSON.parse(line)), [sales[3]]);

  const bad = await cli(['export', app, '--data', dataDir, '--from', '2026-12-05', '--to', '2026-12-01']);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /the range is empty: from 2026-12-05 is after to 2026-12-01/);
  const format = await cli(['export', app, '--data', dataDir, '--format', 'xlsx']);
  assert.match(format.err, /format must be "csv" or "jsonl"/);
  const unknown = await cli(['export', app, '--data', dataDir, '--journal', 'counter']);
  assert.match(unknown.err, /nothing to export named "counter" \(exports and journals of the app: sales\)/);
});
