// Weighed goods over real HTTP: a scale label (EAN-13, prefix 20–29, product number + grams) adds the
// weighed product with its weight and a sum rounded half-up to the kopeck; a typed "0,512*code" and F4's
// weight field do the same by hand; a label with weight 0, a wrong check digit, an unknown product or a
// piece product is refused with a message and the receipt is unchanged. The sale records each line's
// weight and VAT, and the printed receipt shows them.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';
import { projectRoot, startHost, type TestHost } from '../helpers/host.js';
import { TestTerminal } from '../helpers/http-client.js';

const appDir = path.join(projectRoot, 'apps', 'kassa');
const load = createRequire(path.join(appDir, 'manifest.js'));
const scale = load('./app/lib/scale-label.js') as { makeLabel(prefix: string, code: number, grams: number, layout: object): string };
const layout = (load('./manifest/settings.js') as { scaleLabels: object }).scaleLabels;
const BREAD = '4607000010075'; // product 1, 45.50, шт, VAT 20 %

/** the label with its check digit changed */
const wrongCheckDigit = (label: string) => label.slice(0, 12) + String((Number(label[12]) + 1) % 10);
/** Mustache writes "/" as &#x2F; */
const perKg = '₽(?:/|&#x2F;)кг';
const final = (html: string) => /class="final">([^<]*)</.exec(html)?.[1];
const lineOf = (html: string, id: number) => new RegExp(`data-id="${id}"[\\s\\S]*?class="sum">([^<]*)<`).exec(html)?.[1];

describe('kassa: weighed goods from scale labels', () => {
  let host: TestHost;
  let till: TestTerminal;
  let apples: number;
  const receiptNow = async () => (await till.action('/action/soft-refresh-receipt')).body.html as string;

  before(async () => {
    host = await startHost(appDir);
    const manager = new TestTerminal(host.url);
    await manager.login('admin', 'admin');
    const saved = await manager.action('/action/catalogue/save', { name: 'Яблоки весовые', barcodes: 'APPLE-KG', price: '89.90', vat: '10', unit: 'кг', category: 'Фрукты' });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    const items = JSON.parse(await host.storedText('positions')).items as Array<{ id: number; barcode: string }>;
    apples = items.find((p) => p.barcode === 'APPLE-KG')!.id;
    till = new TestTerminal(host.url);
    await till.login('kassir', '123');
    assert.equal((await till.action('/action/openShift', { float: '0' })).status, 200);
  });
  after(() => host.stop());

  it('a label adds the product with its weight; the line sum is price × grams / 1000 rounded half-up', async () => {
    const first = await till.action('/action/scan', { code: scale.makeLabel('22', apples, 512, layout) });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.match(first.body.html, new RegExp(`89\\.90 ${perKg} × 0\\.512 кг`));
    assert.equal(lineOf(first.body.html, apples), '46.03', '89.90 × 0.512 = 46.0288 → 46.03');
    // a second label of the same product adds its weight to the line: 0.762 kg → 68.5038 → 68.50
    const second = await till.action('/action/scan', { code: scale.makeLabel('29', apples, 250, layout) });
    assert.equal(second.status, 200);
    assert.match(second.body.html, /× 0\.762 кг/);
    assert.equal(lineOf(second.body.html, apples), '68.50');
    assert.match(second.body.html, /class="count">1</, 'a weighed line counts as one item');
  });

  it('refuses a bad label with a message and leaves the receipt as it was', async () => {
    const before = await receiptNow();
    const refusals: Array<[string, RegExp]> = [
      [scale.makeLabel('22', apples, 0, layout), /вес 0 г/],
      [scale.makeLabel('22', 99_999, 300, layout), /товара №99999 нет в каталоге/],
      [scale.makeLabel('22', 1, 300, layout), /«Хлеб Бородинский» продаётся в штуках/],
      [wrongCheckDigit(scale.makeLabel('22', apples, 300, layout)), /неверная контрольная цифра/],
      ['APPLE-KG', /весовой: отсканируйте этикетку весов или введите вес/],
      [`1*${BREAD}`, /продаётся в штуках/],
      ['0*APPLE-KG', /Вес должен быть больше нуля/],
      ['1,2345*APPLE-KG', /Вес «1,2345» не распознан/],
    ];
    for (const [code, message] of refusals) {
      const refused = await till.action('/action/scan', { code });
      assert.equal(refused.status, 422, code);
      assert.match(refused.body.error.message, message, code);
      assert.deepEqual(Object.keys(refused.body.error.fields ?? {}), ['code'], code);
    }
    const added = await till.action('/action/addItem', { id: String(apples) });
    assert.equal(added.status, 422, 'a weighed product was added without a weight');
    const after = await receiptNow();
    assert.equal(lineOf(after, apples), lineOf(before, apples));
    assert.equal(final(after), final(before));
  });

  it('takes a weight typed by hand: "0,3*code" in the scanner field, and a new weight on the line (F4)', async () => {
    const typed = await till.action('/action/scan', { code: '0,3*APPLE-KG' });
    assert.equal(typed.status, 200, JSON.stringify(typed.body));
    assert.match(typed.body.html, /× 1\.062 кг/);
    const corrected = await till.action('/action/setQuantity', { itemId: String(apples), qty: '0,5' });
    assert.equal(corrected.status, 200);
    assert.match(corrected.body.html, /× 0\.500 кг/);
    assert.equal(lineOf(corrected.body.html, apples), '44.95');
    for (const [qty, message] of [['0', /больше нуля/], ['полкило', /не распознан/], ['1000', /не распознан/]] as const) {
      const refused = await till.action('/action/setQuantity', { itemId: String(apples), qty });
      assert.equal(refused.status, 422, qty);
      assert.match(refused.body.error.message, message);
      assert.deepEqual(Object.keys(refused.body.error.fields), ['qty']);
    }
    assert.match(await receiptNow(), /× 0\.500 кг/);
  });

  it('records the weight and each line’s VAT in the sale; the receipt prints them', async () => {
    await till.action('/action/scan', { code: BREAD });
    // 44.95 + 45.50 = 90.45; 10 % discount 9.05 (half-up of 9.045) → due 81.40
    const paid = await till.action('/action/completeSale', { method: 'card' });
    assert.equal(paid.status, 200, JSON.stringify(paid.body));
    await host.flushed();
    const sales = (await readFile(path.join(host.dataDir, 'sales.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line));
    const sale = sales.at(-1);
    assert.equal(sale.finalTotal, 8140);
    const weighed = sale.lines.find((l: { id: number }) => l.id === apples);
    assert.deepEqual([weighed.unit, weighed.grams, weighed.sum, weighed.vat], ['кг', 500, 4495, '10']);
    // the discount 905 shared by the lines' sums: 4495 → 450 (449.78…), 4550 → 455 (455.21…); VAT half-up
    assert.deepEqual(sale.lines.map((l: { vatAmount: number }) => l.vatAmount), [Math.floor((2 * 4045 * 10 + 110) / 220), Math.floor((2 * 4095 * 20 + 120) / 240)]);
    assert.deepEqual(sale.vatRates.map((r: { code: string; amount: number }) => [r.code, r.amount]), [['10', 368], ['20', 683]]);
    const print = await till.get('/print/receipt?sale=last');
    assert.match(print.text, new RegExp(`0\\.500 кг × 89\\.90 ${perKg}`));
    assert.match(print.text, /в т\.ч\. НДС 10%<\/span><span class="p-vat">=3\.68/);
    assert.match(print.text, /в т\.ч\. НДС 20%<\/span><span class="p-vat">=6\.83/);
  });
});
