// The till in Debian Chromium, keyboard only: log in, open a shift, scan three barcodes (typed fast +
// Enter), change a quantity, apply SALE15, pay cash with change; the printed receipt and the Z-report
// hold the right figures. Meanwhile terminal 2 completes its own sale: the manager's dashboard shows
// both live, and terminal 1's customer display mirrors its receipt and never terminal 2's.
// Its screenshots are the shop guide's (docs/shop-guide.md): `npm run screenshots` writes them to docs/screenshots/.
import { loginByKeyboard, openShiftByKeyboard, scanLikeAScanner } from '../helpers/kassa-keyboard.js';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { projectRoot, startHost, type TestHost } from '../helpers/host.js';
import { launchBrowser } from '../helpers/browser.js';
import { screenshotsDir } from '../helpers/screenshots.js';

const appDir = path.join(projectRoot, 'apps', 'kassa');
const shots = screenshotsDir;
const BREAD = '4607000010075'; // 45.50
const MILK = '4607000010143'; // 80.00
const CHEESE = '4607000010211'; // 250.75
const COFFEE = '4607000011331'; // 399.90

const login = loginByKeyboard;

const scan = (page: Page, code: string) => scanLikeAScanner(page, code, 4);

const openShift = openShiftByKeyboard;

const text = (page: Page, selector: string) => page.locator(selector).first().innerText();

describe('kassa in Chromium: a cashier’s day on two terminals', () => {
  let host: TestHost;
  let browser: Browser;
  let terminal1: BrowserContext;
  let terminal2: BrowserContext;
  let office: BrowserContext;
  let till1: Page;
  let display1: Page;
  let till2: Page;
  let dashboard: Page;

  before(async () => {
    await mkdir(shots, { recursive: true });
    host = await startHost(appDir);
    browser = await launchBrowser();
    const options = { baseURL: host.url, viewport: { width: 1366, height: 820 }, locale: 'ru-RU' };
    terminal1 = await browser.newContext(options);
    terminal2 = await browser.newContext(options);
    office = await browser.newContext(options);
    till1 = await terminal1.newPage();
    till2 = await terminal2.newPage();
    dashboard = await office.newPage();
    for (const page of [till1, till2, dashboard]) page.on('dialog', (dialog) => void dialog.accept());
  });
  after(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('logs in with the keyboard and keeps the scanner field focused', async () => {
    await login(till1, 'kassir', '123');
    await till1.locator('#scan-input:focus').waitFor();
    assert.match(await text(till1, '.who'), /Иванов И\.И\. \(Кассир\)/);
    assert.match(await text(till1, '.shift-state.closed'), /Смена не открыта/);
    const ring = await till1.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    assert.equal(ring, 'solid', 'the focused field shows a focus ring');
  });

  it('opens a shift from the keyboard (F2, float, Enter)', async () => {
    await openShift(till1, '1000');
    assert.match(await text(till1, '.shift-state.open'), /Смена №1 · Иванов И\.И\./);
    await till1.locator('#scan-input:focus').waitFor();
  });

  it('opens the customer display of terminal 1 (a window of the same terminal)', async () => {
    display1 = await terminal1.newPage();
    await display1.setViewportSize({ width: 1280, height: 720 });
    await display1.goto('/display');
    await display1.locator('.welcome').waitFor();
  });

  it('scans three barcodes typed fast, each followed by Enter; the display follows live', async () => {
    await scan(till1, BREAD);
    await scan(till1, MILK);
    await scan(till1, CHEESE);
    await till1.locator('.lines .line').nth(2).waitFor();
    assert.deepEqual(await till1.locator('.lines .line .name').allInnerTexts(), ['Хлеб Бородинский', 'Молоко 3.2%', 'Сыр Российский']);
    assert.equal(await text(till1, '.totals .total'), '376.25');
    assert.equal(await till1.inputValue('#scan-input'), '', 'the scanner field is empty for the next code');
    await till1.locator('#scan-input:focus').waitFor();
    await display1.locator('.display .line').nth(2).waitFor();
    assert.equal(await text(display1, '.d-final'), '338.62');
  });

  it('re-renders the receipt in another window of the same terminal; the scanner keeps focus', async () => {
    const window2 = await terminal1.newPage();
    await window2.goto('/');
    await window2.locator('#scan-input:focus').waitFor();
    await till1.locator('#scan-input').focus();
    await till1.keyboard.type('46070'); // a scan in progress on window 1 …
    await scan(window2, '4607000010280'); // … while window 2 adds kefir
    await till1.locator('.line[data-id="4"]').waitFor();
    await till1.locator('#scan-input:focus').waitFor();
    assert.equal(await till1.inputValue('#scan-input'), '46070', 'typing survives the refresh');
    await till1.keyboard.press('Escape');
    await window2.locator('.line[data-id="4"] .remove').click();
    await till1.locator('.line[data-id="4"]').waitFor({ state: 'detached' });
    await display1.locator('.display .line').nth(3).waitFor({ state: 'detached' });
    await window2.close();
    await till1.keyboard.press('Backspace'); // the selected partial code is gone
    assert.equal(await till1.inputValue('#scan-input'), '');
  });

  it('shows a clear message for an unknown code and keeps working', async () => {
    await scan(till1, '2000000000017');
    await till1.locator('#scan-error:not([hidden])').waitFor();
    assert.match(await text(till1, '#scan-error'), /Товар со штрихкодом 2000000000017 не найден/);
    await till1.keyboard.press('Escape'); // back to the scanner with its text selected
    await scan(till1, BREAD);
    await till1.locator('#scan-error[hidden]').waitFor({ state: 'attached' });
    await till1.locator('.line.current .qty-input[value="2"]').waitFor();
    // and takes the extra bread away again with the − button, keyboard only
    await till1.locator('.line.current .step').first().focus();
    await till1.keyboard.press('Enter');
    await till1.locator('.line[data-id="1"] .qty-input[value="1"]').waitFor();
    await till1.keyboard.press('Escape');
    await till1.locator('#scan-input:focus').waitFor();
  });

  it('changes a quantity by typing (F4 edits the current line)', async () => {
    await scan(till1, CHEESE);
    await till1.locator('.line.current[data-id="3"] .qty-input[value="2"]').waitFor();
    await till1.keyboard.press('F4');
    await till1.locator('.line.current .qty-input:focus').waitFor();
    await till1.keyboard.type('3');
    await till1.keyboard.press('Enter');
    await till1.locator('.line[data-id="3"] .qty-input[value="3"]').waitFor();
    assert.equal(await text(till1, '.line[data-id="3"] .sum'), '752.25');
    await till1.keyboard.press('Escape');
    await till1.locator('#scan-input:focus').waitFor();
  });

  it('terminal 2 sells on its own meanwhile (card)', async () => {
    await login(till2, 'kassir', '123');
    await openShift(till2, '0');
    await scan(till2, COFFEE);
    await till2.locator('.lines .line').first().waitFor();
    await till2.keyboard.press('F10');
    await till2.locator('.paid').waitFor();
    assert.match(await text(till2, '.paid-title'), /Чек №1 · Оплачен · 359.91 ₽/);
  });

  it('terminal 1’s customer display never showed terminal 2’s receipt', async () => {
    assert.equal(await display1.locator('.display .line').count(), 3);
    assert.doesNotMatch(await display1.locator('body').innerText(), /Кофе/);
  });

  it('applies SALE15 (F6) and takes a screenshot of the cashier screen', async () => {
    await till1.keyboard.press('F6');
    await till1.locator('#coupon-input:focus').waitFor();
    await till1.keyboard.type('SALE15');
    await till1.keyboard.press('Enter');
    await till1.locator('.status', { hasText: 'Купон SALE15 применён' }).waitFor();
    assert.equal(await text(till1, '.totals .total'), '877.75');
    assert.equal(await text(till1, '.totals .discount'), '−131.66');
    assert.equal(await text(till1, '.totals .final'), '746.09');
    await till1.keyboard.press('Escape');
    await display1.locator('.d-final', { hasText: '746.09' }).waitFor();
    await till1.screenshot({ path: path.join(shots, 'kassa-cashier.png') });
    await display1.screenshot({ path: path.join(shots, 'kassa-customer-display.png') });
  });

  it('pays cash with change (F9, amount, Enter); the display shows the change', async () => {
    await till1.keyboard.press('F9');
    await till1.locator('#tendered:focus').waitFor();
    await till1.keyboard.type('800');
    await till1.locator('.preview-change', { hasText: '53.91' }).waitFor();
    await till1.keyboard.press('Enter');
    await till1.locator('.paid').waitFor();
    assert.equal(await text(till1, '.paid .change'), '53.91');
    assert.match(await text(till1, '.paid-title'), /Чек №1 · Оплачен · 746.09 ₽/);
    assert.equal(await till1.locator('.lines .line').count(), 0);
    await till1.locator('#scan-input:focus').waitFor();
    await display1.locator('.thanks').waitFor();
    assert.equal(await text(display1, '.d-change'), '53.91');
    await display1.screenshot({ path: path.join(shots, 'kassa-customer-display-change.png') });
  });

  it('refuses to pay short, with the reason', async () => {
    await scan(till1, MILK);
    await till1.locator('.lines .line').first().waitFor();
    await till1.keyboard.press('F9');
    await till1.keyboard.type('10');
    await till1.locator('.preview .short', { hasText: 'не хватает 62.00' }).waitFor();
    await till1.keyboard.press('Enter');
    await till1.locator('#pay-error:not([hidden])').waitFor();
    assert.match(await text(till1, '#pay-error'), /Недостаточно наличных: получено 10.00, к оплате 72.00, не хватает 62.00/);
    await till1.keyboard.press('F8'); // clear the receipt (confirmed)
    await till1.locator('.status', { hasText: 'Чек очищен' }).waitFor();
  });

  it('prints the receipt of the last sale (80 mm HTML with the right lines and totals)', async () => {
    // Ctrl+P: in a browser terminal the receipt page opens in a small window that prints itself
    const [popup] = await Promise.all([terminal1.waitForEvent('page'), till1.keyboard.press('Control+P')]);
    await popup.waitForURL(/\/print\/receipt/);
    const opened = new URL(popup.url());
    assert.equal(opened.pathname, '/print/receipt');
    assert.equal(opened.searchParams.get('sale'), 'last');
    assert.equal(opened.searchParams.get('width'), '80');
    await popup.close().catch(() => undefined);
    const printed = await terminal1.newPage();
    await printed.goto('/print/receipt?sale=last&width=80');
    assert.deepEqual(await printed.locator('.line .name').allInnerTexts(), ['Хлеб Бородинский', 'Молоко 3.2%', 'Сыр Российский']);
    assert.deepEqual(await printed.locator('.line-sum').allInnerTexts(), ['=45.50', '=80.00', '=752.25']);
    assert.equal(await text(printed, '.p-total'), '=877.75');
    assert.equal(await text(printed, '.p-discount'), '−131.66');
    assert.equal(await text(printed, '.p-final'), '=746.09');
    assert.equal(await text(printed, '.p-tendered'), '=800.00');
    assert.equal(await text(printed, '.p-change'), '=53.91');
    const widthPx = await printed.locator('.paper').evaluate((el) => el.getBoundingClientRect().width);
    assert.ok(Math.abs(widthPx - (80 / 25.4) * 96) < 2, `paper is 80 mm wide (${widthPx}px)`);
    await printed.screenshot({ path: path.join(shots, 'kassa-printed-receipt.png'), fullPage: true });
    await printed.close();
  });

  it('the manager’s dashboard shows both terminals and updates live on the next sale', async () => {
    await login(dashboard, 'admin', 'admin');
    await dashboard.goto('/dashboard');
    assert.equal(await dashboard.locator('.terminals tbody tr').count(), 2);
    assert.equal(await text(dashboard, '.day-total'), '1106.00 ₽');
    assert.equal(await text(dashboard, '.day-count'), '2');
    // terminal 2 finds milk by live search, keyboard only: F3, type, Tab to the product, Enter
    await till2.keyboard.press('F3');
    await till2.locator('#search-input:focus').waitFor();
    await till2.keyboard.type('молоко');
    await till2.locator('.products .product').nth(1).waitFor({ state: 'detached' });
    assert.deepEqual(await till2.locator('.products .product .name').allInnerTexts(), ['Молоко 3.2%']);
    await till2.keyboard.press('Tab');
    await till2.keyboard.press('Enter');
    await till2.locator('.lines .line[data-id="2"]').waitFor();
    await till2.keyboard.press('F10');
    await dashboard.locator('.day-count', { hasText: '3' }).waitFor();
    assert.equal(await text(dashboard, '.day-total'), '1178.00 ₽');
    // terminal 2 sold first, so its row comes first: 2 sales (card); terminal 1: 1 sale (cash)
    assert.deepEqual(await dashboard.locator('.terminals .t-count').allInnerTexts(), ['2', '1']);
    assert.deepEqual(await dashboard.locator('.terminals .t-total').allInnerTexts(), ['431.91', '746.09']);
    await dashboard.screenshot({ path: path.join(shots, 'kassa-dashboard.png') });
  });

  it('closes the shift with a Z-report whose totals match the sales made', async () => {
    await till1.keyboard.press('F2');
    await till1.waitForURL((url) => url.pathname === '/shift');
    assert.match(await text(till1, '.report-title'), /X-отчёт/);
    await Promise.all([till1.waitForURL((url) => url.pathname === '/shift/z'), till1.locator('.close-shift').click()]);
    await till1.locator('.report-title', { hasText: 'Z-отчёт' }).waitFor();
    assert.equal(await text(till1, '.z-count'), '1');
    assert.equal(await text(till1, '.z-gross'), '877.75');
    assert.equal(await text(till1, '.z-discounts'), '131.66');
    assert.equal(await text(till1, '.z-net'), '746.09');
    assert.equal(await text(till1, '.z-cash'), '746.09');
    assert.equal(await text(till1, '.z-card'), '0.00');
    assert.equal(await text(till1, '.z-float'), '1000.00');
    assert.equal(await text(till1, '.z-expected'), '1746.09');
    await till1.screenshot({ path: path.join(shots, 'kassa-z-report.png'), fullPage: true });
  });

  it('logs out, and the till is closed again', async () => {
    await Promise.all([till1.waitForURL((url) => url.pathname === '/login'), till1.locator('.logout').click()]);
    await till1.goto('/');
    assert.equal(new URL(till1.url()).pathname, '/login');
  });
});
