// The kassa driven the way a cashier does it, in Chromium: logging in by typing, opening the shift with F2,
// and scanning like a keyboard-wedge scanner (digits a few ms apart, then Enter, into whatever has focus).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser.js';
import { projectRoot, startHost, type TestHost } from './host.js';
import { screenshotsDir } from './screenshots.js';

export async function loginByKeyboard(page: Page, user: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.locator('#login').focus();
  await page.keyboard.type(user);
  await page.keyboard.press('Tab');
  await page.keyboard.type(password);
  await Promise.all([page.waitForURL((url) => url.pathname === '/'), page.keyboard.press('Enter')]);
}

/** F2, the float, Enter: back on the till with the shift open. */
export async function openShiftByKeyboard(page: Page, float: string): Promise<void> {
  await page.keyboard.press('F2');
  await page.waitForURL((url) => url.pathname === '/shift');
  await page.locator('#float-input:focus').waitFor();
  await page.keyboard.type(float);
  await Promise.all([page.waitForURL((url) => url.pathname === '/'), page.keyboard.press('Enter')]);
  await page.locator('.shift-state.open').waitFor();
}

/** A keyboard-wedge scanner: the digits arrive `delayMs` apart, then Enter, into whatever has focus. */
export async function scanLikeAScanner(page: Page, code: string, delayMs = 5): Promise<void> {
  await page.keyboard.type(code, { delay: delayMs });
  await page.keyboard.press('Enter');
}

/** Scans `code` once per expected total, each time waiting until the receipt's total reads it. */
export async function scanUntilTotals(page: Page, code: string, totals: readonly string[]): Promise<void> {
  for (const total of totals) {
    await scanLikeAScanner(page, code);
    await page.locator('.receipt-pane .totals .total', { hasText: total }).waitFor();
  }
}

/** Alt+R on the till, then the sale's number scanned into the returns page (as from its receipt's QR code): the sale is open. */
export async function openSaleForReturn(page: Page, saleCode: string): Promise<void> {
  await page.bringToFront();
  await page.keyboard.press('Alt+R');
  await page.waitForURL((url) => url.pathname === '/returns');
  await page.locator('#return-sale:focus').waitFor();
  await scanLikeAScanner(page, saleCode);
  await page.waitForURL((url) => url.searchParams.get('sale') === saleCode);
}

/** `count` windows, each its own terminal (browser context) at the till's usual size; dialogs are accepted. */
export async function kassaTerminals(browser: Browser, baseURL: string, count: number): Promise<Page[]> {
  const pages: Page[] = [];
  for (let i = 0; i < count; i++) {
    const page = await (await browser.newContext({ baseURL, viewport: { width: 1366, height: 820 }, locale: 'ru-RU' })).newPage();
    page.on('dialog', (dialog) => void dialog.accept());
    pages.push(page);
  }
  return pages;
}

/** Cash in or cash out on the shift page (/shift): the amount and the reason, Enter; waits for the new row. */
export async function cashMoveOnShiftPage(page: Page, kind: 'in' | 'out', amount: string, reason: string): Promise<void> {
  const rows = page.locator(`.moves .move-${kind}`);
  const before = await rows.count();
  await page.locator(`.cash-form input[value="${kind}"]`).check();
  await page.locator('#cash-amount').fill(amount);
  await page.locator('#cash-reason').fill(reason);
  await page.locator('#cash-reason').press('Enter');
  await rows.nth(before).waitFor();
}

export interface KassaInChromium {
  host: TestHost;
  browser: Browser;
  /** one window per terminal */
  pages: Page[];
  close(): Promise<void>;
}

/** apps/kassa on a fresh data folder and `count` terminals in one Chromium (the screenshots folder made). */
export async function kassaInChromium(count: number): Promise<KassaInChromium> {
  await mkdir(screenshotsDir, { recursive: true });
  const host = await startHost(path.join(projectRoot, 'apps', 'kassa'));
  const browser = await launchBrowser().catch(async (error: unknown) => {
    await host.stop();
    throw error;
  });
  const pages = await kassaTerminals(browser, host.url, count);
  return {
    host,
    browser,
    pages,
    async close() {
      await browser.close();
      await host.stop();
    },
  };
}
