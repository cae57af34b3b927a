// The till's keyboard reach and polish (issue 13, findings 7 and 9), in Debian Chromium at 1366×820:
// ↑/↓ walk the receipt's lines (the scanner field steps in at the current one), Del removes the line,
// +/− change its quantity, and a scan afterwards still lands in the scanner field; long names are not
// cut before the pack size (receipt) and stay inside their card (search); a wrong password keeps the
// login and clears the password; an empty receipt shows no "Скидка (10%) −0.00"; "скидка сброшена" only
// when a discount was reset; a sale clears the search filter; the paid banner shows the cash received;
// the printed receipt says it is not a fiscal document and shows the VAT.
import { openShiftByKeyboard, scanLikeAScanner } from '../helpers/kassa-keyboard.js';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { projectRoot, startHost, type TestHost } from '../helpers/host.js';
import { launchBrowser } from '../helpers/browser.js';

const appDir = path.join(projectRoot, 'apps', 'kassa');
const BREAD = '4607000010075'; // 45.50, id 1
const MILK = '4607000010143'; // 80.00, id 2
const CHEESE = '4607000010211'; // 250.75, id 3
const LONG = {
  id: 200,
  barcode: '4609999000200',
  name: 'Молоко ультрапастеризованное безлактозное «Домик в деревне» для детского питания 3,2 %, 950 мл',
  price: 12990,
};
const LONG_WORD = {
  id: 201,
  barcode: '4609999000217',
  name: 'Сокгрейпфрутовыйпрямогоотжимабезсахараидобавокохлаждённыйвстеклянной 1 л',
  price: 25990,
};

interface Product {
  id: number;
  barcode: string;
  name: string;
  price: number;
}

function catalogue(): Product[] {
  const seed = createRequire(import.meta.url)(path.join(appDir, 'manifest', 'seed.js')) as { products: Product[] };
  return [...seed.products, LONG, LONG_WORD];
}

async function login(page: Page, user: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.locator('#login').fill(user);
  await page.locator('#password').fill(password);
  await Promise.all([page.waitForURL((url) => url.pathname === '/'), page.locator('#password').press('Enter')]);
}

const scan = (page: Page, code: string) => scanLikeAScanner(page, code);

const quantityOf = (page: Page, id: number) => page.locator(`.receipt-pane .line[data-id="${id}"] .qty-input`).inputValue();
const focusedLineId = (page: Page) =>
  page.evaluate(() => (document.activeElement?.matches('.line') ? Number(document.activeElement.getAttribute('data-id')) : null));

describe('kassa: keyboard reach in the receipt and the polish list (issue 13, 7 and 9)', () => {
  let dataDir: string;
  let host: TestHost;
  let browser: Browser;
  let terminal: BrowserContext;
  let till: Page;

  const clearReceipt = async (): Promise<void> => {
    await till.keyboard.press('F8');
    await till.locator('.receipt-pane .status', { hasText: 'Чек очищен' }).waitFor();
    await till.locator('#scan-input:focus').waitFor();
  };

  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'sok-keys-'));
    await writeFile(path.join(dataDir, 'positions.json'), JSON.stringify({ items: catalogue() }));
    host = await startHost(appDir, { dataDir });
    browser = await launchBrowser();
    terminal = await browser.newContext({ baseURL: host.url, viewport: { width: 1366, height: 820 }, locale: 'ru-RU' });
    till = await terminal.newPage();
    till.on('dialog', (dialog) => void dialog.accept());
    await login(till, 'kassir', '123');
    // open the shift (keyboard only, as at the counter)
    await openShiftByKeyboard(till, '1000');
    await till.locator('#scan-input:focus').waitFor();
  });
  after(async () => {
    await browser?.close();
    await host?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('a wrong password keeps the login typed and clears the password', async () => {
    const other = await browser.newContext({ baseURL: host.url, viewport: { width: 1366, height: 820 }, locale: 'ru-RU' });
    const page = await other.newPage();
    await page.goto('/login');
    await page.locator('#login').fill('kassir');
    await page.locator('#password').fill('wrong-one');
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('error') === '1'),
      page.locator('#password').press('Enter'),
    ]);
    await page.locator('.error', { hasText: 'Неверный логин или пароль' }).waitFor();
    assert.equal(await page.inputValue('#login'), 'kassir', 'the login stays');
    assert.equal(await page.inputValue('#password'), '', 'the wrong password is gone');
    await page.locator('#password').fill('123');
    await Promise.all([page.waitForURL((url) => url.pathname === '/'), page.locator('#password').press('Enter')]);
    await other.close();
  });

  it('an empty receipt shows no discount row; clearing says "скидка сброшена" only when one was reset', async () => {
    assert.equal(await till.locator('.receipt-pane .totals .discount').count(), 0, 'no "Скидка (10%) −0.00"');
    await scan(till, BREAD);
    await till.locator('.receipt-pane .totals .discount').waitFor();
    await clearReceipt();
    assert.equal(await till.locator('.receipt-pane .status').innerText(), 'Чек очищен');
    assert.equal(await till.locator('.receipt-pane .totals .discount').count(), 0);
    await scan(till, BREAD);
    await till.locator('.receipt-pane .line[data-id="1"]').waitFor();
    await till.keyboard.press('F6');
    await till.keyboard.type('SALE15');
    await till.keyboard.press('Enter');
    await till.locator('.receipt-pane .percent', { hasText: '15' }).waitFor();
    await clearReceipt();
    assert.equal(await till.locator('.receipt-pane .status').innerText(), 'Чек очищен, скидка сброшена');
  });

  it('↑ from the scanner field reaches the current line; ↑/↓ walk the lines; +, − and Del change them', async () => {
    await scan(till, BREAD);
    await scan(till, MILK);
    await scan(till, CHEESE);
    await till.locator('.receipt-pane .line.current[data-id="3"]').waitFor();
    await till.keyboard.press('ArrowUp');
    assert.equal(await focusedLineId(till), 3, 'the scanner field steps in at the current line');
    await till.keyboard.press('ArrowUp');
    assert.equal(await focusedLineId(till), 2);
    await till.keyboard.press('+');
    await till.locator('.receipt-pane .line[data-id="2"] .qty-input[value="2"]').waitFor();
    assert.equal(await focusedLineId(till), 2, 'the keyboard stays on the line');
    await till.keyboard.press('+');
    await till.locator('.receipt-pane .line[data-id="2"] .qty-input[value="3"]').waitFor();
    await till.keyboard.press('-');
    await till.locator('.receipt-pane .line[data-id="2"] .qty-input[value="2"]').waitFor();
    assert.equal(await focusedLineId(till), 2);
    await till.keyboard.press('ArrowDown');
    assert.equal(await focusedLineId(till), 3);
    await till.keyboard.press('ArrowUp');
    await till.keyboard.press('ArrowUp');
    assert.equal(await focusedLineId(till), 1);
    await till.keyboard.press('Delete');
    await till.locator('.receipt-pane .line[data-id="1"]').waitFor({ state: 'detached' });
    assert.equal(await quantityOf(till, 2), '2');
    assert.equal(await quantityOf(till, 3), '1');
    // a scan typed now (focus on a line) still goes to the scanner field
    await scan(till, BREAD);
    await till.locator('.receipt-pane .line.current[data-id="1"]').waitFor();
    await till.locator('#scan-input:focus').waitFor();
    assert.equal(await till.inputValue('#scan-input'), '');
    assert.equal(await quantityOf(till, 2), '2', 'no digit reached a line');
    await clearReceipt();
  });

  it('long names: the receipt shows the pack size, the search card holds the whole name', async () => {
    await scan(till, LONG.barcode);
    const name = till.locator(`.receipt-pane .line[data-id="${LONG.id}"] .name`);
    await name.waitFor();
    const fits = await name.evaluate((el) => el.scrollWidth <= el.clientWidth + 1 && el.scrollHeight <= el.clientHeight + 1);
    assert.ok(fits, 'the whole name is shown, "950 мл" included');
    const packSize = await name.evaluate((el) => {
      // the last characters of the name lie inside the line's visible box
      const range = document.createRange();
      const text = el.firstChild!;
      range.setStart(text, text.textContent!.length - 6);
      range.setEnd(text, text.textContent!.length);
      const own = range.getBoundingClientRect();
      const box = el.getBoundingClientRect();
      return own.width > 0 && own.right <= box.right + 1 && own.bottom <= box.bottom + 1;
    });
    assert.ok(packSize, 'the pack size is visible');
    await clearReceipt();

    await till.keyboard.press('F3');
    await till.keyboard.type('Сокгрейп');
    const card = till.locator(`.catalogue-pane .product[value="${LONG_WORD.id}"]`);
    await card.waitFor();
    await till.locator('.catalogue-pane .product').nth(1).waitFor({ state: 'detached' });
    const inside = await card.evaluate((button) => {
      const box = button.getBoundingClientRect();
      return [...button.children].every((child) => {
        const own = child.getBoundingClientRect();
        return own.left >= box.left - 1 && own.right <= box.right + 1;
      }) && button.scrollWidth <= button.clientWidth + 1;
    });
    assert.ok(inside, 'the name, barcode and price stay inside the card');
    await till.keyboard.press('Escape');
  });

  it('a sale clears the search filter, and the paid banner shows the cash received and the change', async () => {
    await till.keyboard.press('F3');
    await till.keyboard.press('Control+A');
    await till.keyboard.type(MILK);
    await till.locator('.catalogue-pane .product').nth(1).waitFor({ state: 'detached' });
    await till.keyboard.press('Enter'); // adds the single match
    await till.locator('.receipt-pane .line[data-id="2"]').waitFor();
    await till.keyboard.press('F9');
    await till.keyboard.type('100');
    await till.keyboard.press('Enter');
    await till.locator('.receipt-pane .paid').waitFor();
    assert.equal(await till.locator('.receipt-pane .paid .tendered').innerText(), '100.00');
    assert.equal(await till.locator('.receipt-pane .paid .change').innerText(), '28.00');
    // the filter is emptied: the whole catalogue is listed again, the field is empty
    await till.locator('.catalogue-pane .product').nth(30).waitFor();
    assert.equal(await till.inputValue('#search-input'), '');
    await host.flushed();
    const state = await readFile(path.join(dataDir, 'sales.jsonl'), 'utf8');
    assert.equal(state.split('\n').filter(Boolean).length, 1);
  });

  it('the printed receipt says it is not a fiscal document and shows the VAT included', async () => {
    const printed = await terminal.newPage();
    await printed.goto('/print/receipt?sale=last&width=80');
    await printed.locator('.not-fiscal', { hasText: 'Не является фискальным документом' }).waitFor();
    assert.match(await printed.locator('.vat').innerText(), /в т\.ч\. НДС 20%\s+=12\.00/); // 72.00 × 20 / 120
    await printed.close();
  });
});
