// Stock and returns over real HTTP. Sales take stock away in the sale's transaction, goods receipts and
// returns put it back; selling below zero is allowed and flagged. A return is confirmed by a manager (a
// manager logged in, or a manager's PIN on the till; wrong PINs are refused and rate-limited), is its own
// journal record pointing to the sale, and the X report shows sales, returns and net apart, adding up.
// Every bad input is refused (the field named) with nothing written; cashiers get 403 on manager actions.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { projectRoot, startHost, type TestHost } from '../helpers/host.js';
import { TestTerminal } from '../helpers/http-client.js';

const appDir = path.join(projectRoot, 'apps', 'kassa');
const BREAD = '4607000010075'; // id 1, 45.50
const CHEESE = '4607000010211'; // id 3, 250.75
const MATCHES = '4607000012529'; // id 36, 1.00

describe('kassa: stock, goods receipts and returns', () => {
  let host: TestHost;
  let till: TestTerminal;
  let office: TestTerminal;
  let saleId = '';

  const journal = async (name: string) => {
    await host.flushed();
    const text = await readFile(path.join(host.dataDir, `${name}.jsonl`), 'utf8').catch(() => '');
    return text.split('\n').filter(Boolean).map((line) => JSON.parse(line));
  };
  const stockOf = async (id: number) => {
    await host.flushed();
    // before its first change the stock is the demo catalogue's 50 of each (not yet written)
    const text = await readFile(path.join(host.dataDir, 'stock.json'), 'utf8').catch(() => '');
    if (text === '') return 50;
    return JSON.parse(text).items.find((row: { id: number }) => row.id === id)?.onHand;
  };
  /** everything a refused stock or return action could have touched, as stored */
  const stored = async () => {
    await host.flushed();
    const files = (await readdir(host.dataDir)).filter((f) => /^(stock|daily|user)\.json$|^(returns|goodsReceipts|sales)\.jsonl$/.test(f)).sort();
    const shiftDir = path.join(host.dataDir, 'shift');
    const shifts = (await readdir(shiftDir).catch(() => [] as string[])).sort().map((f) => path.join('shift', f));
    const texts = await Promise.all([...files, ...shifts].map((f) => readFile(path.join(host.dataDir, f), 'utf8')));
    return texts.join('\n');
  };
  const figure = (html: string, name: string) => new RegExp(`class="${name}"[^>]*>([^<]*)<`).exec(html)?.[1];
  const sell = async (codes: string[], method = 'cash') => {
    for (const code of codes) assert.equal((await till.action('/action/scan', { code })).status, 200);
    const sold = await till.action('/action/completeSale', { method, tendered: '' });
    assert.equal(sold.status, 200, JSON.stringify(sold.body));
    const sales = await journal('sales');
    return sales[sales.length - 1];
  };

  before(async () => {
    host = await startHost(appDir);
    till = new TestTerminal(host.url);
    await till.login('kassir', '123');
    office = new TestTerminal(host.url);
    await office.login('admin', 'admin');
  });
  after(() => host.stop());

  it('a goods receipt adds stock and is journaled; bad receipts are refused beside their field, nothing written', async () => {
    assert.equal(await stockOf(3), 50);
    const before = await stored();
    for (const [fields, field, message] of [
      [{ lines: `${CHEESE} -2` }, 'lines', /Строка 1: количество «-2» должно быть больше нуля/],
      [{ lines: `${CHEESE} 0` }, 'lines', /больше нуля/],
      [{ lines: `${CHEESE} 2\n9999999999999 1` }, 'lines', /Строка 2: товар с кодом «9999999999999» не найден/],
      [{ lines: `${CHEESE} 1,5` }, 'lines', /продаётся поштучно/],
      [{ lines: `${CHEESE}` }, 'lines', /нужен код товара и количество/],
      [{ lines: '  ' }, 'lines', /хотя бы одну строку/],
      [{ supplier: ' ' }, 'supplier', /Укажите поставщика/],
      [{ document: '' }, 'document', /номер накладной/],
    ] as const) {
      const answer = await office.action('/action/stock/receive', Object.assign({ supplier: 'ООО «Сыры»', document: 'ТН-1', lines: `${CHEESE} 2` }, fields));
      assert.equal(answer.status, 422, `${JSON.stringify(fields)}: ${JSON.stringify(answer.body)}`);
      assert.match(answer.body.error.message, message);
      assert.deepEqual(Object.keys(answer.body.error.fields), [field]);
    }
    assert.equal(await stored(), before);

    const received = await office.action('/action/stock/receive', { supplier: 'ООО «Сыры»', document: 'ТН-1', lines: `${CHEESE} 10\n3 2\n${BREAD} 4` });
    assert.deepEqual(received.body, { redirect: '/stock?received=1' });
    assert.equal(await stockOf(3), 62);
    assert.equal(await stockOf(1), 54);
    const [record] = await journal('goodsReceipts');
    assert.deepEqual([record.number, record.supplier, record.document, record.by.login], [1, 'ООО «Сыры»', 'ТН-1', 'admin']);
    assert.deepEqual(record.lines.map((l: { id: number; quantity: number; onHand: number }) => [l.id, l.quantity, l.onHand]), [[3, 10, 62], [3, 2, 62], [1, 4, 54]]);
    assert.match(record._uid ?? record.uid ?? JSON.stringify(record), /./);
    const unknown = await office.action('/action/stock/find', { code: '12345678' });
    assert.equal(unknown.status, 422);
    assert.deepEqual(unknown.body.error.fields, { code: 'Товар с кодом «12345678» не найден' });
    assert.deepEqual((await office.action('/action/stock/find', { code: CHEESE })).body, { redirect: `/stock?code=${CHEESE}` });
    assert.match((await office.get(`/stock?code=${CHEESE}`)).text, /class="on-hand">62</);
    const page = await office.get('/stock?received=1');
    assert.match(page.text, /class="received-number">1</);
    assert.match(page.text, /ТН-1/);
  });

  it('cashiers get 403 on the stock screen, goods receipts and manager PINs', async () => {
    const before = await stored();
    assert.equal((await till.get('/stock')).status, 403);
    assert.equal((await till.action('/action/stock/receive', { supplier: 'x', document: 'y', lines: `${CHEESE} 5` })).status, 403);
    assert.equal((await till.action('/action/stock/find', { code: CHEESE })).status, 403);
    assert.equal((await till.action('/action/staff/pin', { login: 'admin', pin: '1234' })).status, 403);
    assert.equal(await stored(), before);
  });

  it('a manager PIN is set on the staff screen: digits only, managers only, stored hashed', async () => {
    for (const [body, message] of [
      [{ login: 'admin', pin: '12' }, /от 4 до 8 цифр/],
      [{ login: 'admin', pin: 'abcd' }, /от 4 до 8 цифр/],
      [{ login: 'kassir', pin: '1234' }, /только менеджеру/],
    ] as const) {
      const answer = await office.action('/action/staff/pin', body);
      assert.equal(answer.status, 422, JSON.stringify(answer.body));
      assert.match(answer.body.error.message, message);
      assert.deepEqual(Object.keys(answer.body.error.fields), ['pin']);
    }
    const saved = await office.action('/action/staff/pin', { login: 'admin', pin: '4321' });
    assert.equal(saved.status, 200);
    assert.match(saved.body.html, /PIN менеджера admin сохранён/);
    await host.flushed();
    const users = JSON.parse(await readFile(path.join(host.dataDir, 'user.json'), 'utf8'));
    const admin = users.items.find((u: { login: string }) => u.login === 'admin');
    assert.match(admin.pinHash, /^\$2[aby]\$10\$/);
    assert.doesNotMatch(JSON.stringify(admin), /4321/);
  });

  it('a sale takes stock away in its transaction; selling below zero is allowed and flagged', async () => {
    await till.action('/action/openShift', { float: '1000' });
    for (let i = 0; i < 3; i++) await till.action('/action/scan', { code: CHEESE });
    const scanned = await till.action('/action/scan', { code: MATCHES });
    assert.doesNotMatch(scanned.body.html, /stock-short/);
    const sold = await till.action('/action/completeSale', { method: 'cash', tendered: '' });
    assert.equal(sold.status, 200);
    const [sale] = await journal('sales');
    saleId = sale.id;
    assert.equal(await stockOf(3), 59);
    assert.equal(await stockOf(36), 49);
    // 50 matches on hand: the 51st on a receipt is flagged on its line, and sells
    const many = await till.action('/action/scan', { code: MATCHES });
    assert.doesNotMatch(many.body.html, /stock-short/);
    const typed = await till.action('/action/setQuantity', { itemId: '36', qty: '50' });
    assert.match(typed.body.html, /class="stock-short"[^>]*>не хватает на складе, остаток 49</);
    await till.action('/action/completeSale', { method: 'card' });
    assert.equal(await stockOf(36), -1);
    const sales = await journal('sales');
    assert.equal(sales[1].lines[0].belowZero, true);
    const page = await office.get('/stock');
    assert.match(page.text, /class="low-row below-zero" data-id="36"/);
    assert.doesNotMatch(page.text, /data-id="3"/);
  });

  it('the receipt carries the sale number as a QR code (SVG, no image file)', async () => {
    await till.action('/action/scan', { code: BREAD });
    await till.action('/action/completeSale', { method: 'cash', tendered: '50' });
    const printed = await till.get('/print/receipt?sale=last');
    const sales = await journal('sales');
    assert.match(printed.text, /<svg class="sale-qr" viewBox="0 0 \d+ \d+"[^>]*><path d="M\d/);
    assert.equal(/class="sale-id">([^<]*)</.exec(printed.text)?.[1]?.replaceAll("&#x2F;", "/"), sales[2].id);
  });

  it('refuses an unknown sale, a return of a return and quantities above what is returnable, writing nothing', async () => {
    const before = await stored();
    const unknown = await till.action('/action/returns/find', { sale: 'web-nope/1/99' });
    assert.equal(unknown.status, 404);
    assert.deepEqual(Object.keys(unknown.body.error.fields), ['sale']);
    assert.match(unknown.body.error.message, /не найден/);
    assert.match((await till.get('/returns?sale=web-nope%2F1%2F99')).text, /class="error not-found"[^>]*>Продажа не найдена: «web-nope/);
    const empty = await till.action('/action/returns/find', { sale: ' ' });
    assert.equal(empty.status, 422);
    const found = await till.action('/action/returns/find', { sale: saleId });
    assert.deepEqual(found.body, { redirect: `/returns?sale=${encodeURIComponent(saleId)}` });
    const tooMany = await till.action('/action/returns/complete', { sale: saleId, q_3: '4', pin: '4321' });
    assert.equal(tooMany.status, 422);
    assert.deepEqual(tooMany.body.error.fields, { q_3: 'Вернуть можно не больше 3 (продано 3, уже возвращено 0)' });
    const negative = await till.action('/action/returns/complete', { sale: saleId, q_3: '-1', pin: '4321' });
    assert.deepEqual(Object.keys(negative.body.error.fields), ['q_3']);
    const nothing = await till.action('/action/returns/complete', { sale: saleId, pin: '4321' });
    assert.equal(nothing.status, 422);
    const noPin = await till.action('/action/returns/complete', { sale: saleId, q_3: '1' });
    assert.equal(noPin.status, 422);
    assert.deepEqual(Object.keys(noPin.body.error.fields), ['pin']);
    const wrongPin = await till.action('/action/returns/complete', { sale: saleId, q_3: '1', pin: '0000' });
    assert.equal(wrongPin.status, 403);
    assert.deepEqual(wrongPin.body.error.fields, { pin: 'Неверный PIN менеджера: возврат не оформлен' });
    // cheese is sold by the piece: half a piece cannot come back (a weighed line could)
    const half = await till.action('/action/returns/complete', { sale: saleId, q_3: '0,5', pin: '4321' });
    assert.equal(half.status, 422);
    assert.deepEqual(half.body.error.fields, { q_3: 'Количество «0,5»: штучный товар возвращается целыми штуками' });
    const badMethod = await till.action('/action/returns/complete', { sale: saleId, q_3: '1', method: 'gold', pin: '4321' });
    assert.deepEqual(Object.keys(badMethod.body.error.fields), ['method']);
    assert.equal(await stored(), before);
  });

  it('a partial return confirmed by PIN: its own record, stock back, the X report shows sales, returns and net', async () => {
    const returned = await till.action('/action/returns/complete', { sale: saleId, q_3: '1', pin: '4321' });
    assert.equal(returned.status, 200, JSON.stringify(returned.body));
    const [record] = await journal('returns');
    assert.deepEqual(returned.body, { redirect: `/returns?done=${encodeURIComponent(record.id)}` });
    assert.equal(record.saleId, saleId);
    assert.equal(record.confirmedBy.login, 'admin');
    assert.equal(record.confirmedBy.by, 'pin');
    assert.equal(record.method, 'cash');
    assert.match(record.uid, /^[0-9a-f-]{36}$/);
    // cheese 3 × 250.75 + matches 1.00 = 753.25, −10 % (75.33) → 677.92 paid; the cheese's share is 677.02, one of three 225.67
    assert.deepEqual(record.lines, [{ id: 3, name: 'Сыр Российский', price: 25075, quantity: 1, sum: 22567 }]);
    assert.equal(await stockOf(3), 60);
    const page = await till.get('/shift');
    assert.equal(figure(page.text, 'z-returns'), '−225.67');
    // sales: 677.92 + 45.00 (matches ×50, −10 %, by card) + 40.95 (bread, −10 %) = 763.87
    assert.equal(figure(page.text, 'z-sales'), '763.87');
    assert.equal(figure(page.text, 'z-net-of-returns'), '538.20');
    // the drawer: 1000 + cash sales 718.87 − the cash refund 225.67
    assert.equal(figure(page.text, 'z-expected'), '1493.20');
    const dashboard = await office.get('/dashboard');
    assert.equal(figure(dashboard.text, 'day-returns'), '−225.67 ₽');
    assert.equal(figure(dashboard.text, 'day-net'), '538.20 ₽');
  });

  it('prints a return slip right after the return, and the accountant’s exports carry returns and goods receipts', async () => {
    const [record] = await journal('returns');
    const done = await till.get(`/returns?done=${encodeURIComponent(record.id)}`);
    const printPath = `/print/return?id=${encodeURIComponent(record.id)}`;
    assert.ok(done.text.includes(`atom-print="${printPath}&amp;width=80"`), 'the 80 mm slip is offered beside the done notice');
    assert.ok(done.text.includes(`atom-print="${printPath}&amp;width=58"`));
    const slip = await till.get(`${printPath}&width=58`);
    assert.equal(slip.status, 200);
    const text = slip.text.replaceAll('&#x2F;', '/');
    assert.match(text, /<div class="paper" data-width="58">/);
    assert.equal(text.match(/class="copy-mark return-mark">ВОЗВРАТ</g)?.length, 2, 'marked as a return above and below');
    assert.match(text, /Возврат прихода/);
    assert.equal(/class="return-id">([^<]*)</.exec(text)?.[1], record.id);
    assert.equal(/class="sale-id">([^<]*)</.exec(text)?.[1], saleId, 'it points to the sale');
    assert.match(text, /class="p-refund">=225\.67</);
    assert.match(text, /class="p-method-cash">=225\.67</);
    assert.match(text, /Сыр Российский[\s\S]*1 × 250\.75/);
    assert.equal((await till.get('/print/return?id=web-nope%2F1%2FR9')).status, 404);

    const page = await office.get('/reports/export');
    assert.match(page.text, /action="\/__export\/returns"/);
    assert.match(page.text, /action="\/__export\/goodsReceipts"/);
    const returnsCsv = await office.get('/__export/returns?format=csv');
    assert.equal(returnsCsv.status, 200);
    const [header, row] = returnsCsv.text.replace(/^\uFEFF/, '').split('\r\n');
    assert.match(header, /^Код возврата;Дата и время;День;Смена №;Терминал;Кассир;Подтвердил;Код чека продажи;Чек №;Сумма возврата;/);
    assert.ok(row.startsWith(`${record.id};`));
    assert.ok(row.includes(`;${saleId};`) && row.includes(';225,67;cash;cash;'), row);
    const goodsCsv = await office.get('/__export/goodsReceipts?format=csv');
    assert.equal(goodsCsv.status, 200);
    assert.match(goodsCsv.text, /^\uFEFF?Приход №;Дата и время;День;Поставщик;Накладная;Оформил;/);
    assert.match(goodsCsv.text, /\r\n1;[^;]*;[^;]*;ООО «Сыры»;ТН-1;/);
    assert.equal((await till.get('/__export/returns?format=csv')).status, 403, 'cashiers do not export');
  });

  it('what was returned is not returnable again; a return’s number is not a sale', async () => {
    const before = await stored();
    const again = await till.action('/action/returns/complete', { sale: saleId, q_3: '3', pin: '4321' });
    assert.deepEqual(again.body.error.fields, { q_3: 'Вернуть можно не больше 2 (продано 3, уже возвращено 1)' });
    const [record] = await journal('returns');
    const ofReturn = await till.action('/action/returns/complete', { sale: record.id, q_3: '1', pin: '4321' });
    assert.equal(ofReturn.status, 422);
    assert.match(ofReturn.body.error.fields.sale, /это возврат, а не продажа/);
    assert.equal(await stored(), before);
    // the rest, by card this time, confirmed by the manager logged in on a till
    await office.action('/action/openShift', { float: '0' });
    const rest = await office.action('/action/returns/complete', { sale: saleId, all: '1', method: 'card' });
    assert.equal(rest.status, 200, JSON.stringify(rest.body));
    const records = await journal('returns');
    assert.equal(records[1].confirmedBy.by, 'login');
    // the two returns give back exactly what was paid: 677.92
    assert.equal(records[0].amount + records[1].amount, 67792);
    const page = await till.get(`/returns?sale=${encodeURIComponent(saleId)}`);
    assert.match(page.text, /По этому чеку всё уже возвращено/);
  });

  it('wrong PINs are rate-limited per terminal like logins', async () => {
    const [sale] = (await journal('sales')).slice(-1);
    let last;
    for (let i = 0; i < 5; i++) last = await till.action('/action/returns/complete', { sale: sale.id, q_1: '1', pin: '9999' });
    assert.equal(last!.status, 403);
    const locked = await till.action('/action/returns/complete', { sale: sale.id, q_1: '1', pin: '4321' });
    assert.equal(locked.status, 429);
    assert.match(locked.body.error.fields.pin, /Слишком много неверных PIN/);
  });
});

describe('kassa: a sale older than the sales journal’s view window', () => {
  let host: TestHost;
  let dataDir = '';

  before(async () => {
    // 300 sales of another till already in the journal (the view holds the newest 200): the first is returned
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'sok-returns-old-'));
    const sale = (n: number) => ({
      id: `old-till/1/${n}`,
      number: n,
      shift: 1,
      terminal: { id: 'old-till', name: 'Старая касса' },
      cashier: { login: 'kassir', name: 'Иванов И.И.' },
      at: '2026-11-01T10:00:00.000Z',
      day: '2026-11-01',
      timeText: '01.11.2026, 13:00',
      lines: [{ id: 3, barcode: CHEESE, name: 'Сыр Российский', price: 25075, quantity: 2, sum: 50150 }],
      itemCount: 2,
      total: 50150,
      discountPercent: 0,
      discount: 0,
      finalTotal: 50150,
      payment: { method: 'card', tendered: 0, change: 0 },
      uid: `0190f000-0000-7000-8000-${String(n).padStart(12, '0')}`,
    });
    const lines = Array.from({ length: 300 }, (_, k) => JSON.stringify(sale(k + 1))).join('\n') + '\n';
    await writeFile(path.join(dataDir, 'sales.jsonl'), lines, { mode: 0o600 });
    host = await startHost(appDir, { dataDir });
  });
  after(async () => {
    await host?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('is found by its number and returned by the sale’s method; a second return finds nothing left', async () => {
    const office = new TestTerminal(host.url);
    await office.login('admin', 'admin');
    await office.action('/action/openShift', { float: '0' });
    const found = await office.action('/action/returns/find', { sale: 'old-till/1/1' });
    assert.deepEqual(found.body, { redirect: `/returns?sale=${encodeURIComponent('old-till/1/1')}` });
    const page = await office.get(`/returns?sale=${encodeURIComponent('old-till/1/1')}`);
    assert.match(page.text, /class="n returnable">2</);
    const returned = await office.action('/action/returns/complete', { sale: 'old-till/1/1', q_3: '2' });
    assert.equal(returned.status, 200, JSON.stringify(returned.body));
    await host.flushed();
    const [record] = (await readFile(path.join(dataDir, 'returns.jsonl'), 'utf8')).split('\n').filter(Boolean).map((l) => JSON.parse(l));
    assert.deepEqual([record.saleId, record.amount, record.method], ['old-till/1/1', 50150, 'card']);
    const again = await office.action('/action/returns/complete', { sale: 'old-till/1/1', q_3: '1' });
    assert.equal(again.status, 422);
    assert.match(again.body.error.fields.q_3, /Вернуть можно не больше 0/);
  });
});
