// Issue 16's acceptance, end to end in Chromium: two terminals and a manager. The manager adds a product with a
// new barcode and price (and a weighed one) and receives goods; on the other terminal a cashier scans the new
// barcode and sells 3; the manager changes the price: the cashier's open receipt keeps the old price, a new
// receipt gets the new one, beside a weighed item from a scale label with the right sum; a partial return of 1
// (a half piece refused beside its field first) confirmed by the manager's PIN, its slip printed; cash in and
// cash out; the Z report's sales, returns, net and expected cash add up; the stock is right; the deactivated
// cashier is logged out on every window. Each step waits on its condition, never on a timer.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Page } from 'playwright-core';
import {
  cashMoveOnShiftPage,
  kassaInChromium,
  kassaTerminals,
  loginByKeyboard,
  openSaleForReturn,
  openShiftByKeyboard,
  scanLikeAScanner,
  scanUntilTotals,
  type KassaInChromium,
} from '../helpers/kassa-keyboard.js';
import { projectRoot } from '../helpers/host.js';
import { screenshotsDir } from '../helpers/screenshots.js';

const load = createRequire(path.join(projectRoot, 'apps', 'kassa', 'manifest.js'));
const settings = load('./manifest/settings.js') as { scaleLabels: object };
const scale = load('./app/lib/scale-label.js') as { makeLabel(prefix: string, code: number, grams: number, layout: object): string };

const NEW_CODE = '4006381333931';
const APPLES_CODE = 'APPLE-KG';
const PIN = '4321';

const text = (page: Page, selector: string) => page.locator(selector).first().innerText();
/** "1 522.21" / "−111.10" as shown → kopecks */
const kopecks = (shown: string) => Math.round(Number(shown.replace(/\s/g, '').replace('−', '-')) * 100);

describe('kassa in Chromium: the back office, end to end (issue 16 acceptance)', () => {
  let kassa: KassaInChromium;
  let office: Page;
  let till: Page;
  let otherWindow: Page;
  let newId = 0;
  let applesId = 0;
  let saleCode = '';

  before(async () => {
    kassa = await kassaInChromium(2);
    [office, till] = kassa.pages;
    // the cashier's second window on another terminal (logged out with the first one at the end)
    [otherWindow] = await kassaTerminals(kassa.browser, kassa.host.url, 1);
  });
  after(() => kassa?.close());

  /** the manager's product form: saved, back on the catalogue; → the product's number */
  async function addProduct(fields: { name: string; code: string; price: string; vat: string; unit: string }): Promise<number> {
    await office.goto('/catalogue/product');
    await office.locator('#product-name').fill(fields.name);
    await office.locator('#product-barcodes').fill(fields.code);
    await office.locator('#product-price').fill(fields.price);
    await office.locator('#product-vat').selectOption(fields.vat);
    await office.locator('#product-unit').selectOption(fields.unit);
    await office.locator('#product-price').focus();
    await Promise.all([office.waitForURL((url) => url.pathname === '/catalogue' && url.search.includes(encodeURIComponent(fields.code))), office.keyboard.press('Enter')]);
    const row = office.locator('.products tr.product', { hasText: fields.name });
    await row.waitFor();
    return Number(await row.getAttribute('data-id'));
  }

  it('the manager sets a return PIN, adds a product with a new barcode and a weighed one, and receives goods', async () => {
    await loginByKeyboard(office, 'admin', 'admin');
    await office.goto('/staff');
    const pinForm = office.locator('tr.person[data-login="admin"] form.pin');
    await pinForm.locator('input[name="pin"]').fill(PIN);
    await pinForm.locator('input[name="pin"]').press('Enter');
    await office.locator('.staff .notice', { hasText: 'PIN менеджера admin сохранён' }).waitFor();

    newId = await addProduct({ name: 'Вареники с вишней', code: NEW_CODE, price: '123.45', vat: '20', unit: 'шт' });
    applesId = await addProduct({ name: 'Яблоки весовые', code: APPLES_CODE, price: '89.90', vat: '10', unit: 'кг' });
    assert.ok(newId > 0 && applesId > 0 && newId !== applesId);

    await office.goto('/stock');
    await office.locator('#goods-supplier').fill('ООО «Вкусно»');
    await office.locator('#goods-document').fill('ТН-16');
    await office.locator('#goods-lines').fill(`${NEW_CODE} 10\n${APPLES_CODE} 5`);
    await office.locator('#goods-lines').focus();
    await Promise.all([office.waitForURL((url) => url.searchParams.get('received') === '1'), office.keyboard.press('Control+Enter')]);
    await office.locator('.goods-receipt[data-number="1"]', { hasText: 'ТН-16' }).waitFor();
  });

  it('on the other terminal a cashier scans the new barcode and has 3 on the receipt', async () => {
    await loginByKeyboard(till, 'kassir', '123');
    await openShiftByKeyboard(till, '1000');
    await till.locator('#scan-input:focus').waitFor();
    await scanUntilTotals(till, NEW_CODE, ['123.45', '246.90', '370.35']);
    assert.match(await text(till, `.receipt-pane .line[data-id="${newId}"] .unit`), /123\.45 ₽ × 3/);
  });

  it('the manager changes the price: the open receipt keeps the old one, a new receipt gets the new one', async () => {
    await office.goto(`/catalogue/product?id=${newId}`);
    await office.locator('#product-price').fill('150');
    await office.locator('#product-price').focus();
    await Promise.all([office.waitForURL((url) => url.pathname === '/catalogue'), office.keyboard.press('Enter')]);
    await office.locator(`.products tr.product[data-id="${newId}"]`, { hasText: '150.00' }).waitFor();

    // the open receipt as the host has it now (a reload renders it afresh): still 123.45, and it is paid at that price
    await till.reload();
    await till.locator('#scan-input:focus').waitFor();
    assert.match(await text(till, `.receipt-pane .line[data-id="${newId}"] .unit`), /123\.45 ₽ × 3/);
    assert.equal(await text(till, '.receipt-pane .totals .total'), '370.35');
    await till.keyboard.press('F9');
    await till.locator('#tendered:focus').waitFor();
    await till.keyboard.press('Enter'); // exact cash
    await till.locator('.paid').waitFor();
    // 370.35 − 10 % (37.04) = 333.31
    assert.match(await text(till, '.paid-title'), /Чек №1 · Оплачен · 333\.31 ₽/);
    // the sale's number, as its printed receipt carries it (a 2D scanner reads it on the returns page)
    const paper = await till.context().newPage();
    await paper.goto('/print/receipt?sale=last');
    saleCode = await text(paper, '.sale-id');
    await paper.close();
    await till.bringToFront();
    await till.locator('#scan-input').focus();

    // the next receipt: the new price, and a weighed item from a scale label (512 g × 89.90 = 46.0288 → 46.03)
    await scanLikeAScanner(till, NEW_CODE);
    const line = till.locator(`.receipt-pane .line[data-id="${newId}"]`);
    await line.locator('.unit', { hasText: '150.00 ₽ × 1' }).waitFor();
    await scanLikeAScanner(till, scale.makeLabel('22', applesId, 512, settings.scaleLabels));
    const apples = till.locator(`.receipt-pane .line[data-id="${applesId}"]`);
    await apples.waitFor();
    assert.match(await apples.locator('.unit').innerText(), /89\.90 ₽\/кг × 0\.512 кг/);
    assert.equal(await apples.locator('.sum').innerText(), '46.03');
    await till.locator('.receipt-pane .totals .total', { hasText: '196.03' }).waitFor();
    await till.keyboard.press('F10');
    await till.locator('.paid-title', { hasText: 'Чек №2' }).waitFor();
    // 196.03 − 10 % (19.60) = 176.43, by card
    assert.match(await text(till, '.paid-title'), /Чек №2 · Оплачен · 176\.43 ₽/);
  });

  it('a partial return of 1, confirmed by the manager’s PIN (half a piece refused first), and its slip', async () => {
    await openSaleForReturn(till, saleCode);
    const line = till.locator(`tr.return-line[data-id="${newId}"]`);
    assert.equal(await line.locator('.returnable').innerText(), '3');
    await line.locator('input.qty').fill('0,5');
    await till.locator('#return-pin').fill(PIN);
    await till.locator('#return-pin').press('Enter');
    await till.locator(`[atom-field-error="q_${newId}"]`, { hasText: 'штучный товар возвращается целыми штуками' }).waitFor();
    await line.locator('input.qty').fill('1');
    await till.locator('#return-pin').fill(PIN);
    await Promise.all([till.waitForURL((url) => url.searchParams.has('done')), till.locator('#return-pin').press('Enter')]);
    // a third of the 333.31 paid for the line
    assert.equal(await text(till, '.done .return-amount'), '111.10');
    const returnId = await text(till, '.done .return-id');
    const printPath = await till.locator('.print-return-80').getAttribute('atom-print');
    assert.equal(printPath, `/print/return?id=${encodeURIComponent(returnId)}&width=80`);

    const slip = await till.context().newPage();
    await slip.goto(printPath!);
    assert.equal(await slip.locator('.return-mark').count(), 2);
    assert.equal(await text(slip, '.return-id'), returnId);
    assert.equal(await text(slip, '.sale-id'), saleCode);
    assert.equal(await text(slip, '.p-refund'), '=111.10');
    await slip.setViewportSize({ width: 420, height: 760 });
    await slip.screenshot({ path: path.join(screenshotsDir, 'kassa-return-slip.png'), fullPage: true });
    await slip.close();
  });

  it('cash in and cash out; the Z report shows sales, returns, net and expected cash, and they add up', async () => {
    await till.bringToFront();
    await till.keyboard.press('F2');
    await till.waitForURL((url) => url.pathname === '/shift');
    await cashMoveOnShiftPage(till, 'in', '500', 'Размен');
    await cashMoveOnShiftPage(till, 'out', '200', 'Инкассация');
    await Promise.all([till.waitForURL((url) => url.pathname === '/shift/z'), till.keyboard.press('F8')]);
    const figure = async (name: string) => kopecks(await text(till, `.${name}`));
    const [sales, returns, net, cashSales, card, float, drawerReturns, cashIn, cashOut, expected] = await Promise.all(
      ['z-sales', 'z-returns', 'z-net-of-returns', 'z-cash', 'z-card', 'z-float', 'z-drawer-returns', 'z-cash-in', 'z-cash-out', 'z-expected'].map(figure),
    );
    assert.deepEqual(
      { sales, returns, net, cashSales, card, float, drawerReturns, cashIn, cashOut, expected },
      {
        sales: 33331 + 17643,
        returns: -11110,
        net: 33331 + 17643 - 11110,
        cashSales: 33331,
        card: 17643,
        float: 100000,
        drawerReturns: -11110,
        cashIn: 50000,
        cashOut: -20000,
        expected: 100000 + 33331 - 11110 + 50000 - 20000,
      },
    );
    // and they add up as the report shows them
    assert.equal(sales + returns, net);
    assert.equal(cashSales + card, sales);
    assert.equal(float + cashSales + drawerReturns + cashIn + cashOut, expected);
  });

  it('the stock: received, minus what was sold, plus what came back', async () => {
    const onHand = async (code: string) => {
      await office.goto('/stock');
      await office.locator('#stock-code').fill(code);
      await office.locator('#stock-code').focus();
      await Promise.all([office.waitForURL((url) => url.searchParams.get('code') === code), office.keyboard.press('Enter')]);
      return text(office, '.lookup-result .on-hand');
    };
    assert.equal(await onHand(NEW_CODE), '7'); // 10 − 3 − 1 + 1
    assert.equal(await onHand(APPLES_CODE), '4.488'); // 5 kg − 0.512 kg
  });

  it('the deactivated cashier is logged out on every window', async () => {
    await till.goto('/');
    await loginByKeyboard(otherWindow, 'kassir', '123');
    const windows = [till, otherWindow];
    for (const page of windows) {
      await page.locator('#scan-input').waitFor();
      // its socket is connected (channels subscribed) before the manager acts
      await page.waitForFunction(() => (window.__serverokey?.subscriptions().length ?? 0) > 0);
    }
    const loggedOut = windows.map((page) => page.waitForURL((url) => url.pathname === '/login'));
    await office.goto('/staff');
    await office.locator('tr[data-login="kassir"] .toggle-active').click();
    await Promise.all(loggedOut);
    await office.locator('.notice', { hasText: 'kassir отключён' }).waitFor();
    for (const page of windows) await page.locator('#login').waitFor();
  });
});
