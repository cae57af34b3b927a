// atom-print: the desktop host prints through window.pos.print({ path }); a browser terminal opens the
// page in a window that prints itself.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';
import { startFixtureHost, type FixtureHost } from '../helpers/fixture-host.js';

let browser: Browser;
let fixture: FixtureHost;

before(async () => {
  browser = await launchBrowser();
  fixture = await startFixtureHost();
});

after(async () => {
  await browser?.close();
  await fixture?.close();
});

test('in a browser, atom-print opens the page with autoprint and it calls print()', async () => {
  const context = await browser.newContext();
  await context.addInitScript('window.__printed = 0; window.print = () => { window.__printed += 1; };');
  const page = await context.newPage();
  await page.goto(fixture.url + '/about');
  const [popup] = await Promise.all([context.waitForEvent('page'), page.click('#print-about')]);
  await popup.waitForLoadState('load');
  assert.match(popup.url(), /\/about\?autoprint=1$/);
  await popup.waitForFunction(() => (window as unknown as { __printed: number }).__printed === 1);
  await context.close();
});

test('in the desktop host, atom-print asks window.pos.print for the path and shows a failure plainly', async () => {
  const context = await browser.newContext();
  // a string, not a function: tsx would add helpers the page does not have
  await context.addInitScript(`
    window.__calls = [];
    window.pos = {
      isDesktop: true,
      print: async (content) => {
        window.__calls.push(content);
        if (window.__calls.length === 2) throw new Error('Принтер «TM-T20» не отвечает: нет бумаги');
      },
      print2: null,
      printers: async () => [{ name: 'TM-T20', displayName: 'Epson TM-T20' }, { name: 'Kitchen', displayName: 'Кухня' }],
    };
    const original = window.pos.print;
    window.pos.print = async (content, options) => { window.__options = options; return original(content); };
  `);
  const page = await context.newPage();
  await page.goto(fixture.url + '/about');
  await page.click('#print-about');
  await page.waitForFunction(() => (window as unknown as { __calls: unknown[] }).__calls.length === 1);
  assert.deepEqual(await page.evaluate(() => (window as unknown as { __calls: unknown[] }).__calls[0]), { path: '/about' });
  assert.equal(context.pages().length, 1);
  await page.click('#print-about');
  await page.getByText('нет бумаги').waitFor();
  await page.click('#print-58');
  await page.waitForFunction(() => (window as unknown as { __calls: unknown[] }).__calls.length === 3);
  assert.deepEqual(await page.evaluate(() => (window as unknown as { __options: unknown }).__options), { printer: 'Kitchen', widthMm: 58 });
  await page.waitForFunction(() => document.querySelectorAll('#printer-choice option').length === 3);
  assert.equal(await page.inputValue('#printer-choice'), 'Kitchen');
  await context.close();
});
