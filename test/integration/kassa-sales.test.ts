// apps/kassa selling over real HTTP: barcode scanning, typed quantities, shifts, cash and card
// payments, the append-only sales journal with receipt numbers per shift, the printable receipt and
// the X/Z reports. Refused actions answer a clear message and write nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFile, readdir } from 'node:fs/promises';
import { projectRoot, startHost, type TestHost } from '../helpers/host.js';
import { TestTerminal } from '../helpers/http-client.js';

const appDir = path.join(projectRoot, 'apps', 'kassa');
const BREAD = '4607000010075';
const CHEESE = '4607000010211';
const MILK = '4607000010143';

function field(html: string, className: string): string | undefined {
  return new RegExp(`class="${className}"[^>]*>([^<]*)<`).exec(html)?.[1];
}

async function journal(host: TestHost, name: string): Promise<any[]> {
  await host.flushed();
  const text = await readFile(path.join(host.dataDir, `${name}.jsonl`), 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

/** All stored per-terminal states of a connector, as one text (to show that nothing was written). */
async function stored(host: TestHost, connector: string): Promise<string> {
  await host.flushed();
  const dir = path.join(host.dataDir, connector);
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).sort();
  return (await Promise.all(files.map((f) => readFile(path.join(dir, f), 'utf8')))).join('\n');
}

describe('kassa: scanning, payment, journal, shift and reports', () => {
  let host: TestHost;
  let till: TestTerminal;

  before(async () => {
    host = await startHost(appDir);
    till = new TestTerminal(host.url);
    await till.login('kassir', '123');
  });
  after(() => host.stop());

  it('adds a product by its barcode or its short code, and refuses an unknown code with a clear message', async () => {
    const bread = await till.action('/action/scan', { code: BREAD });
    assert.equal(bread.status, 200);
    assert.match(bread.body.html, /Хлеб Бородинский/);
    const byNumber = await till.action('/action/scan', { code: ' 3 ' });
    assert.match(byNumber.body.html, /Сыр Российский/);

    const before = await stored(host, 'receipt');
    const unknown = await till.action('/action/scan', { code: '4600000000000' });
    assert.equal(unknown.status, 422);
    assert.match(unknown.body.error.message, /Товар со штрихкодом 4600000000000 не найден/);
    assert.ok(unknown.body.error.fields.code);
    const empty = await till.action('/action/scan', { code: '   ' });
    assert.equal(empty.status, 422);
    assert.match(empty.body.error.message, /Отсканируйте штрихкод/);
    assert.equal(await stored(host, 'receipt'), before, 'refused scans write nothing');
  });

  it('takes a typed quantity, refuses a bad one, and removes the line at 0', async () => {
    const two = await till.action('/action/setQuantity', { itemId: '3', qty: '2' });
    assert.equal(two.status, 200);
    assert.match(two.body.html, /Сыр Российский<\/span><span class="unit">250.75 ₽ × 2/);
    assert.equal(field(two.body.html, 'total'), '547.00');
    assert.match(two.body.html, /class="line current" data-id="3"/, 'the changed line is the current one');
    assert.match(two.body.html, /aria-label="Количество: Сыр Российский" atom-hotkey="F4"/);
    for (const qty of ['x', '-1', '1000', '2.5', '']) {
      const bad = await till.action('/action/setQuantity', { itemId: '3', qty });
      assert.equal(bad.status, 422, `qty ${JSON.stringify(qty)}`);
      assert.match(bad.body.error.message, /целое число от 0 до 999/);
    }
    await till.action('/action/scan', { code: MILK });
    const zero = await till.action('/action/setQuantity', { itemId: '2', qty: '0' });
    assert.doesNotMatch(zero.body.html, /Молоко/);
    const deleted = await till.action('/action/scan', { code: MILK });
    assert.match(deleted.body.html, /Молоко/);
    const gone = await till.action('/action/deleteLine', { itemId: '2' });
    assert.doesNotMatch(gone.body.html, /Молоко/);
    assert.equal(field(gone.body.html, 'final'), '492.30');
  });

  it('cannot sell without an open shift', async () => {
    const refused = await till.action('/action/completeSale', { method: 'cash', tendered: '500' });
    assert.equal(refused.status, 409);
    assert.match(refused.body.error.message, /Смена не открыта/);
    assert.deepEqual(await journal(host, 'sales'), []);
  });

  it('opens a shift with an opening float (and refuses a second one or a bad amount)', async () => {
    const bad = await till.action('/action/openShift', { float: 'много' });
    assert.equal(bad.status, 422);
    assert.match(bad.body.error.message, /Сумма «много» не распознана/);
    const opened = await till.action('/action/openShift', { float: '1 000,00' });
    assert.deepEqual(opened.body, { redirect: '/' });
    const twice = await till.action('/action/openShift', { float: '5' });
    assert.equal(twice.status, 409);
    assert.match(twice.body.error.message, /Смена №1 уже открыта/);
    const page = await till.get('/');
    assert.match(page.text, /Смена №1 · Иванов И\.И\./);
  });

  it('refuses short cash and unreadable amounts, writing nothing', async () => {
    const receiptBefore = await stored(host, 'receipt');
    const shiftBefore = await stored(host, 'shift');
    const short = await till.action('/action/completeSale', { method: 'cash', tendered: '400' });
    assert.equal(short.status, 422);
    assert.match(short.body.error.message, /Недостаточно наличных: получено 400.00, к оплате 492.30, не хватает 92.30/);
    assert.ok(short.body.error.fields.tendered);
    const garbage = await till.action('/action/completeSale', { method: 'cash', tendered: '5OO' });
    assert.equal(garbage.status, 422);
    const method = await till.action('/action/completeSale', { method: 'cheque' });
    assert.equal(method.status, 422);
    assert.deepEqual(await journal(host, 'sales'), []);
    assert.equal(await stored(host, 'receipt'), receiptBefore);
    assert.equal(await stored(host, 'shift'), shiftBefore);
  });

  it('pays only the receipt the cashier sees: a payment naming an older revision is refused, writing nothing', async () => {
    const page = await till.get('/');
    const revision = /name="revision" value="(\d+)"/.exec(page.text)?.[1];
    assert.ok(revision, 'the pay form carries the receipt revision');
    const receiptBefore = await stored(host, 'receipt');
    const stale = await till.action('/action/completeSale', { method: 'card', revision: String(Number(revision) - 1) });
    assert.equal(stale.status, 409);
    assert.match(stale.body.error.message, /Чек изменился во время оплаты/);
    assert.deepEqual(await journal(host, 'sales'), []);
    assert.equal(await stored(host, 'receipt'), receiptBefore);
  });

  it('previews the change while the amount is typed', async () => {
    const preview = await till.action('/action/previewChange', { tendered: '500' });
    assert.equal(preview.body.componentName, 'changePreview');
    assert.equal(field(preview.body.html, 'preview-change'), '7.70');
    const short = await till.action('/action/previewChange', { tendered: '100' });
    assert.match(short.body.html, /не хватает 392.30/);
  });

  it('completes a cash sale: journal record, change due, a new receipt, all at once', async () => {
    const sale = await till.action('/action/completeSale', { method: 'cash', tendered: '500' });
    assert.equal(sale.status, 200);
    assert.equal(field(sale.body.html, 'change'), '7.70');
    assert.match(sale.body.html, /Чек №1 · Оплачен/);
    assert.equal(field(sale.body.html, 'count'), '0', 'a new empty receipt');
    assert.equal(field(sale.body.html, 'tendered'), '500.00', 'the banner shows the cash received too');
    assert.equal(field(sale.body.html, 'percent'), undefined, 'an empty receipt shows no discount row');

    const records = await journal(host, 'sales');
    assert.equal(records.length, 1);
    const [record] = records;
    assert.equal(record.number, 1);
    assert.equal(record.shift, 1);
    assert.deepEqual(record.cashier, { login: 'kassir', name: 'Иванов И.И.' });
    assert.match(record.terminal.id, /^web-/);
    assert.ok(!Number.isNaN(Date.parse(record.at)));
    assert.deepEqual(
      record.lines.map((l: any) => [l.barcode, l.name, l.price, l.quantity, l.sum]),
      [
        [BREAD, 'Хлеб Бородинский', 4550, 1, 4550],
        [CHEESE, 'Сыр Российский', 25075, 2, 50150],
      ],
    );
    assert.deepEqual(
      [record.itemCount, record.total, record.discountPercent, record.discount, record.finalTotal],
      [3, 54700, 10, 5470, 49230],
    );
    assert.deepEqual(record.payment, { method: 'cash', tendered: 50000, change: 770 });
  });

  it('numbers receipts sequentially within the shift; a card sale pays the amount due exactly', async () => {
    await till.action('/action/scan', { code: MILK });
    await till.action('/action/scan', { code: MILK });
    await till.action('/action/applyCoupon', { coupon_code: 'SALE15' });
    const card = await till.action('/action/completeSale', { method: 'card', tendered: 'ignored' });
    assert.equal(card.status, 200);
    assert.match(card.body.html, /Чек №2 · Оплачен/);
    const records = await journal(host, 'sales');
    assert.deepEqual(records.map((r) => r.number), [1, 2]);
    assert.deepEqual([records[1].total, records[1].discount, records[1].finalTotal], [16000, 2400, 13600]);
    assert.deepEqual(records[1].payment, { method: 'card', tendered: 13600, change: 0 });
    assert.equal(records[1].coupon, 'SALE15');
    assert.equal(records[0].number, 1, 'the first record is unchanged');
  });

  it('prints the last sale as an 80 mm (or 58 mm) receipt', async () => {
    const print = await till.get('/print/receipt?sale=last');
    assert.equal(print.status, 200);
    assert.match(print.text, /class="paper" data-width/);
    assert.match(print.text, /\.paper \{ width: 80mm/);
    assert.match(print.text, /Чек №<b class="sale-number">2<\/b>/);
    assert.match(print.text, /Молоко 3.2%<\/div><div class="row calc"><span>2 × 80.00<\/span><span class="line-sum">=160.00</);
    assert.equal(field(print.text, 'p-total'), '=160.00');
    assert.equal(field(print.text, 'p-discount'), '−24.00');
    assert.equal(field(print.text, 'p-final'), '=136.00');
    assert.equal(field(print.text, 'p-card'), '=136.00');
    assert.doesNotMatch(print.text, /p-change/);
    // no fiscal register yet: the receipt says it is not a fiscal document, and shows the VAT included
    assert.match(print.text, /Не является фискальным документом/);
    assert.match(print.text, /в т\.ч\. НДС 20%/);
    assert.equal(field(print.text, 'p-vat'), '=22.67', '136.00 × 20 / 120');
    const narrow = await till.get('/print/receipt?sale=last&width=58');
    assert.match(narrow.text, /class="paper" data-width="58"/);
    assert.match(narrow.text, /\.paper\[data-width='58'\] \{ width: 58mm/);
  });

  it('shows an X-report during the shift', async () => {
    const x = await till.get('/shift/x');
    assert.equal(x.status, 200);
    assert.match(x.text, /X-отчёт/);
    assert.equal(field(x.text, 'z-count'), '2');
    assert.equal(field(x.text, 'z-gross'), '707.00');
    assert.equal(field(x.text, 'z-discounts'), '78.70');
    assert.equal(field(x.text, 'z-net'), '628.30');
    assert.equal(field(x.text, 'z-cash'), '492.30');
    assert.equal(field(x.text, 'z-card'), '136.00');
    assert.equal(field(x.text, 'z-expected'), '1492.30');
  });

  it('closes the shift with a Z-report (not while a receipt is open); then sales stop', async () => {
    await till.action('/action/scan', { code: BREAD });
    const busy = await till.action('/action/closeShift');
    assert.equal(busy.status, 409);
    assert.match(busy.body.error.message, /оплатите или очистите чек/);
    await till.action('/action/clearReceipt');
    const closed = await till.action('/action/closeShift');
    assert.deepEqual(closed.body, { redirect: '/shift/z' });
    const z = await till.get('/shift/z');
    assert.match(z.text, /Z-отчёт/);
    assert.equal(field(z.text, 'shift-number'), '1');
    assert.equal(field(z.text, 'z-count'), '2');
    assert.equal(field(z.text, 'z-net'), '628.30');
    assert.equal(field(z.text, 'z-expected'), '1492.30');
    const [report] = await journal(host, 'zReports');
    assert.deepEqual(
      [report.number, report.salesCount, report.gross, report.discounts, report.net, report.cash, report.card, report.cashExpected],
      [1, 2, 70700, 7870, 62830, 49230, 13600, 149230],
    );
    assert.deepEqual([report.firstReceipt, report.lastReceipt], [1, 2]);
    const again = await till.action('/action/closeShift');
    assert.equal(again.status, 409);
    await till.action('/action/scan', { code: BREAD });
    const noShift = await till.action('/action/completeSale', { method: 'card' });
    assert.equal(noShift.status, 409);
  });

  it('starts receipt numbers again in the next shift', async () => {
    await till.action('/action/openShift', { float: '0' });
    const sale = await till.action('/action/completeSale', { method: 'card' });
    assert.match(sale.body.html, /Чек №1 · Оплачен/);
    const records = await journal(host, 'sales');
    assert.deepEqual(records.map((r) => [r.shift, r.number]), [[1, 1], [1, 2], [2, 1]]);
  });
});
