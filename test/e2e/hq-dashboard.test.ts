// Head office's sales board in Chromium: a shop's sale appears on the open page without a reload, within
// 2 s of its upload reaching head office (the central tables' trigger NOTIFYs, the host's channel tells
// the page, the page refreshes its board). The upload's moment is heard the same way — a LISTEN of the test's
// own on the database — so the bound covers head office's part only, not the shop's upload round.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import pg from 'pg';
import type { Browser } from 'playwright-core';
import { projectRoot, startHost, type TestHost } from '../helpers/host.js';
import { TestTerminal } from '../helpers/http-client.js';
import { launchBrowser } from '../helpers/browser.js';
import { buildClientBundle } from '../helpers/fixture-host.js';
import { postgresSkipReason, startPostgres, type PostgresCluster } from '../helpers/postgres.js';
import { screenshotsDir } from '../helpers/screenshots.js';
import { addShop, setUpHeadOffice, UPLOADS_CHANNEL } from '../../server/chain/head-office.js';

const skip = postgresSkipReason();
/** the bound of the issue: the board shows a sale within 2 s of its upload */
const BOARD_DEADLINE_MS = 2000;

let browser: Browser;
let cluster: PostgresCluster;
let database: string;
let hq: TestHost;
let shop: TestHost;

before(async () => {
  if (skip) return;
  buildClientBundle();
  browser = await launchBrowser();
  cluster = await startPostgres();
  database = await cluster.createDatabase();
  await setUpHeadOffice(database);
  await addShop(database, 'north', 'north-password-1');
  hq = await startHost(path.join(projectRoot, 'apps', 'hq'), { database });
  const url = new URL(database);
  url.username = 'shop_north';
  url.password = 'north-password-1';
  shop = await startHost(path.join(projectRoot, 'apps', 'kassa'), { chain: { url: url.toString(), shop: 'north' } });
});

after(async () => {
  await browser?.close();
  await shop?.stop();
  await hq?.stop();
  await cluster?.destroy();
});

test("the sales board shows a shop's sale without a reload, within 2 s of the upload", { skip }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  try {
    const page = await context.newPage();
    const errors: Error[] = [];
    page.on('pageerror', (error) => errors.push(error));
    await page.goto(`${hq.url}/login`);
    await page.fill('#login', 'admin');
    await page.fill('#password', 'admin');
    await Promise.all([page.waitForURL(`${hq.url}/`), page.click('#login-submit')]);
    await page.waitForFunction(() => window.__serverokey?.subscriptions().includes('chain-uploads'));
    assert.equal(await page.textContent('tr[data-shop="north"] .count'), '0');
    // a mark only this page load carries: a reload would lose it
    await page.evaluate(() => ((window as unknown as { boardMark: number }).boardMark = 1));

    const listener = new pg.Client({ connectionString: database });
    await listener.connect();
    try {
      await listener.query(`LISTEN ${UPLOADS_CHANNEL}`);
      const uploaded = new Promise<void>((resolve) => listener.on('notification', (message) => message.channel === UPLOADS_CHANNEL && resolve()));
      const till = new TestTerminal(shop.url);
      await till.login('kassir', '123');
      assert.equal((await till.action('/action/openShift', { float: '0' })).status, 200);
      assert.equal((await till.action('/action/scan', { code: '4607000010075' })).status, 200);
      assert.equal((await till.action('/action/completeSale', { method: 'cash' })).status, 200);
      await uploaded;
      // the bound of the issue, from the upload at head office to the board on the screen
      await page.waitForFunction(() => document.querySelector('tr[data-shop="north"] .count')?.textContent === '1', undefined, {
        timeout: BOARD_DEADLINE_MS,
      });
    } finally {
      await listener.end();
    }
    assert.equal(await page.evaluate(() => (window as unknown as { boardMark?: number }).boardMark), 1, 'the page was reloaded');
    assert.notEqual(await page.textContent('.all-total'), '0.00');
    assert.deepEqual(errors, []);
    await mkdir(screenshotsDir, { recursive: true });
    await page.screenshot({ path: path.join(screenshotsDir, 'hq-sales-board.png') });
    // the product form with each shop's own price (the till's fields, head office's prices)
    await page.click('a[href="/catalogue"]');
    await page.click('a.add');
    await page.fill('#product-name', 'Чай чёрный, 100 г');
    await page.fill('#product-barcodes', '4607000010075');
    await page.fill('#product-price', '89.90');
    await Promise.all([page.waitForURL(/\/catalogue\/product\?id=1&saved=1$/), page.click('button.save')]);
    await page.fill('tr[data-shop="north"] input[name="price"]', '84.50');
    await page.click('tr[data-shop="north"] button[type="submit"]');
    await page.waitForSelector('#shop-prices .ok');
    assert.equal(await page.inputValue('tr[data-shop="north"] input[name="price"]'), '84.50');
    assert.deepEqual(errors, []);
    await page.screenshot({ path: path.join(screenshotsDir, 'hq-product.png'), fullPage: true });
  } finally {
    await context.close();
  }
});
