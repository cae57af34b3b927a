// Automatic push in Chromium (issue 18), on an app written the original's way (test/fixtures/soft-refresh-app):
// a soft refresh on a channel's event, no emit.render. When one terminal adds to the shared receipt, the
// other's read-only refresh arrives rendered with the event — no HTTP request — while the cashier keeps
// typing in a field (focus and caret stay); the refresh with steps, and one opted out with atom-push="off",
// still go over HTTP.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { fixtures, startHost } from '../helpers/host.js';
import { launchBrowser } from '../helpers/browser.js';
import { buildClientBundle } from '../helpers/fixture-host.js';

const appDir = path.join(fixtures, 'soft-refresh-app');
let browser: Browser;

before(async () => {
  buildClientBundle();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

async function terminal(url: string, contexts: BrowserContext[]): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.__serverokey?.subscriptions().includes('receipt-updates'));
  return page;
}

test('a second terminal gets the read-only refresh pushed (no request), keeps focus and caret; a refresh with steps still fetches', async () => {
  const host = await startHost(appDir);
  const contexts: BrowserContext[] = [];
  try {
    const a = await terminal(host.url + '/', contexts);
    const b = await terminal(host.url + '/', contexts);
    const requested: string[] = [];
    b.on('request', (request) => requested.push(new URL(request.url()).pathname));
    const pageErrors: Error[] = [];
    b.on('pageerror', (error) => pageErrors.push(error));

    // the cashier of B is typing a code, caret in the middle of it
    await b.focus('#scan');
    await b.keyboard.type('4607001');
    await b.evaluate(() => (document.getElementById('scan') as HTMLInputElement).setSelectionRange(3, 3));

    await a.fill('#add-input', 'Хлеб');
    await a.click('#add-submit');
    await b.waitForFunction(() => document.querySelector('.receipt-line')?.textContent === 'Хлеб');
    // the summary's refresh has steps: fetched over HTTP, as before
    await b.waitForFunction(() => document.querySelector('.summary-count')?.textContent === '1');
    // the line counter's element opted out (atom-push="off"): fetched too
    await b.waitForFunction(() => document.querySelector('.lines-count')?.textContent === '1');

    assert.deepEqual(
      requested.filter((p) => p.startsWith('/action/')).sort(),
      ['/action/lines-view', '/action/summary-view'],
      'the read-only receipt refresh must come with the event; only the summary (with steps) and the opted-out counter be fetched',
    );
    const field = await b.evaluate(() => {
      const scan = document.getElementById('scan') as HTMLInputElement;
      return { focused: document.activeElement === scan, value: scan.value, caret: [scan.selectionStart, scan.selectionEnd] };
    });
    assert.deepEqual(field, { focused: true, value: '4607001', caret: [3, 3] });
    // the cashier goes on typing where the caret was
    await b.keyboard.type('9');
    assert.equal(await b.inputValue('#scan'), '46097001');
    assert.deepEqual(pageErrors, []);
  } finally {
    for (const context of contexts) await context.close();
    await host.stop();
  }
});
