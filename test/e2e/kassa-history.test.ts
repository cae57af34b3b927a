// The sales history in Chromium, by keyboard: a manager opens *История продаж*, filters a journal of 600
// sales (far more than the 200 kept in memory) by day, cashier, method and receipt number, opens a sale with
// Alt+1 and reprints it as a copy (Ctrl+P: 80 mm, Alt+P: 58 mm; in a browser terminal the receipt
// opens in a small window that prints itself), then Escape goes back to the same list. The screenshots
// are the README's (docs/screenshots with `npm run screenshots`, a temporary folder otherwise).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { TestHost } from '../helpers/host.js';
import { launchBrowser } from '../helpers/browser.js';
import { loginByKeyboard } from '../helpers/kassa-keyboard.js';
import { screenshotsDir } from '../helpers/screenshots.js';
import { dayOf, syntheticSale, startKassaWithSales, type SalesLayout } from '../helpers/sales-journal.js';

const layout: SalesLayout = { firstDay: '2026-11-01', perDay: 120 };
const SALES = 600;

describe('kassa in Chromium: the manager finds a sale in the history and reprints it as a copy', () => {
  let host: TestHost;
  let browser: Browser;
  let context: BrowserContext;
  let office: Page;

  before(async () => {
    host = await startKassaWithSales(SALES, layout);
    browser = await launchBrowser();
    context = await browser.newContext({ baseURL: host.url, viewport: { width: 1366, height: 900 }, locale: 'ru-RU' });
    // the receipt window prints itself; here printing is counted instead
    await context.addInitScript('window.__printed = 0; window.print = () => { window.__printed += 1; };');
    office = await context.newPage();
  });
  after(async () => {
    await browser?.close();
    await host?.stop();
  });

  const total = () => office.locator('#history-list .total').innerText();

  it('filters by day, cashier, method and receipt number', async () => {
    await loginByKeyboard(office, 'admin', 'admin');
    await office.locator('nav a[href="/history"]').click();
    await office.waitForURL((url) => url.pathname === '/history');
    await office.locator('#history-list .summary').waitFor();

    const day = dayOf(250, layout);
    await office.keyboard.press('F3');
    await office.locator('input[name="day"]:focus').waitFor();
    await office.locator('input[name="day"]').fill(day);
    await office.keyboard.press('Enter');
    await office.locator('#history-list .total', { hasText: /^120$/ }).waitFor();
    assert.match(await office.locator('#history-list .pages').innerText(), /1 \/ 3/);
    await office.screenshot({ path: path.join(screenshotsDir, 'kassa-history.png') });

    await office.locator('select[name="cashier"]').selectOption('kassir');
    await office.locator('#history-list .total', { hasText: /^60$/ }).waitFor();
    await office.locator('select[name="method"]').selectOption('card');
    await office.locator('#history-list .total', { hasText: /^20$/ }).waitFor();
    // receipt 13 of that day, kassir, by card: the list shows exactly the journal's matching sales
    const wanted = Array.from({ length: SALES }, (_, n) => syntheticSale(n, layout) as { id: string; day: string; number: number; cashier: { login: string }; payment: { method: string } })
      .filter((s) => s.day === day && s.cashier.login === 'kassir' && s.payment.method === 'card' && s.number === 13)
      .reverse();
    assert.ok(wanted.length > 0);
    await office.locator('input[name="number"]').fill('13');
    await office.locator('input[name="number"]').press('Enter');
    await office.locator('#history-list .total', { hasText: new RegExp(`^${wanted.length}$`) }).waitFor();
    assert.deepEqual(await office.locator('#history-list tr.sale').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-id'))), wanted.map((s) => s.id));
    assert.equal(await total(), String(wanted.length));

    // a bad amount is shown beside its field; the list stays
    await office.locator('input[name="min"]').fill('много');
    await office.locator('input[name="min"]').press('Enter');
    await office.locator('[atom-field-error="min"]', { hasText: 'Сумма — число рублей' }).waitFor();
    assert.equal(await total(), String(wanted.length));
    await office.locator('input[name="min"]').fill('');
    await office.locator('input[name="min"]').press('Enter');
    await office.locator('[atom-field-error="min"]').waitFor({ state: 'hidden' });
  });

  it('opens the first sale with Alt+1 and reprints it as a copy at 80 and 58 mm, then Escape goes back to the list', async () => {
    const id = await office.locator('#history-list tr.sale').first().getAttribute('data-id');
    await office.keyboard.press('Alt+1');
    await office.waitForURL((url) => url.pathname === '/history/sale');
    assert.equal(new URL(office.url()).searchParams.get('id'), id);
    await office.locator('.sale-view .sale-number', { hasText: '13' }).waitFor();
    assert.match(await office.locator('.sale-view .cashier').innerText(), /Иванов И\.И\./);
    assert.match(await office.locator('.sale-view .method').innerText(), /Картой/);

    for (const [keys, width] of [['Control+P', '80'], ['Alt+P', '58']] as const) {
      const [paper] = await Promise.all([context.waitForEvent('page'), office.keyboard.press(keys)]);
      await paper.waitForLoadState('load');
      const opened = new URL(paper.url());
      assert.equal(opened.pathname, '/print/sale');
      assert.equal(opened.searchParams.get('id'), id);
      assert.equal(opened.searchParams.get('width'), width);
      await paper.waitForFunction(() => (window as unknown as { __printed: number }).__printed === 1);
      assert.deepEqual(await paper.locator('.copy-mark').allInnerTexts(), ['КОПИЯ', 'КОПИЯ']);
      assert.equal(await paper.locator('.sale-number').innerText(), '13');
      assert.equal(await paper.locator('.paper').getAttribute('data-width'), width);
      if (width === '80') await paper.screenshot({ path: path.join(screenshotsDir, 'kassa-history-copy.png') });
      await paper.close();
    }

    await office.keyboard.press('Escape');
    await office.waitForURL((url) => url.pathname === '/history');
    const back = new URL(office.url()).searchParams;
    assert.equal(back.get('number'), '13');
    assert.equal(back.get('cashier'), 'kassir');
    assert.equal(await office.locator('input[name="number"]').inputValue(), '13');
    assert.equal(await office.locator('#history-list tr.sale').first().getAttribute('data-id'), id);
  });
});
