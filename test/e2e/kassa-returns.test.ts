// Stock and returns in Chromium, keyboard first. The manager sets a PIN on the staff screen and receives
// goods (a negative quantity is refused beside its field first); a cashier sells 3 cheeses, scans the sale's
// number from the printed receipt on the returns page and returns 1, confirmed by the manager's PIN (a wrong
// PIN is refused first); cash in and cash out; the Z report shows sales, returns, net and the expected cash,
// and they add up; the stock is what was received, minus what was sold, plus what came back.
import {
  cashMoveOnShiftPage,
  kassaInChromium,
  loginByKeyboard,
  openSaleForReturn,
  openShiftByKeyboard,
  scanUntilTotals,
  type KassaInChromium,
} from '../helpers/kassa-keyboard.js';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { screenshotsDir } from '../helpers/screenshots.js';

const CHEESE = '4607000010211'; // 250.75; the demo stock starts with 50

const text = (page: Page, selector: string) => page.locator(selector).first().innerText();

describe('kassa in Chromium: stock and a partial return confirmed by a manager’s PIN', () => {
  let kassa: KassaInChromium;
  let office: Page;
  let till: Page;
  let saleCode = '';

  before(async () => {
    kassa = await kassaInChromium(2);
    [office, till] = kassa.pages;
  });
  after(() => kassa?.close());

  it('the manager sets a PIN and receives 10 cheeses (a negative quantity refused beside its field first)', async () => {
    await loginByKeyboard(office, 'admin', 'admin');
    await office.locator('nav a[href="/staff"]').click();
    const pinForm = office.locator('tr.person[data-login="admin"] form.pin');
    await pinForm.locator('input[name="pin"]').fill('4321');
    await pinForm.locator('input[name="pin"]').press('Enter');
    await office.locator('.staff .notice', { hasText: 'PIN менеджера admin сохранён' }).waitFor();

    await office.locator('nav a[href="/stock"]').click();
    await office.waitForURL((url) => url.pathname === '/stock');
    await office.locator('#goods-supplier').focus();
    await office.keyboard.type('ООО «Сыроварня»');
    await office.keyboard.press('Tab');
    await office.keyboard.type('ТН-118');
    await office.keyboard.press('Tab');
    await office.keyboard.type(`${CHEESE} -10`);
    await office.keyboard.press('Control+Enter');
    await office.locator('[atom-field-error="lines"]', { hasText: 'Строка 1: количество «-10» должно быть больше нуля' }).waitFor();
    await office.locator('#goods-lines').fill(`${CHEESE} 10`);
    await office.locator('#goods-lines').focus();
    await Promise.all([office.waitForURL((url) => url.search === '?received=1'), office.keyboard.press('Control+Enter')]);
    await office.locator('.goods-receipt[data-number="1"]', { hasText: 'ТН-118' }).waitFor();
    assert.match(await text(office, '.goods-receipt[data-number="1"]'), /Сыр Российский: \+10 → 60/);
    await office.screenshot({ path: path.join(screenshotsDir, 'kassa-stock.png'), fullPage: true });
  });

  it('a cashier sells 3; the receipt prints the sale’s number as a QR code', async () => {
    await loginByKeyboard(till, 'kassir', '123');
    await openShiftByKeyboard(till, '1000');
    await till.locator('#scan-input:focus').waitFor();
    await scanUntilTotals(till, CHEESE, ['250.75', '501.50', '752.25']);
    await till.keyboard.press('F9');
    await till.locator('#tendered:focus').waitFor();
    await till.keyboard.press('Enter'); // exact cash
    await till.locator('.paid').waitFor();
    assert.match(await text(till, '.paid-title'), /Чек №1 · Оплачен · 677.02 ₽/);

    const paper = await till.context().newPage();
    await paper.goto('/print/receipt?sale=last');
    assert.equal(await paper.locator('svg.sale-qr path').count(), 1);
    saleCode = await text(paper, '.sale-id');
    assert.match(saleCode, /^web-[a-z0-9]+\/1\/1$/);
    await paper.close();
  });

  it('returns 1 of 3: the sale found by a scan of its number, a wrong PIN refused, the manager’s PIN confirms', async () => {
    await openSaleForReturn(till, saleCode);
    const line = till.locator('tr.return-line[data-id="3"]');
    assert.equal(await line.locator('.returnable').innerText(), '3');
    await line.locator('input.qty').focus();
    await till.keyboard.type('1');
    await till.keyboard.press('Tab'); // the refund method: cash, as the sale was paid
    assert.equal(await till.locator('#return-method').inputValue(), 'cash');
    await till.keyboard.press('Tab');
    await till.keyboard.type('1111');
    await till.keyboard.press('Enter');
    await till.locator('[atom-field-error="pin"]', { hasText: 'Неверный PIN менеджера' }).waitFor();
    await till.screenshot({ path: path.join(screenshotsDir, 'kassa-return.png'), fullPage: true });
    await till.locator('#return-pin').fill('4321');
    await Promise.all([till.waitForURL((url) => url.searchParams.has('done')), till.locator('#return-pin').press('Enter')]);
    assert.equal(await text(till, '.done .return-amount'), '225.67');
    assert.match(await text(till, '.done'), /наличными · Петрова А\.С\./);
  });

  it('cash in and cash out; the Z report shows sales, returns, net and the expected cash, adding up', async () => {
    await till.keyboard.press('F2');
    await till.waitForURL((url) => url.pathname === '/shift');
    await cashMoveOnShiftPage(till, 'in', '500', 'Размен');
    await cashMoveOnShiftPage(till, 'out', '200', 'Инкассация');
    await Promise.all([till.waitForURL((url) => url.pathname === '/shift/z'), till.keyboard.press('F8')]);
    const figure = (name: string) => text(till, `.${name}`);
    assert.equal(await figure('z-sales'), '677.02');
    assert.equal(await figure('z-returns'), '−225.67');
    assert.equal(await figure('z-net-of-returns'), '451.35'); // 677.02 − 225.67
    assert.equal(await figure('z-drawer-returns'), '−225.67');
    assert.equal(await figure('z-expected'), '1751.35'); // 1000 + 677.02 − 225.67 + 500 − 200
    await till.screenshot({ path: path.join(screenshotsDir, 'kassa-z-returns.png'), fullPage: true });
  });

  it('the stock is 50 + 10 received − 3 sold + 1 returned', async () => {
    await office.locator('#stock-code').focus();
    await office.keyboard.type(CHEESE);
    await Promise.all([office.waitForURL((url) => url.searchParams.get('code') === CHEESE), office.keyboard.press('Enter')]);
    assert.equal(await text(office, '.lookup-result .on-hand'), '58');
  });
});
