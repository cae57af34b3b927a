// Head office's app (apps/hq) on a real PostgreSQL, with a real shop (apps/kassa) sending to it: hq serves
// its pages to its roles, a shop's sale and Z report appear there (the page's channel is told by the central
// tables' trigger), a product and a price edited in hq reach the shop, a shop's own price only that shop,
// bad input is refused with the message beside its field, the CSV export holds every shop's sales. In the
// chain's shop the catalogue is head office's: the till refuses to edit it and shows no edit controls.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import pg from 'pg';
import { projectRoot, startHost, type TestHost } from '../helpers/host.js';
import { TestTerminal } from '../helpers/http-client.js';
import { postgresSkipReason, startPostgres, type PostgresCluster } from '../helpers/postgres.js';
import { waitFor } from '../helpers/wait.js';
import { addShop, setUpHeadOffice } from '../../server/chain/head-office.js';
import { importCatalogue } from '../../server/chain/import-catalogue.js';
import { createLogger } from '../../server/log.js';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';

const skip = postgresSkipReason();
const hqApp = path.join(projectRoot, 'apps', 'hq');
const kassaApp = path.join(projectRoot, 'apps', 'kassa');
const today = () => new Intl.DateTimeFormat('sv-SE').format(new Date());
/** the barcode of the till's demo product №1 */
const TEA = '4607000010075';

describe('head office (apps/hq) over the chain tables, with a shop selling', { skip }, () => {
  let cluster: PostgresCluster;
  let database: string;
  let hq: TestHost;
  let shop: TestHost;
  let manager: TestTerminal;

  const shopUrl = (id: string, password: string) => {
    const url = new URL(database);
    url.username = `shop_${id}`;
    url.password = password;
    return url.toString();
  };

  before(async () => {
    cluster = await startPostgres();
    database = await cluster.createDatabase();
    await setUpHeadOffice(database);
    await addShop(database, 'north', 'north-password-1');
    await addShop(database, 'south', 'south-password-1');
    hq = await startHost(hqApp, { database });
    shop = await startHost(kassaApp, { chain: { url: shopUrl('north', 'north-password-1'), shop: 'north' } });
    manager = new TestTerminal(hq.url);
    assert.equal((await manager.login('admin', 'admin')).status, 200);
  });

  after(async () => {
    await shop?.stop();
    await hq?.stop();
    await cluster?.destroy();
  });

  it('serves its pages to its roles: the sales board lists every shop, an accountant sees no catalogue', async () => {
    const board = await manager.get('/');
    assert.equal(board.status, 200);
    assert.match(board.text, /Продажи сегодня/);
    assert.match(board.text, /data-shop="north"/);
    assert.match(board.text, /data-shop="south"/);
    for (const page of ['/catalogue', '/reports', '/export']) assert.equal((await manager.get(page)).status, 200, page);
    const downloads = (await manager.get('/export')).text;
    assert.match(downloads, /action="\/__export\/sales"/);
    assert.match(downloads, /action="\/__export\/zReports"/);
    const accountant = new TestTerminal(hq.url);
    await accountant.login('buh', 'buh');
    assert.equal((await accountant.get('/')).status, 200);
    assert.equal((await accountant.get('/catalogue')).status, 403);
    assert.equal((await accountant.action('/action/catalogue/save', { name: 'x', barcodes: TEA, price: '1', vat: 'none', unit: 'шт' })).status, 403);
    const stranger = new TestTerminal(hq.url);
    assert.equal((await stranger.get('/')).status, 302, 'a page without a login');
  });

  it("a shop's sale reaches the sales board, whose channel is told of the upload", async (t) => {
    const socket = await manager.socket();
    t.after(() => socket.close());
    assert.equal((await socket.subscribe('chain-uploads')).type, 'subscribed');
    const till = new TestTerminal(shop.url);
    await till.login('kassir', '123');
    assert.equal((await till.action('/action/openShift', { float: '100' })).status, 200);
    assert.equal((await till.action('/action/scan', { code: TEA })).status, 200);
    const sale = await till.action('/action/completeSale', { method: 'card' });
    assert.equal(sale.status, 200, JSON.stringify(sale.body));
    await socket.next((frame) => frame.event === 'uploads-changed', 15_000);
    const row = await waitFor(async () => {
      const text = (await manager.get('/')).text;
      return /<tr data-shop="north">[\s\S]*?<td class="n count">1<\/td>/.test(text) ? text : null;
    }, 'the sale on the board');
    assert.match(row, new RegExp(`${today()}`));
    // a record sent again (a cut link, a crash before the cursor moved) and head office's set-up run again
    // (an upgrade) count nothing twice: the day's row counts only the rows an upload really added
    await setUpHeadOffice(database);
    const asShop = new pg.Client({ connectionString: shopUrl('north', 'north-password-1') });
    await asShop.connect();
    try {
      const { rows } = await asShop.query("SELECT uid, journal, seq, at, record FROM serverokey_chain_records WHERE journal = 'sales'");
      assert.equal(rows.length, 1);
      const again = await asShop.query(
        'INSERT INTO serverokey_chain_records (uid, shop, journal, seq, at, record) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (uid) DO NOTHING',
        [rows[0].uid, 'north', rows[0].journal, rows[0].seq, rows[0].at, JSON.stringify(rows[0].record)],
      );
      assert.equal(again.rowCount, 0);
    } finally {
      await asShop.end();
    }
    assert.match((await manager.get('/')).text, /<tr data-shop="north">[\s\S]*?<td class="n count">1<\/td>/);
    // the shop's last contact and what waits there (its own report, serverokey_chain_contacts)
    const north = /<tr data-shop="north">[\s\S]*?<\/tr>/.exec(row)![0];
    assert.match(north, /<td class="contact">\d{2}\.\d{2}, \d{2}:\d{2}:\d{2}<\/td>/);
    assert.match(north, /<td class="n backlog">0<\/td>/);
    assert.match(/<tr data-shop="south">[\s\S]*?<\/tr>/.exec(row)![0], /<td class="contact">не было<\/td>/);
    // the Z report of the shift reaches the reports page
    assert.equal((await till.action('/action/closeShift', {})).status, 200);
    await waitFor(async () => /<tr data-shop="north">/.test((await manager.get('/reports')).text), 'the Z report at head office');
    // the export: every shop's sales of the day, CSV with a BOM and ";"
    const csv = await fetch(`${hq.url}/__export/sales?from=${today()}&to=${today()}&format=csv`, { headers: { cookie: manager.cookieHeader() } });
    assert.equal(csv.status, 200);
    const bytes = Buffer.from(await csv.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with a BOM');
    const text = bytes.subarray(3).toString('utf8');
    assert.ok(text.startsWith('Магазин;День;'), text.slice(0, 80));
    assert.match(text, new RegExp(`\\r\\nnorth;${today()};[^\\r]*;1;1;[^\\r]*;[^\\r]*;1;`));
    assert.equal((await manager.get('/__export/sales?from=bad')).status, 400);
  });

  it('a product and a price edited at head office reach the shop; a shop price reaches only that shop', async () => {
    const saved = await manager.action('/action/catalogue/save', { name: 'Чай сети', barcodes: TEA, price: '123.45', vat: '20', unit: 'шт', category: 'Чай' });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    const admin = new TestTerminal(shop.url);
    await admin.login('admin', 'admin');
    const shopCatalogue = async () => (await admin.get(`/catalogue?q=${TEA}`)).text;
    await waitFor(async () => /Чай сети/.test(await shopCatalogue()) && /123\.45/.test(await shopCatalogue()), 'the product at the shop', 15_000);
    // the new price
    const changed = await manager.action('/action/catalogue/save', { id: '1', name: 'Чай сети', barcodes: TEA, price: '130', vat: '20', unit: 'шт', category: 'Чай' });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    await waitFor(async () => /130\.00/.test(await shopCatalogue()), 'the new price at the shop', 15_000);
    // north's own price; the chain's price stays for south (its row at head office)
    const own = await manager.action('/action/catalogue/shop-price', { id: '1', shop: 'north', price: '99.90' });
    assert.equal(own.status, 200, JSON.stringify(own.body));
    assert.match(String(own.body.html ?? JSON.stringify(own.body)), /99\.90/);
    await waitFor(async () => /99\.90/.test(await shopCatalogue()), "north's own price at north", 15_000);
    const client = new pg.Client({ connectionString: database });
    await client.connect();
    try {
      const { rows } = await client.query("SELECT shop, item FROM serverokey_chain_catalogue WHERE item_id = '1' ORDER BY shop");
      assert.deepEqual(rows.map((row) => [row.shop, row.item.price]), [['', 13000], ['north', 9990]]);
    } finally {
      await client.end();
    }
    // withdrawn: the chain's price again
    assert.equal((await manager.action('/action/catalogue/shop-price/remove', { id: '1', shop: 'north' })).status, 200);
    await waitFor(async () => /130\.00/.test(await shopCatalogue()), 'the chain price at north again', 15_000);
    const page = await manager.get('/catalogue/product?id=1');
    assert.match(page.text, /Чай сети/);
    // archived at head office: archived at the shop (the till no longer sells it), and back
    const archived = await manager.action('/action/catalogue/archive', { id: '1', q: '' });
    assert.equal(archived.status, 200, JSON.stringify(archived.body));
    assert.match(archived.body.html, /<tr class="product is-archived" data-id="1">/);
    await waitFor(async () => /class="product is-archived"/.test((await admin.get(`/catalogue?q=${TEA}&archived=on`)).text), 'the product archived at the shop', 15_000);
    assert.equal((await manager.action('/action/catalogue/archive', { id: '1', q: '' })).status, 200);
    await waitFor(async () => !/class="product is-archived"/.test((await admin.get(`/catalogue?q=${TEA}&archived=on`)).text), 'the product back at the shop', 15_000);
  });

  it('bad input is refused with its message and nothing is written', async () => {
    const versionNow = async () => {
      const client = new pg.Client({ connectionString: database });
      await client.connect();
      try {
        return (await client.query('SELECT coalesce(max(version), 0)::int AS v, count(*)::int AS n FROM serverokey_chain_catalogue')).rows[0];
      } finally {
        await client.end();
      }
    };
    const before = await versionNow();
    const badPrice = await manager.action('/action/catalogue/save', { name: 'Хлеб', barcodes: '4607000010426', price: 'abc', vat: 'none', unit: 'шт' });
    assert.equal(badPrice.status, 422);
    assert.ok(badPrice.body.error.fields.price);
    const taken = await manager.action('/action/catalogue/save', { name: 'Другой чай', barcodes: TEA, price: '10', vat: 'none', unit: 'шт' });
    assert.equal(taken.status, 422);
    assert.match(taken.body.error.fields.barcodes, /Чай сети/);
    const unknownShop = await manager.action('/action/catalogue/shop-price', { id: '1', shop: 'nowhere', price: '10' });
    assert.equal(unknownShop.status, 404);
    assert.match(unknownShop.body.error.message, /nowhere/);
    const noProduct = await manager.action('/action/catalogue/save', { id: '777', name: 'Нет', barcodes: '4607000010426', price: '10', vat: 'none', unit: 'шт' });
    assert.equal(noProduct.status, 404);
    assert.deepEqual(await versionNow(), before);
  });

  it("in the chain's shop the catalogue is head office's: the till refuses to change it and shows no edit controls", async () => {
    const admin = new TestTerminal(shop.url);
    await admin.login('admin', 'admin');
    const list = await admin.get('/catalogue');
    assert.equal(list.status, 200);
    assert.match(list.text, /Товары и цены задаёт офис сети/);
    assert.doesNotMatch(list.text, /class="button primary add"/);
    assert.doesNotMatch(list.text, /class="archive"/);
    const product = await admin.get('/catalogue/product?id=2');
    assert.match(product.text, /<fieldset class="fields" disabled>/);
    assert.doesNotMatch(product.text, /class="primary save"/);
    const before = await shop.storedText('positions');
    const save = await admin.action('/action/catalogue/save', { id: '2', name: 'Своя цена', barcodes: '4607000010143', price: '1', vat: 'none', unit: 'шт' });
    assert.equal(save.status, 409);
    assert.match(save.body.error.message, /офис сети/);
    assert.equal((await admin.action('/action/catalogue/archive', { id: '2' })).status, 409);
    // the CSV page only downloads: no import form, and the import's actions refuse as the form does
    const csvPage = await admin.get('/catalogue/csv');
    assert.match(csvPage.text, /export\.csv/);
    assert.doesNotMatch(csvPage.text, /csv\/preview/);
    const csv = '\uFEFF№;Название;Штрихкоды;Цена;НДС;Единица;Категория;В архиве\r\n;Чужой товар;;10,00;20;шт;;нет\r\n';
    const preview = await admin.action('/action/catalogue/csv/preview', { csv, fileName: 'c.csv' });
    assert.equal(preview.status, 409);
    assert.match(preview.body.error.message, /офис сети/);
    assert.equal((await admin.action('/action/catalogue/csv/apply', {})).status, 409);
    assert.equal(await shop.storedText('positions'), before, 'the catalogue changed');
  });

  it('each account changes its own password: the current one first, the new one checked', async () => {
    const accountant = new TestTerminal(hq.url);
    await accountant.login('buh', 'buh');
    assert.equal((await accountant.get('/password')).status, 200);
    const wrong = await accountant.action('/action/password', { current: 'nope', password: 'new-secret' });
    assert.equal(wrong.status, 422);
    assert.equal(wrong.body.error.fields.current, 'Текущий пароль неверен');
    const short = await accountant.action('/action/password', { current: 'buh', password: 'x' });
    assert.equal(short.status, 422);
    assert.ok(short.body.error.fields.password);
    assert.equal((await accountant.action('/action/password', { current: 'buh', password: 'new-secret' })).status, 200);
    const again = new TestTerminal(hq.url);
    assert.match(String((await again.login('buh', 'buh')).body?.redirect?.url ?? ''), /error=1/);
    const fresh = new TestTerminal(hq.url);
    await fresh.login('buh', 'new-secret');
    assert.equal((await fresh.get('/reports')).status, 200);
  });

  it("a chain's first catalogue comes from a stopped till's (import-catalogue): head office's own products are kept", async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sok-first-till-'));
    try {
      const till = await startHost(kassaApp, { dataDir });
      await till.stop();
      const first = await importCatalogue({ appDir: kassaApp, dataDir, adminUrl: database, log: createLogger(true) });
      assert.equal(first.connector, 'positions');
      assert.equal(first.kept, 1, 'product 1 is head office\'s already');
      assert.ok(first.added >= 30, `${first.added} added`);
      const again = await importCatalogue({ appDir: kassaApp, dataDir, adminUrl: database, log: createLogger(true) });
      assert.equal(again.added, 0);
      const list = await manager.get('/catalogue?q=Батон');
      assert.match(list.text, /Батон нарезной/);
      assert.match((await manager.get('/catalogue?q=1')).text, /Чай сети/, "head office's product 1 is unchanged");
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
