// The kassa driven the way a cashier does it, in Chromium: logging in by typing, opening the shift with F2,
// and scanning like a keyboard-wedge scanner (digits a few ms apart, then Enter, into whatever has focus).
import type { Page } from 'playwright-core';

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
