// The catalogue in Chromium: the manager adds a product with a new barcode and price (a wrong check digit
// and a zero price are refused first, each message shown beside its field); a cashier on another terminal
// scans the new barcode and sells three, then puts cash in and takes cash out. The screenshots are the
// README's (docs/screenshots with `npm run screenshots`, a temporary folder otherwise).
import { loginByKeyboard, kassaInChromium, type KassaInChromium } from '../helpers/kassa-keyboard.js';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { screenshotsDir } from '../helpers/screenshots.js';

const shots = screenshotsDir;
const NEW_CODE = '4006381333931';

const login = loginByKeyboard;

const text = (page: Page, selector: string) => page.locator(selector).first().innerText();

describe('kassa in Chromium: the manager’s catalogue feeds the till', () => {
  let kassa: KassaInChromium;
  let office: Page;
  let till: Page;

  before(async () => {
    kassa = await kassaInChromium(2);
    [office, till] = kassa.pages;
  });
  after(() => kassa?.close());

  it('the manager opens the catalogue and searches as they type', async () => {
    await login(office, 'admin', 'admin');
    await office.locator('nav a[href="/catalogue"]').click();
    await office.waitForURL((url) => url.pathname === '/catalogue');
    await office.locator('.products tr.product').first().waitFor();
    await office.locator('#catalogue-q').focus();
    await office.keyboard.type('сыр');
    await office.locator('.summary .found', { hasText: 'Найдено: 1' }).waitFor();
    assert.match(await text(office, '.products tbody'), /Сыр Российский/);
  });

  it('adds a product: a wrong check digit and a zero price are shown beside their fields, then it is saved', async () => {
    await office.keyboard.press('Insert');
    await office.waitForURL((url) => url.pathname === '/catalogue/product');
    await office.locator('#product-name').focus();
    await office.keyboard.type('Вареники с вишней');
    await office.keyboard.press('Tab');
    await office.keyboard.type('4006381333932'); // check digit should be 1
    await office.keyboard.press('Tab');
    await office.keyboard.type('0');
    await office.keyboard.press('Enter');
    const barcodeError = office.locator('[atom-field-error="barcodes"]');
    await barcodeError.filter({ hasText: 'неверная контрольная цифра EAN-13 (должна быть 1)' }).waitFor();
    assert.equal(await office.locator('#product-barcodes').getAttribute('aria-invalid'), 'true');
    assert.equal(await office.locator('[atom-field-error="price"]').isVisible(), false);

    await office.locator('#product-barcodes').fill(NEW_CODE);
    await office.locator('#product-price').focus();
    await office.keyboard.press('Enter');
    await office.locator('[atom-field-error="price"]', { hasText: 'Цена должна быть больше нуля' }).waitFor();
    assert.equal(await barcodeError.isVisible(), false, 'the barcode is right now: its message is gone');
    await office.screenshot({ path: path.join(shots, 'kassa-catalogue-form.png') });

    await office.locator('#product-price').fill('123.45');
    await office.locator('#product-vat').selectOption('20');
    await office.locator('#product-price').focus();
    await Promise.all([office.waitForURL((url) => url.pathname === '/catalogue' && url.search.includes(NEW_CODE)), office.keyboard.press('Enter')]);
    await office.locator('.products tr.product', { hasText: 'Вареники с вишней' }).waitFor();
    assert.match(await text(office, '.products tr.product'), /123\.45/);
  });

  it('a cashier on another terminal scans the new barcode and sells three', async () => {
    await login(till, 'kassir', '123');
    await till.keyboard.press('F2');
    await till.waitForURL((url) => url.pathname === '/shift');
    await till.locator('#float-input:focus').waitFor();
    await till.keyboard.type('0');
    await Promise.all([till.waitForURL((url) => url.pathname === '/'), till.keyboard.press('Enter')]);
    await till.locator('#scan-input:focus').waitFor();
    for (const total of ['123.45', '246.90', '370.35']) {
      await till.keyboard.type(NEW_CODE, { delay: 4 });
      await till.keyboard.press('Enter');
      await till.locator('.totals .total', { hasText: total }).waitFor();
    }
    assert.deepEqual(await till.locator('.lines .line .name').allInnerTexts(), ['Вареники с вишней']);
    assert.equal(await text(till, '.totals .total'), '370.35');
    await till.keyboard.press('F10');
    await till.locator('.paid').waitFor();
    assert.match(await text(till, '.paid-title'), /Чек №1 · Оплачен · 333.31 ₽/);
  });

  it('the cashier puts cash in and takes cash out on the shift page; the X report adds up', async () => {
    await till.keyboard.press('F2');
    await till.waitForURL((url) => url.pathname === '/shift');
    await till.locator('#cash-amount').fill('500');
    await till.locator('#cash-reason').fill('Размен из сейфа');
    await till.locator('#cash-reason').press('Enter');
    await till.locator('.moves .move-in').waitFor();
    await till.locator('.cash-form input[value="out"]').check();
    await till.locator('#cash-amount').fill('900');
    await till.locator('#cash-reason').fill('Инкассация');
    await till.locator('#cash-reason').press('Enter');
    // the card sale put no cash in the drawer: 500.00 is all it holds
    await till.locator('[atom-field-error="amount"]', { hasText: 'В денежном ящике 500.00 ₽' }).waitFor();
    await till.locator('#cash-amount').fill('150');
    await till.locator('#cash-reason').press('Enter');
    await till.locator('.moves .move-out').waitFor();
    assert.equal(await text(till, '.z-cash-in'), '500.00');
    assert.equal(await text(till, '.z-cash-out'), '−150.00');
    assert.equal(await text(till, '.z-expected'), '350.00');
    await till.screenshot({ path: path.join(shots, 'kassa-cash-moves.png'), fullPage: true });
  });
});
