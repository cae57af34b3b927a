// apps/kassa's catalogue over real HTTP: the manager lists, searches and pages products, adds and edits
// them (barcodes checked, prices in kopecks with a price history), archives them; every bad input is
// refused with a message naming the field and nothing written; a cashier gets 403 everywhere here.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import type { TestHost } from '../helpers/host.js';
import type { TestTerminal } from '../helpers/http-client.js';
import { startKassaOffice, type KassaOffice } from '../helpers/kassa-office.js';

const BREAD = '4607000010075'; // product 1, Хлеб Бородинский, 45.50

const product = (fields: Record<string, string> = {}) => ({
  name: 'Пельмени «Сибирские»',
  barcodes: '4600000000015 CODE-77',
  price: '349.90',
  vat: '10',
  unit: 'шт',
  category: 'Заморозка',
  ...fields,
});

describe('kassa: the manager’s catalogue', () => {
  let host: TestHost;
  let manager: TestTerminal;
  let cashier: TestTerminal;
  let stored: KassaOffice['stored'];
  let catalogue: KassaOffice['catalogue'];

  const priceHistory = async () => {
    await host.flushed();
    return readFile(path.join(host.dataDir, 'priceHistory.jsonl'), 'utf8').catch(() => '');
  };

  before(async () => {
    ({ host, manager, cashier, stored, catalogue } = await startKassaOffice());
  });
  after(() => host.stop());

  it('lists one page, searches by name or by any barcode, and pages', async () => {
    const page = await manager.get('/catalogue');
    assert.equal(page.status, 200);
    assert.match(page.text, /Каталог товаров/);
    assert.match(page.text, /Хлеб Бородинский/);
    const byName = await manager.action('/action/catalogue/search', { q: 'молоко' });
    assert.equal(byName.status, 200);
    assert.match(byName.body.html, /Молоко 3\.2%/);
    assert.doesNotMatch(byName.body.html, /Хлеб Бородинский/);
    const byCode = await manager.action('/action/catalogue/search', { q: BREAD });
    assert.match(byCode.body.html, /Найдено: 1/);
    assert.match(byCode.body.html, /Хлеб Бородинский/);
    const bookmarked = await manager.get(`/catalogue?q=${encodeURIComponent('сыр')}`);
    assert.match(bookmarked.text, /Сыр Российский/);
    assert.doesNotMatch(bookmarked.text, /Хлеб Бородинский/);
  });

  it('adds a product with several barcodes, found at the till by any of them', async () => {
    const saved = await manager.action('/action/catalogue/save', product());
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.equal(saved.body.redirect, '/catalogue?q=4600000000015');
    const added = (await catalogue()).find((p) => p.name === 'Пельмени «Сибирские»');
    assert.ok(added);
    assert.deepEqual([added.barcode, added.barcodes, added.price, added.vat, added.unit, added.category, added.archived], [
      '4600000000015', ['4600000000015', 'CODE-77'], 34990, '10', 'шт', 'Заморозка', false,
    ]);
    const history = await priceHistory();
    assert.match(history, /"newPrice":34990/);

    await cashier.action('/action/openShift', { openingFloat: '0' });
    const scanned = await cashier.action('/action/scan', { code: 'CODE-77' });
    assert.equal(scanned.status, 200, JSON.stringify(scanned.body));
    assert.match(scanned.body.html, /Пельмени/);
    assert.match(scanned.body.html, /349\.90/);
  });

  it('a price change applies to new receipt lines; the open receipt keeps its price; the change is in the history', async () => {
    const id = (await catalogue()).find((p) => p.name === 'Пельмени «Сибирские»')!.id;
    const changed = await manager.action('/action/catalogue/save', product({ id: String(id), price: '399' }));
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    const again = await cashier.action('/action/scan', { code: '4600000000015' });
    assert.match(again.body.html, /349\.90/, 'the line on the open receipt keeps the price the customer saw');
    assert.doesNotMatch(again.body.html, /399\.00/);
    const edit = await manager.get(`/catalogue/product?id=${id}`);
    assert.equal(edit.status, 200);
    assert.match(edit.text, /value="399\.00"/);
    assert.match(edit.text, /349\.90 → 399\.00 ₽ · Петрова А\.С\./);
    await cashier.action('/action/clearReceipt', {});
    const fresh = await cashier.action('/action/scan', { code: '4600000000015' });
    assert.match(fresh.body.html, /399\.00/, 'a new line gets the new price');
    await cashier.action('/action/clearReceipt', {});
  });

  it('refuses every bad form with the field named and nothing written', async () => {
    const before = await stored();
    const cases: Array<[Record<string, string>, string, RegExp]> = [
      [{ name: '   ' }, 'name', /Укажите название/],
      [{ barcodes: '4600000000018' }, 'barcodes', /неверная контрольная цифра EAN-13 \(должна быть 5\)/],
      [{ barcodes: '96385075' }, 'barcodes', /неверная контрольная цифра EAN-8/],
      [{ barcodes: '036000291453' }, 'barcodes', /неверная контрольная цифра UPC-A/],
      [{ barcodes: '' }, 'barcodes', /хотя бы один штрихкод/],
      [{ barcodes: '12' }, 'barcodes', /номера товаров/],
      [{ barcodes: `4006381333931 ${BREAD}` }, 'barcodes', /Штрихкод 4607000010075 уже у товара «Хлеб Бородинский» \(№1\)/],
      [{ barcodes: 'CODE-77' }, 'barcodes', /уже у товара «Пельмени «Сибирские»»/],
      [{ price: '0' }, 'price', /больше нуля/],
      [{ price: '-10' }, 'price', /больше нуля/],
      [{ price: '10000000.01' }, 'price', /не может быть больше 10 000 000,00/],
      [{ price: 'дёшево' }, 'price', /не распознана/],
      [{ vat: '18' }, 'vat', /ставку НДС/],
      [{ unit: 'л' }, 'unit', /шт или кг/],
    ];
    for (const [fields, field, message] of cases) {
      const answer = await manager.action('/action/catalogue/save', product({ name: 'Новый товар', barcodes: '4006381333931', ...fields }));
      assert.equal(answer.status, 422, `${JSON.stringify(fields)}: ${JSON.stringify(answer.body)}`);
      assert.match(answer.body.error.message, message);
      assert.deepEqual(Object.keys(answer.body.error.fields), [field]);
    }
    const missing = await manager.action('/action/catalogue/save', product({ id: '99999' }));
    assert.equal(missing.status, 404);
    assert.equal(await stored(), before, 'nothing was written');
    // the largest price is accepted
    const dear = await manager.action('/action/catalogue/save', product({ name: 'Слиток', barcodes: '4006381333931', price: '10 000 000,00' }));
    assert.equal(dear.status, 200, JSON.stringify(dear.body));
  });

  it('archives a product: it leaves the till, stays in the catalogue, and comes back', async () => {
    const answer = await manager.action('/action/catalogue/archive', { id: '1', q: 'Бородинский' });
    assert.equal(answer.status, 200);
    assert.match(answer.body.html, /Найдено: 0/, 'archived products are hidden unless asked for');
    const shown = await manager.action('/action/catalogue/search', { q: 'Бородинский', archived: 'on' });
    assert.match(shown.body.html, /в архиве/);
    const refused = await cashier.action('/action/scan', { code: BREAD });
    assert.equal(refused.status, 422);
    assert.match(refused.body.error.message, /снят с продажи/);
    await manager.action('/action/catalogue/archive', { id: '1' });
    const sold = await cashier.action('/action/scan', { code: BREAD });
    assert.equal(sold.status, 200);
    await cashier.action('/action/clearReceipt', {});
  });

  it('is the manager’s: a cashier gets 403 for every page and action, and nothing is written', async () => {
    const before = await stored();
    for (const pagePath of ['/catalogue', '/catalogue/product', '/catalogue/product?id=1']) {
      const page = await cashier.get(pagePath);
      assert.equal(page.status, 403, pagePath);
    }
    for (const [route, body] of [
      ['/action/catalogue/search', { q: 'хлеб' }],
      ['/action/catalogue/save', product({ barcodes: '4006381333948' })],
      ['/action/catalogue/archive', { id: '2' }],
    ] as const) {
      const answer = await cashier.action(route, body);
      assert.equal(answer.status, 403, route);
    }
    assert.equal(await stored(), before);
    const nav = await cashier.get('/');
    assert.doesNotMatch(nav.text, /href="\/catalogue"/, 'a cashier is not shown the catalogue');
    const managerNav = await manager.get('/');
    assert.match(managerNav.text, /href="\/catalogue"/);
  });
});
