// The till's product list at a large catalogue: the page and every keystroke of the search show one page
// (100 products) and say how many more match, never the whole catalogue; a product number puts that product
// first; archived products are not listed.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { projectRoot, startHost } from '../helpers/host.js';
import { TestTerminal } from '../helpers/http-client.js';

const products = Array.from({ length: 250 }, (_, k) => ({
  id: k + 1,
  barcode: `CODE-${k + 1}`,
  barcodes: k === 4 ? [`CODE-${k + 1}`, 'EXTRA-5'] : [`CODE-${k + 1}`],
  name: k % 2 === 0 ? `Чай сорт ${k + 1}` : `Кофе сорт ${k + 1}`,
  price: 1000 + k,
  vat: '20',
  unit: 'шт',
  category: '',
  archived: k === 248,
}));
const listed = (html: string) => [...html.matchAll(/class="product" name="id" value="(\d+)"/g)].map((m) => Number(m[1]));

/** The till on a host whose catalogue is `products`, the cashier logged in. */
async function tillWithCatalogue(t: TestContext): Promise<TestTerminal> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sok-till-list-'));
  await writeFile(path.join(dataDir, 'positions.json'), JSON.stringify({ items: products }));
  const host = await startHost(path.join(projectRoot, 'apps', 'kassa'), { dataDir });
  t.after(() => host.stop());
  const till = new TestTerminal(host.url);
  await till.login('kassir', '123');
  return till;
}

test('the till lists one page of the search, never the whole catalogue', async (t) => {
  const till = await tillWithCatalogue(t);

  const page = await till.get('/');
  assert.equal(listed(page.text).length, 100);
  assert.match(page.text, /Ещё товаров — уточните запрос: 149/, '249 on sale (one archived), 100 shown');

  const tea = await till.action('/action/filterPositions', { query: 'чай' });
  assert.equal(tea.status, 200);
  assert.equal(listed(tea.body.html).length, 100);
  assert.match(tea.body.html, /Ещё товаров — уточните запрос: 24/, '124 teas on sale (one archived)');
  const narrow = await till.action('/action/filterPositions', { query: 'кофе сорт 24' });
  assert.deepEqual(listed(narrow.body.html), [24, 240, 242, 244, 246, 248]);
  assert.doesNotMatch(narrow.body.html, /Ещё товаров/);
  const byNumber = await till.action('/action/filterPositions', { query: '7' });
  assert.equal(listed(byNumber.body.html)[0], 7, 'the product with that number first');
  const archived = await till.action('/action/filterPositions', { query: 'CODE-249' });
  assert.deepEqual(listed(archived.body.html), []);
  assert.match(archived.body.html, /Ничего не найдено по запросу «CODE-249»/);
});

test('Enter in the till search adds the product the query names, by any barcode, through page() and keyed()', async (t) => {
  const till = await tillWithCatalogue(t);
  const lines = (html: string) => [...html.matchAll(/data-id="(\d+)"/g)].map((m) => Number(m[1]));

  // a product's second barcode (the old scan of the whole list only knew the first one)
  const second = await till.action('/action/addSearchMatch', { query: 'EXTRA-5' });
  assert.equal(second.status, 200, JSON.stringify(second.body));
  assert.ok(lines(second.body.html).includes(5), 'product 5 is on the receipt');
  // several matches: how many (the archived one not counted), nothing added
  const many = await till.action('/action/addSearchMatch', { query: 'кофе сорт 24' });
  assert.equal(many.status, 422);
  assert.match(JSON.stringify(many.body), /Найдено товаров: 6/);
  // an exact number among many matches, and an archived product's code is not sold
  const byNumber = await till.action('/action/addSearchMatch', { query: '7' });
  assert.equal(byNumber.status, 200);
  assert.ok(lines(byNumber.body.html).includes(7));
  const archived = await till.action('/action/addSearchMatch', { query: 'CODE-249' });
  assert.equal(archived.status, 422);
  assert.match(JSON.stringify(archived.body), /Ничего не найдено по запросу «CODE-249»/);
  const empty = await till.action('/action/addSearchMatch', { query: '  ' });
  assert.equal(empty.status, 422);
});
