// Real-time in Chromium (test/fixtures/realtime-app): terminals are browser contexts logged in as
// different users; tabs of one context are windows of one terminal (e.g. its customer display).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import path from 'node:path';
import { readFile, writeFile, rm } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createHost } from '../../server/host.js';
import type { Host } from '../../server/host-types.js';
import { fixtures, startHost, type TestHost } from '../helpers/host.js';
import { TestTerminal } from '../helpers/http-client.js';
import { launchBrowser } from '../helpers/browser.js';
import { buildClientBundle } from '../helpers/fixture-host.js';
import type { ServerFrame } from '../../protocol/wire.js';

const appDir = path.join(fixtures, 'realtime-app');
let browser: Browser;

before(async () => {
  buildClientBundle();
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
});

interface Till {
  context: BrowserContext;
  page: Page;
  pageErrors: Error[];
  /** another window of the same terminal (same cookies) */
  window(pathname: string): Promise<Page>;
}

async function withHost(run: (host: TestHost, till: (login: string | null) => Promise<Till>) => Promise<void>): Promise<void> {
  const host = await startHost(appDir);
  const contexts: BrowserContext[] = [];
  try {
    await run(host, async (login) => {
      const context = await browser.newContext();
      contexts.push(context);
      const pageErrors: Error[] = [];
      const open = async (pathname: string) => {
        const page = await context.newPage();
        page.on('pageerror', (error) => pageErrors.push(error));
        await page.goto(host.url + pathname);
        return page;
      };
      const page = await open('/login');
      if (login) {
        await page.fill('#login', login);
        await page.fill('#password', 'secret');
        await Promise.all([page.waitForURL(host.url + '/'), page.click('#login-submit')]);
        await subscribed(page, 'receipt-ch', 'cart-ch');
      }
      return {
        context,
        page,
        pageErrors,
        async window(pathname) {
          return open(pathname);
        },
      };
    });
  } finally {
    for (const context of contexts) await context.close();
    await host.stop();
  }
}

function subscribed(page: Page, ...channels: string[]): Promise<unknown> {
  return page.waitForFunction(
    (channels) => channels.every((c) => window.__serverokey?.subscriptions().includes(c)),
    channels,
  );
}

function eventsNamed(page: Page, event: string): Promise<number> {
  return page.evaluate((event) => window.__serverokey?.eventLog.filter((e) => e.event === event).length ?? -1, event);
}

function lines(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(selector, (els) => els.map((el) => (el.textContent ?? '').trim()));
}

function waitForLines(page: Page, selector: string, expected: string[]): Promise<unknown> {
  return page.waitForFunction(
    ({ selector, expected }) =>
      JSON.stringify(Array.from(document.querySelectorAll(selector), (el) => (el.textContent ?? '').trim())) === JSON.stringify(expected),
    { selector, expected },
  );
}

async function addTo(page: Page, form: 'receipt' | 'cart', name: string): Promise<void> {
  await page.fill(`#${form}-input`, name);
  await page.click(`#${form}-submit`);
}

let barriers = 0;

/**
 * Before asserting that a frame did NOT arrive: the host sends every open page one more event, and each
 * page has received everything sent before it once that one is there (a WebSocket keeps order).
 */
async function allArrived(host: { hub(): { broadcast(frame: ServerFrame): void } | undefined }, ...pages: Page[]): Promise<void> {
  const event = `test-barrier-${++barriers}`;
  host.hub()!.broadcast({ event, channel: 'test-barrier', payload: null });
  await Promise.all(pages.map((page) => page.waitForFunction((event) => window.__serverokey?.eventLog.some((e) => e.event === event), event)));
}

test('a shared receipt: B updates with no input, A sees no event for its own change, A’s second tab updates', async () => {
  await withHost(async (host, till) => {
    const a = await till('alice');
    const b = await till('bob');
    const aTab2 = await a.window('/');
    await subscribed(aTab2, 'receipt-ch');
    const bActionsBefore = await b.page.evaluate(() => window.__serverokey!.actions);

    await addTo(a.page, 'receipt', 'Хлеб');
    await waitForLines(a.page, '.receipt-line', ['Хлеб']);
    await waitForLines(b.page, '.receipt-line', ['Хлеб']);
    await waitForLines(aTab2, '.receipt-line', ['Хлеб']);

    await allArrived(host, a.page, b.page, aTab2);
    assert.equal(await eventsNamed(a.page, 'receipt-changed'), 0, 'the initiating page received its own change');
    assert.equal(await eventsNamed(b.page, 'receipt-changed'), 1);
    assert.equal(await eventsNamed(aTab2, 'receipt-changed'), 1);
    // B made no request: its soft refresh is read-only, so the host rendered it and pushed it with the event
    assert.equal(await b.page.evaluate(() => window.__serverokey!.actions), bActionsBefore);
    assert.deepEqual([...a.pageErrors, ...b.pageErrors], []);
  });
});

test('a terminal-scoped cart: terminals do not see each other’s, the customer display of terminal 1 does', async () => {
  await withHost(async (host, till) => {
    const t1 = await till('alice');
    const t2 = await till('bob');
    const display1 = await t1.window('/display');
    await subscribed(display1, 'cart-ch');

    await addTo(t1.page, 'cart', 'Молоко');
    await waitForLines(t1.page, '.cart-line', ['Молоко']);
    await waitForLines(display1, '.cart-line', ['Молоко']);
    await addTo(t2.page, 'cart', 'Кефир');
    await waitForLines(t2.page, '.cart-line', ['Кефир']);

    await allArrived(host, t1.page, t2.page, display1);
    assert.deepEqual(await lines(t1.page, '.cart-line'), ['Молоко']);
    assert.deepEqual(await lines(display1, '.cart-line'), ['Молоко']);
    assert.deepEqual(await lines(t2.page, '.cart-line'), ['Кефир']);
    assert.equal(await eventsNamed(t2.page, 'cart-changed'), 0, 'terminal 2 heard terminal 1');
    assert.equal(await eventsNamed(t1.page, 'cart-changed'), 0, 'terminal 1 heard terminal 2');
    assert.equal(await eventsNamed(display1, 'cart-changed'), 1);
  });
});

test('after a host restart open pages show offline, reconnect by themselves and show what changed meanwhile', async () => {
  const first = await startHost(appDir);
  const { dataDir, port } = first;
  let host: Host | TestHost = first;
  const contexts: BrowserContext[] = [];
  try {
    const pages: Page[] = [];
    for (const login of ['alice', 'bob']) {
      const context = await browser.newContext();
      contexts.push(context);
      const page = await context.newPage();
      await page.goto(first.url + '/login');
      await page.fill('#login', login);
      await page.fill('#password', 'secret');
      await Promise.all([page.waitForURL(first.url + '/'), page.click('#login-submit')]);
      await subscribed(page, 'receipt-ch');
      pages.push(page);
    }
    const [a, b] = pages;
    await addTo(a, 'receipt', 'До перезапуска');
    await waitForLines(b, '.receipt-line', ['До перезапуска']);

    await first.close();
    for (const page of pages) await page.waitForSelector('html[data-offline]');
    // while the pages are away the receipt changes (another program edits the stored file)
    const file = path.join(dataDir, 'receipt.json');
    const receipt = JSON.parse(await readFile(file, 'utf8'));
    receipt.items.push({ name: 'Пока вас не было' });
    await writeFile(file, JSON.stringify(receipt));

    host = await createHost({ appDir, dataDir, port, quiet: true });
    for (const page of pages) {
      await page.waitForSelector('html:not([data-offline])');
      await waitForLines(page, '.receipt-line', ['До перезапуска', 'Пока вас не было']);
      await subscribed(page, 'receipt-ch');
    }
    // the channels work again after the reconnect
    await addTo(b, 'receipt', 'После');
    await waitForLines(a, '.receipt-line', ['До перезапуска', 'Пока вас не было', 'После']);
  } finally {
    for (const context of contexts) await context.close();
    await host.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});

test('without a session no channel payload ever reaches a page, also one left open after logging out', async () => {
  await withHost(async (host, till) => {
    const visitor = await till(null);
    await visitor.page.goto(host.url + '/');
    assert.equal(new URL(visitor.page.url()).pathname, '/login');

    const a = await till('alice');
    const aTab2 = await a.window('/');
    await subscribed(aTab2, 'receipt-ch');
    await Promise.all([aTab2.waitForURL(host.url + '/login'), aTab2.click('#logout')]);
    // the first tab's socket was opened with the ended login: it reconnects and every channel refuses it
    await a.page.waitForFunction(
      () => window.__serverokey?.connected === true && window.__serverokey.subscriptions().length === 0,
    );
    const eventsBefore = await a.page.evaluate(() => window.__serverokey!.events);

    const writer = new TestTerminal(host.url);
    await writer.login('bob', 'secret');
    await writer.action('/action/receipt-add', { name: 'Секрет' });
    await allArrived(host, a.page);

    const visitorState = await visitor.page.evaluate(() => ({
      events: window.__serverokey?.events,
      subscriptions: window.__serverokey?.subscriptions(),
      offline: document.documentElement.hasAttribute('data-offline'),
    }));
    assert.deepEqual(visitorState, { events: 0, subscriptions: [], offline: false });
    assert.doesNotMatch(await visitor.page.content(), /Секрет/);
    assert.equal(await a.page.evaluate(() => window.__serverokey!.events), eventsBefore + 1, 'only the test barrier reached the page');
    assert.doesNotMatch(await a.page.content(), /Секрет/);
    assert.equal(await a.page.evaluate(() => document.documentElement.hasAttribute('data-offline')), false);
  });
});
