// Tablets and touch (issue 25), in Debian Chromium with touch emulation: at 800×1280 (portrait tablet)
// and 1024×768 (landscape) the login page, the shift page, the till, the customer display and the
// pairing pages lay out without horizontal overflow, every button and field lies inside the viewport's
// width and is at least 44 px on each side; a whole sale is made by touch alone (search, tap the product,
// the number pad for the quantity and the cash, tap "Наличные") and checked in the sales journal. At
// 390×844 (a phone) the manager's dashboard and the Z report read without horizontal overflow.
// Screenshots at each size go to docs/screenshots/ with npm run screenshots (referenced in the README, "On a tablet").
import { screenshotsDir } from '../helpers/screenshots.js';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { projectRoot, startHost, type TestHost } from '../helpers/host.js';
import { launchBrowser } from '../helpers/browser.js';

const appDir = path.join(projectRoot, 'apps', 'kassa');
const screenshots = screenshotsDir;

interface Size {
  width: number;
  height: number;
}
const TABLETS: Size[] = [
  { width: 800, height: 1280 },
  { width: 1024, height: 768 },
];
const PHONE: Size = { width: 390, height: 844 };

interface SaleRecord {
  lines: { id: number; quantity: number }[];
  finalTotal: number;
  payment: { method: string; tendered: number; change: number };
  terminal: { id: string };
}

/**
 * What is wrong with the page's layout: horizontal overflow of the document, and every visible button,
 * field or button-like link not fully inside the viewport's width, or (touch) smaller than 44 px.
 */
async function layoutProblems(page: Page, touch: boolean): Promise<string[]> {
  // the device's width: a mobile browser widens its layout viewport (innerWidth) to fit a page that overflows
  const width = page.viewportSize()!.width;
  return page.evaluate(([minSide, width]) => {
    const problems: string[] = [];
    if (window.innerWidth !== width) problems.push(`the layout viewport grew to ${window.innerWidth}px (the page overflows ${width}px)`);
    const scrollWidth = document.scrollingElement!.scrollWidth;
    if (scrollWidth > width) problems.push(`the page is ${scrollWidth}px wide in a ${width}px viewport`);
    const controls = document.querySelectorAll<HTMLElement>('button, input:not([type="hidden"]), select, textarea, a.button, nav a');
    for (const el of controls) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue; // not rendered (display: none)
      const name = `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${[...el.classList].join('.')} «${(el.textContent || el.getAttribute('aria-label') || '').trim().slice(0, 20)}»`;
      if (box.left < -0.5 || box.right > width + 0.5) problems.push(`${name} sticks out: ${Math.round(box.left)}…${Math.round(box.right)} of ${width}`);
      if (minSide > 0 && (box.width < minSide - 0.5 || box.height < minSide - 0.5)) {
        problems.push(`${name} is ${Math.round(box.width)}×${Math.round(box.height)}, under ${minSide} px`);
      }
    }
    return problems;
  }, [touch ? 44 : 0, width] as const);
}

async function assertLayout(page: Page, what: string, touch: boolean): Promise<void> {
  const problems = await layoutProblems(page, touch);
  assert.deepEqual(problems, [], `${what}: ${problems.join('; ')}`);
}

// the viewport as the device shows it (a full-page capture re-lays the page out without touch emulation)
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshots, name) });

describe('kassa on a tablet and a phone: no horizontal overflow, finger-sized targets, a sale by touch', () => {
  let dataDir: string;
  let host: TestHost;
  let browser: Browser;
  const contexts: BrowserContext[] = [];

  const sales = async (): Promise<SaleRecord[]> => {
    await host.flushed();
    const text = await readFile(path.join(dataDir, 'sales.jsonl'), 'utf8').catch(() => '');
    return text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as SaleRecord);
  };

  async function device(size: Size, mobile: boolean): Promise<Page> {
    const context = await browser.newContext({
      baseURL: host.url,
      viewport: size,
      hasTouch: true,
      isMobile: mobile,
      locale: 'ru-RU',
    });
    contexts.push(context);
    const page = await context.newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    return page;
  }

  /** Logs in by touch: tap a field, the on-screen keyboard types, tap "Войти". */
  async function login(page: Page, user: string, password: string): Promise<void> {
    await page.goto('/login');
    await page.locator('#login').tap();
    await page.keyboard.type(user);
    await page.locator('#password').tap();
    await page.keyboard.type(password);
    await Promise.all([page.waitForURL((url) => url.pathname === '/'), page.locator('#login-submit').tap()]);
  }

  before(async () => {
    await mkdir(screenshots, { recursive: true });
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'sok-touch-'));
    host = await startHost(appDir, { dataDir });
    browser = await launchBrowser();
  });
  after(async () => {
    for (const context of contexts) await context.close().catch(() => undefined);
    await browser?.close();
    await host?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  for (const size of TABLETS) {
    const tag = `${size.width}x${size.height}`;
    it(`at ${tag} with touch: every page fits, and a whole sale is made by touch alone`, async () => {
      const page = await device(size, size.width < size.height);
      assert.equal(await page.evaluate(() => matchMedia('(pointer: coarse)').matches), true, 'a touch screen');

      await page.goto('/login');
      await assertLayout(page, `login at ${tag}`, true);
      await shot(page, `tablet-${tag}-login.png`);
      await login(page, 'kassir', '123');

      // the shift page: open the shift by touch
      await page.locator('.hints .hint', { hasText: 'Смена' }).tap();
      await page.waitForURL((url) => url.pathname === '/shift');
      await page.locator('#float-input').waitFor();
      await assertLayout(page, `shift page at ${tag}`, true);
      await shot(page, `tablet-${tag}-shift.png`);
      await page.locator('#float-input').tap();
      await page.keyboard.type('1000');
      await Promise.all([page.waitForURL((url) => url.pathname === '/'), page.locator('.open-form button[type="submit"]').tap()]);
      await page.locator('.shift-state.open').waitFor();

      // the till: the key hints are tap buttons, the number pad is there
      await page.locator('.numpad').waitFor();
      await assertLayout(page, `till at ${tag}`, true);

      // search, tap the product
      await page.locator('#search-input').tap();
      await page.keyboard.type('Сыр Рос');
      const cheese = page.locator('.catalogue-pane .product[value="3"]');
      await page.locator('.catalogue-pane .product').nth(1).waitFor({ state: 'detached' });
      await cheese.tap();
      await page.locator('.receipt-pane .line.current[data-id="3"]').waitFor();
      // the quantity by the number pad: the "Количество" button (F4) picks the line's field
      await page.locator('.hints .hint', { hasText: 'Количество' }).tap();
      await page.locator('.receipt-pane .line.current .qty-input:focus').waitFor();
      await page.locator('.numpad [atom-type="3"]').tap();
      await page.locator('.numpad [atom-type="Enter"]').tap();
      await page.locator('.receipt-pane .line[data-id="3"] .qty-input[value="3"]').waitFor();
      const due = await page.locator('.receipt-pane .final').innerText();
      // the cash by the number pad: tap the field, 1 0 0 0
      await page.locator('#tendered').tap();
      for (const key of ['1', '0', '0', '0']) await page.locator(`.numpad [atom-type="${key}"]`).tap();
      assert.equal(await page.inputValue('#tendered'), '1000');
      await page.locator('#change-preview .change-due').waitFor();
      await assertLayout(page, `till with a receipt at ${tag}`, true);
      await shot(page, `tablet-${tag}-till.png`);
      await page.locator('.pay-buttons .cash').tap();
      await page.locator('.receipt-pane .paid').waitFor();
      const sale = (await sales()).at(-1)!;
      assert.deepEqual(sale.lines.map((line) => [line.id, line.quantity]), [[3, 3]]);
      assert.equal((sale.finalTotal / 100).toFixed(2), due, 'the journal has the total the screen showed');
      assert.deepEqual(sale.payment, { method: 'cash', tendered: 100000, change: 100000 - sale.finalTotal });
      assert.equal(await page.locator('.receipt-pane .paid .change').innerText(), (sale.payment.change / 100).toFixed(2));

      // the customer display of this terminal
      const display = await page.context().newPage();
      await display.goto('/display');
      await display.locator('.thanks').waitFor();
      await assertLayout(display, `customer display at ${tag}`, true);
      await shot(display, `tablet-${tag}-display.png`);
      await display.close();

      // the pairing page a new device sees, and the terminals page (a manager)
      await page.goto('/__pair');
      await page.locator('#code').waitFor();
      await assertLayout(page, `pairing page at ${tag}`, true);
      await shot(page, `tablet-${tag}-pairing.png`);
    });
  }

  it('at 390×844 (a phone) the manager’s dashboard and the Z report read without horizontal overflow', async () => {
    const phone = await device(PHONE, true);
    await login(phone, 'admin', 'admin');
    // a shift on the phone's own terminal: a sale, then close it for its Z report
    await phone.goto('/shift');
    await phone.locator('#float-input').waitFor();
    await assertLayout(phone, 'shift page at 390', false);
    await phone.locator('#float-input').tap();
    await phone.keyboard.type('500');
    await Promise.all([phone.waitForURL((url) => url.pathname === '/'), phone.locator('.open-form button[type="submit"]').tap()]);
    await phone.locator('.catalogue-pane .product[value="1"]').tap();
    await phone.locator('.receipt-pane .line[data-id="1"]').waitFor();
    await phone.locator('.pay-buttons .card').tap();
    await phone.locator('.receipt-pane .paid').waitFor();

    await phone.goto('/dashboard');
    await phone.locator('.dashboard .day-total').waitFor();
    await assertLayout(phone, 'dashboard at 390', false);
    const rowFits = await phone.locator('.terminals tbody tr').first().evaluate((row) => row.getBoundingClientRect().right <= window.innerWidth);
    assert.ok(rowFits, 'the terminals table fits the phone');
    await shot(phone, 'phone-390-dashboard.png');

    await phone.goto('/shift');
    await Promise.all([phone.waitForURL((url) => url.pathname === '/shift/z'), phone.locator('.close-shift').tap()]);
    await phone.locator('.report-title', { hasText: 'Z-отчёт' }).waitFor();
    await assertLayout(phone, 'Z report at 390', false);
    await shot(phone, 'phone-390-z-report.png');
  });
});
