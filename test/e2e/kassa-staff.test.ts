// Deactivating a cashier in Chromium: the manager presses *Отключить* on the staff screen, and both of the
// cashier's till windows (two terminals) land on the login page within a second; the cashier cannot log in
// again. The new account was created on the same screen, its bad password shown beside the field first.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { projectRoot, startHost, type TestHost } from '../helpers/host.js';
import { launchBrowser } from '../helpers/browser.js';
import { screenshotsDir } from '../helpers/screenshots.js';

const appDir = path.join(projectRoot, 'apps', 'kassa');

async function login(page: Page, user: string, password: string): Promise<void> {
  await page.goto('/login');
  await page.locator('#login').fill(user);
  await page.locator('#password').fill(password);
  await Promise.all([page.waitForURL((url) => url.pathname === '/'), page.locator('#password').press('Enter')]);
}

describe('kassa in Chromium: the manager deactivates a cashier who is logged in on two tills', () => {
  let host: TestHost;
  let browser: Browser;
  let office: Page;
  let tills: Page[];

  before(async () => {
    host = await startHost(appDir);
    browser = await launchBrowser();
    const options = { baseURL: host.url, viewport: { width: 1366, height: 820 }, locale: 'ru-RU' };
    office = await (await browser.newContext(options)).newPage();
    tills = [await (await browser.newContext(options)).newPage(), await (await browser.newContext(options)).newPage()];
    for (const page of [office, ...tills]) page.on('dialog', (dialog) => void dialog.accept());
  });
  after(async () => {
    await browser?.close();
    await host?.stop();
  });

  it('the manager creates a cashier on the staff screen (a short password is shown beside its field)', async () => {
    await login(office, 'admin', 'admin');
    await office.locator('nav a[href="/staff"]').click();
    await office.waitForURL((url) => url.pathname === '/staff');
    await office.locator('#new-login').fill('petrov');
    await office.locator('#new-name').fill('Петров П.П.');
    await office.locator('#new-password').fill('12');
    await office.locator('#new-password').press('Enter');
    await office.locator('.create [atom-field-error="password"]', { hasText: 'Пароль — от 4 до 64 символов' }).waitFor();
    await office.locator('#new-password').fill('4567');
    await office.locator('#new-password').press('Enter');
    await office.locator('.notice', { hasText: 'Сотрудник petrov добавлен' }).waitFor();
    assert.match(await office.locator('tr[data-login="petrov"]').innerText(), /Петров П\.П\.\s+Кассир\s+работает/);
    await office.screenshot({ path: path.join(screenshotsDir, 'kassa-staff.png') });
  });

  it('a manager on the host computer opens the terminals page: a pairing code for a new LAN till', async () => {
    await office.goto('/__terminals');
    const code = await office.locator('#pairing-code').innerText();
    assert.match(code.replace(/\s/g, ''), /^\d{6}$/);
    await office.screenshot({ path: path.join(screenshotsDir, 'kassa-terminals.png') });
    await office.goto('/staff');
  });

  it('deactivating ends the cashier’s logins: both tills are on the login page within a second', async () => {
    for (const till of tills) {
      await login(till, 'petrov', '4567');
      await till.locator('#scan-input').waitFor();
    }
    // each till's socket is connected (its channels subscribed) before the manager acts
    for (const till of tills) await till.waitForFunction(() => (window.__serverokey?.subscriptions().length ?? 0) > 0);
    const started = Date.now();
    const loggedOut = tills.map((till) => till.waitForURL((url) => url.pathname === '/login', { timeout: 10_000 }));
    await office.locator('tr[data-login="petrov"] .toggle-active').click();
    await Promise.all(loggedOut);
    const took = Date.now() - started;
    assert.ok(took < 1000, `the tills left after ${took} ms`);
    await office.locator('.notice', { hasText: 'petrov отключён' }).waitFor();
    assert.match(await office.locator('tr[data-login="petrov"] .state').innerText(), /отключён/);

    await tills[0].locator('#login').fill('petrov');
    await tills[0].locator('#password').fill('4567');
    await Promise.all([tills[0].waitForURL((url) => url.search.includes('error=1')), tills[0].locator('#password').press('Enter')]);
  });
});
