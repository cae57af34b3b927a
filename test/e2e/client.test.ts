// The browser client against the real engine: the fixture app (test/fixtures/web-app) served by
// createHost, driven through Chromium. One browser for the file, one context per terminal.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, BrowserContext, Page, Request } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';
import { startFixtureHost, type FixtureHost } from '../helpers/fixture-host.js';
import { within } from '../helpers/wait.js';

let browser: Browser;

before(async () => {
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
});

interface Terminal {
  context: BrowserContext;
  page: Page;
  /** action requests this terminal sent (method, path, headers) */
  requests: Request[];
  pageErrors: Error[];
}

/** A fresh host (fresh data) and terminals on it, all closed afterwards. */
async function withApp(run: (app: { fixture: FixtureHost; terminal(): Promise<Terminal> }) => Promise<void>): Promise<void> {
  const fixture = await startFixtureHost();
  const contexts: BrowserContext[] = [];
  try {
    await run({
      fixture,
      async terminal() {
        const context = await browser.newContext();
        contexts.push(context);
        const page = await context.newPage();
        const terminal: Terminal = { context, page, requests: [], pageErrors: [] };
        page.on('request', (request) => {
          if (new URL(request.url()).pathname.startsWith('/action/')) terminal.requests.push(request);
        });
        page.on('pageerror', (error) => terminal.pageErrors.push(error));
        await page.goto(`${fixture.url}/`);
        await page.waitForFunction(() => Boolean(window.__serverokey?.socketId));
        return terminal;
      },
    });
  } finally {
    for (const context of contexts) await context.close();
    await fixture.close();
  }
}

function texts(page: Page, selector: string): Promise<string[]> {
  return page.$$eval(selector, (els) => els.map((el) => (el.textContent ?? '').trim()));
}

function waitForTexts(page: Page, selector: string, expected: string[]): Promise<unknown> {
  return page.waitForFunction(
    ({ selector, expected }) =>
      JSON.stringify(Array.from(document.querySelectorAll(selector), (el) => (el.textContent ?? '').trim())) ===
      JSON.stringify(expected),
    { selector, expected },
  );
}

/** Adds a note through the form and waits until the list shows it: an action that must arrive. */
async function addNoteAndWait(page: Page, text: string): Promise<void> {
  await page.fill('#note-input', text);
  await page.press('#note-input', 'Enter');
  await page.waitForFunction((text) => Array.from(document.querySelectorAll('.note'), (el) => el.textContent).includes(text), text);
}

function actionsSent(page: Page): Promise<number> {
  return page.evaluate(() => window.__serverokey?.actions ?? -1);
}

function activeId(page: Page): Promise<string> {
  return page.evaluate(() => document.activeElement?.id ?? '');
}

function color(page: Page, selector: string): Promise<string> {
  return page.$eval(selector, (el) => getComputedStyle(el).color);
}

test('the layout shows every nested placeholder, atom-if sees the loop item', async () => {
  await withApp(async ({ terminal }) => {
    const { page, pageErrors } = await terminal();
    assert.equal(await page.textContent('.brand'), 'Serverokey');
    assert.equal(await page.textContent('#home-title'), 'Главная');
    assert.deepEqual(await texts(page, '.note'), ['Купить хлеб ✓', 'Позвонить поставщику']);
    assert.deepEqual(await texts(page, '.result'), ['apple', 'apricot', 'banana', 'blueberry', 'cherry']);
    assert.equal(await page.textContent('#note-count'), '2');
    assert.equal(await page.locator('atom-inject').count(), 0);
    // atom-if inside {{#items}}: only the done note carries the mark
    assert.equal(await page.locator('.note').nth(0).locator('.done-mark').count(), 1);
    assert.equal(await page.locator('.note').nth(1).locator('.done-mark').count(), 0);
    assert.deepEqual(pageErrors, []);
  });
});

test('a form action adds a note, updates the list, clears the field and keeps its focus', async () => {
  await withApp(async ({ terminal }) => {
    const { page, requests } = await terminal();
    await page.click('#note-input');
    await page.keyboard.type('Проверить кассу');
    await page.keyboard.press('Enter');
    await waitForTexts(page, '.note', ['Купить хлеб ✓', 'Позвонить поставщику', 'Проверить кассу']);
    await page.waitForFunction(() => (document.getElementById('note-input') as HTMLInputElement).value === '');
    assert.equal(await activeId(page), 'note-input');
    assert.equal(requests.length, 1);
    const headers = requests[0].headers();
    assert.equal(requests[0].method(), 'POST');
    assert.deepEqual(requests[0].postDataJSON(), { text: 'Проверить кассу' });
    assert.equal(headers['content-type'], 'application/json');
    assert.equal(headers['x-socket-id'], await page.evaluate(() => window.__serverokey?.socketId));
    assert.equal(headers['x-csrf-token'], await page.getAttribute('meta[name="csrf-token"]', 'content'));
  });
});

test('live search: debounced, and focus, caret and typing survive the swaps', async () => {
  await withApp(async ({ terminal }) => {
    const { page } = await terminal();
    await page.click('#search-input');
    // marks the rendered input, to prove the swap really replaced it
    await page.$eval('#search-input', (el) => el.setAttribute('data-original', ''));
    await page.keyboard.type('ap', { delay: 40 });
    await waitForTexts(page, '.result', ['apple', 'apricot']);
    assert.equal(await page.locator('#search-input[data-original]').count(), 0, 'the input was re-rendered');
    assert.equal(await activeId(page), 'search-input');
    assert.deepEqual(
      await page.$eval('#search-input', (el) => {
        const input = el as HTMLInputElement;
        return [input.value, input.selectionStart, input.selectionEnd];
      }),
      ['ap', 2, 2],
    );

    // the caret in the middle: "a|p" + "p" → "ap|p"
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.type('p');
    await waitForTexts(page, '.result', ['apple']);
    assert.equal(await activeId(page), 'search-input');
    assert.deepEqual(
      await page.$eval('#search-input', (el) => {
        const input = el as HTMLInputElement;
        return [input.value, input.selectionStart, input.selectionEnd];
      }),
      ['app', 2, 2],
    );
    const sent = await actionsSent(page);
    assert.ok(sent >= 1 && sent < 3, `fewer requests (${sent}) than keystrokes (3)`);
  });
});

test('a stale search answer never overwrites a newer one (D18)', async () => {
  await withApp(async ({ terminal }) => {
    const { page } = await terminal();
    let answers = 0;
    let bothAnswered: () => void;
    const answered = new Promise<void>((resolve) => (bothAnswered = resolve));
    page.on('requestfinished', (request) => {
      if (request.url().endsWith('/action/search') && ++answers === 2) bothAnswered();
    });
    await page.click('#search-input');
    await page.keyboard.type('b');
    // "b" goes out after the debounce and answers slowly (700 ms) …
    await page.waitForFunction(() => (window.__serverokey?.actions ?? 0) >= 1);
    // … while "ba" goes out later and answers at once
    await page.keyboard.type('a');
    await waitForTexts(page, '.result', ['banana']);
    await page.waitForFunction(() => (window.__serverokey?.actions ?? 0) >= 2);
    // the stale answer is in the browser; an action sent after it must be answered and swapped after the
    // client has dealt with it
    await within(answered, 'both search answers');
    await addNoteAndWait(page, 'после поиска');
    assert.deepEqual(await texts(page, '.result'), ['banana']);
    assert.equal(await page.inputValue('#search-input'), 'ba');
  });
});

test('scoped CSS stays inside its component, and SPA navigation keeps the layout styles (D20)', async () => {
  await withApp(async ({ terminal }) => {
    const { page } = await terminal();
    const red = 'rgb(255, 0, 0)';
    const blue = 'rgb(0, 0, 255)';
    assert.equal(await color(page, '#notes-title'), red);
    assert.notEqual(await color(page, '#search-title'), red);
    assert.equal(await color(page, '.brand'), blue);

    await page.click('#nav-about');
    await page.waitForSelector('#about-text');
    assert.notEqual(await color(page, '#about-title'), red);
    assert.equal(await color(page, '.brand'), blue, 'the layout style survives the swap of pageContent');
    assert.equal(await page.locator('style[data-component-name="notes"]').count(), 0, 'styles of swapped-out parts go');

    await page.click('#nav-home');
    await page.waitForSelector('#notes-title');
    assert.equal(await color(page, '#notes-title'), red);
    assert.notEqual(await color(page, '#search-title'), red);
    assert.equal(await color(page, '.brand'), blue);
  });
});

test('back and forward after SPA navigation show the right content (D19)', async () => {
  await withApp(async ({ fixture, terminal }) => {
    const { page } = await terminal();
    await page.evaluate(() => ((window as unknown as { samePage: boolean }).samePage = true));
    await page.click('#nav-about');
    await page.waitForSelector('#about-text');
    assert.equal(page.url(), `${fixture.url}/about`);
    assert.equal(await page.title(), 'О программе');

    await page.evaluate(() => history.back());
    await page.waitForSelector('#home-title');
    assert.equal(page.url(), `${fixture.url}/`);
    assert.equal(await page.locator('#about-text').count(), 0);
    assert.equal(await page.locator('.note').count(), 2);

    await page.evaluate(() => history.forward());
    await page.waitForSelector('#about-text');
    assert.equal(page.url(), `${fixture.url}/about`);
    assert.equal(await page.locator('#home-title').count(), 0);

    assert.equal(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage), true, 'no full reload');
  });
});

test('a redirect answer navigates inside the page', async () => {
  await withApp(async ({ fixture, terminal }) => {
    const { page } = await terminal();
    await page.evaluate(() => ((window as unknown as { samePage: boolean }).samePage = true));
    await page.click('#redirect-button');
    await page.waitForSelector('#about-text');
    assert.equal(page.url(), `${fixture.url}/about`);
    assert.equal(await page.evaluate(() => (window as unknown as { samePage?: boolean }).samePage), true, 'no full reload');
  });
});

test('atom-confirm asks before sending; Cancel sends nothing', async () => {
  await withApp(async ({ terminal }) => {
    const { page, requests } = await terminal();
    const questions: string[] = [];
    let answer = false;
    page.on('dialog', (dialog) => {
      questions.push(dialog.message());
      void (answer ? dialog.accept() : dialog.dismiss());
    });
    await page.click('#confirm-button');
    assert.deepEqual(questions, ['Увеличить счётчик?']);
    assert.equal(requests.length, 0);
    answer = true;
    await page.click('#confirm-button');
    await page.waitForFunction(() => document.getElementById('counter-value')?.textContent === '1');
    assert.equal(questions.length, 2);
    assert.equal(requests.length, 1);
  });
});

test('a second click while the request runs sends nothing: the slow counter ends at 1', async () => {
  await withApp(async ({ fixture, terminal }) => {
    const { page, requests } = await terminal();
    await page.dblclick('#slow-button');
    await page.waitForFunction(() => document.getElementById('counter-value')?.textContent === '1');
    // a second slow request would have left before this later action
    await addNoteAndWait(page, 'после двойного щелчка');
    assert.deepEqual(
      requests.map((r) => new URL(r.url()).pathname),
      ['/action/slow', '/action/add-note'],
    );
    assert.equal(await actionsSent(page), 2);
    const counter = async () => /<span id="counter-value">(\d+)<\/span>/.exec(await (await fetch(`${fixture.url}/`)).text())?.[1];
    assert.equal(await counter(), '1');

    // busy state while it runs; a click in the same moment is dropped
    const [busy, busyClass] = await page.evaluate(() => {
      const button = document.getElementById('slow-button')!;
      button.click();
      const state = [button.getAttribute('aria-busy'), button.classList.contains('atom-busy')] as const;
      button.click();
      return state;
    });
    assert.equal(busy, 'true');
    assert.equal(busyClass, true);
    await page.waitForFunction(() => document.getElementById('counter-value')?.textContent === '2');
    // the answer swapped a fresh button in, without busy state
    assert.equal(await page.getAttribute('#slow-button', 'aria-busy'), null);
    assert.equal(requests.length, 3);
    assert.equal(await counter(), '2');
  });
});

test('a failing action shows its message in the atom-error element or in a toast', async () => {
  await withApp(async ({ terminal }) => {
    const { page } = await terminal();
    await page.fill('#validate-input', 'ab');
    await page.click('#validate-submit');
    await page.waitForSelector('#validate-error:not([hidden])');
    assert.match((await page.textContent('#validate-error')) ?? '', /Слишком коротко/);
    assert.equal(await page.getAttribute('#validate-error', 'role'), 'alert');
    assert.equal(await page.inputValue('#validate-input'), 'ab', 'atom-reset gives the text back when the action fails');

    // without an atom-error element the message appears in a toast
    await page.click('#validate-toast');
    const toast = page.locator('.atom-toast[role="alert"]');
    await toast.waitFor();
    assert.match((await toast.textContent()) ?? '', /Слишком коротко/);
    await toast.click();
    await toast.waitFor({ state: 'detached' });

    // a later success clears the error element again
    await page.fill('#validate-input', 'abcd');
    await page.click('#validate-submit');
    await page.waitForSelector('#validate-error[hidden]', { state: 'attached' });
    assert.equal(await page.textContent('#validate-error'), '');
    assert.equal(await page.inputValue('#validate-input'), '');
  });
});

test('a barcode scanner gets one request per Enter and the field keeps focus', async () => {
  await withApp(async ({ terminal }) => {
    const { page, requests } = await terminal();
    // atom-focus="keep" put the focus into the scan field on load
    await page.waitForFunction(() => document.activeElement?.id === 'scan-input');
    // the scan action answers after 250 ms: the second code is typed and sent while the first runs
    await page.keyboard.type('4600000000017', { delay: 5 });
    await page.keyboard.press('Enter');
    assert.equal(await page.inputValue('#scan-input'), '', 'the field is free for the next scan at once');
    await page.keyboard.type('4600000000024', { delay: 5 });
    await page.keyboard.press('Enter');
    await page.keyboard.type('4600000000031', { delay: 5 });
    await page.keyboard.press('Enter');
    await waitForTexts(page, '.scan', ['4600000000017', '4600000000024', '4600000000031']);
    assert.deepEqual(
      requests.map((request) => request.postDataJSON()),
      [{ code: '4600000000017' }, { code: '4600000000024' }, { code: '4600000000031' }],
    );
    assert.equal(await page.inputValue('#scan-input'), '');
    assert.equal(await activeId(page), 'scan-input');

    // a click on a button hands focus back to the scan field
    await page.click('#slow-button');
    await page.waitForFunction(() => document.getElementById('counter-value')?.textContent === '1');
    await page.waitForFunction(() => document.activeElement?.id === 'scan-input');
  });
});

test('atom-hotkey triggers its element from anywhere', async () => {
  await withApp(async ({ terminal }) => {
    const { page } = await terminal();
    await page.click('#note-input');
    await page.keyboard.press('F9');
    await page.waitForFunction(() => document.getElementById('counter-value')?.textContent === '1');
    assert.equal(await actionsSent(page), 1);
  });
});

test("another terminal's change reaches subscribers, also after an SPA round trip (D17)", async () => {
  await withApp(async ({ terminal }) => {
    const a = await terminal();
    const b = await terminal();
    await b.page.waitForFunction(() => window.__serverokey?.subscriptions().join() === 'notes-ch,notes-push');

    // leaving the page unsubscribes, coming back subscribes again
    await b.page.click('#nav-about');
    await b.page.waitForFunction(() => window.__serverokey?.subscriptions().length === 0);
    await b.page.click('#nav-home');
    await b.page.waitForFunction(() => window.__serverokey?.subscriptions().join() === 'notes-ch,notes-push');

    // B is typing inside the component that the refresh will replace
    await b.page.click('#note-draft');
    await b.page.$eval('#note-draft', (el) => el.setAttribute('data-original', ''));
    await b.page.keyboard.type('черновик');
    await b.page.keyboard.press('ArrowLeft');
    await b.page.keyboard.press('ArrowLeft');
    for (let i = 0; i < 3; i++) await b.page.keyboard.press('Shift+ArrowLeft');

    await a.page.fill('#note-input', 'С другой кассы');
    await a.page.press('#note-input', 'Enter');
    await waitForTexts(a.page, '.note', ['Купить хлеб ✓', 'Позвонить поставщику', 'С другой кассы']);
    await waitForTexts(b.page, '.note', ['Купить хлеб ✓', 'Позвонить поставщику', 'С другой кассы']);
    assert.equal(await b.page.locator('#note-draft[data-original]').count(), 0, 'the draft field was re-rendered');
    assert.equal(await activeId(b.page), 'note-draft');
    assert.deepEqual(
      await b.page.$eval('#note-draft', (el) => {
        const input = el as HTMLInputElement;
        return [input.value, input.selectionStart, input.selectionEnd, input.selectionDirection];
      }),
      ['черновик', 3, 6, 'backward'],
    );
    // the pushed fragment updated the count without a request
    await waitForTexts(b.page, '#note-count', ['3']);
    assert.equal(b.requests.filter((r) => r.url().endsWith('/action/note-count')).length, 0);
    // and the list's soft refresh is read-only: the host rendered it and pushed it with the event (issue 18),
    // so the field inside it kept focus, caret and selection across a swap that cost no request
    assert.equal(b.requests.filter((r) => r.url().endsWith('/action/notes-refresh')).length, 0);

    const log = await b.page.evaluate(() => window.__serverokey?.eventLog);
    assert.deepEqual(
      [...(log ?? [])].sort((x, y) => x.event.localeCompare(y.event)),
      [
        { event: 'notes-changed', channel: 'notes-ch' },
        { event: 'notes-pushed', channel: 'notes-push' },
      ],
    );
    assert.equal(await a.page.evaluate(() => window.__serverokey?.events), 0, 'the initiator is not notified');
    assert.deepEqual(a.pageErrors, []);
    assert.deepEqual(b.pageErrors, []);
  });
});

test('offline banner while the host is down; after it returns, subscriptions and content come back', async () => {
  const first = await startFixtureHost();
  const dataDir = first.dataDir;
  const port = first.host.port;
  const context = await browser.newContext();
  let second: FixtureHost | undefined;
  try {
    const page = await context.newPage();
    await page.goto(`${first.url}/`);
    await page.waitForFunction(() => window.__serverokey?.subscriptions().includes('notes-ch'));
    await page.fill('#note-input', 'Исчезнет после перезапуска');
    await page.press('#note-input', 'Enter');
    await page.waitForFunction(() => document.querySelectorAll('.note').length === 3);

    await first.host.close();
    await page.waitForSelector('html[data-offline]', { state: 'attached' });
    assert.equal(await page.textContent('#atom-offline'), 'Нет связи с кассой…');

    // the same data folder keeps the host secret, so the page's cookies and CSRF token stay valid;
    // the memory connectors start over, which the resync refresh must show
    second = await startFixtureHost({ dataDir, port });
    await page.waitForSelector('html:not([data-offline])', { state: 'attached' });
    assert.equal(await page.locator('#atom-offline').count(), 0);
    await page.waitForFunction(() => window.__serverokey?.subscriptions().includes('notes-ch'));
    await waitForTexts(page, '.note', ['Купить хлеб ✓', 'Позвонить поставщику']);
  } finally {
    await context.close();
    await second?.host.close();
    if (!second) await first.host.close();
    await first.close().catch(() => undefined);
  }
});

/**
 * Installs listeners for the client's lifecycle events that write what they see into window.__seen (a
 * script text: the test's TypeScript loader would give named functions a helper the page does not have).
 */
function recordClientEvents(page: Page): Promise<void> {
  return page.evaluate(`(() => {
    const seen = (window.__seen = []);
    const where = (event) => (event.target instanceof Element ? '#' + event.target.id : 'document');
    document.addEventListener('atom:before-request', (event) => {
      const { method, url, kind } = event.detail;
      seen.push('before-request ' + method + ' ' + url + ' ' + kind + ' on ' + where(event));
    });
    document.addEventListener('atom:after-swap', (event) => seen.push('after-swap ' + event.detail.cause + ' on ' + where(event)));
    document.addEventListener('atom:error', (event) => {
      const { status, method, url } = event.detail;
      seen.push('error ' + status + ' ' + method + ' ' + url + ' on ' + where(event));
    });
    document.addEventListener('atom:socket-event', (event) => {
      const { event: name, channel, pushed } = event.detail;
      seen.push('socket-event ' + name + ' ' + channel + (pushed ? ' pushed' : ''));
    });
    for (const type of ['atom:online', 'atom:offline']) document.addEventListener(type, () => seen.push(type.slice(5)));
  })()`);
}

function seenEvents(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __seen: string[] }).__seen);
}

function waitForSeen(page: Page, entry: string): Promise<unknown> {
  return page.waitForFunction((entry) => (window as unknown as { __seen: string[] }).__seen.includes(entry), entry);
}

test('client events: atom:before-request can add a header or cancel the request, atom:after-swap follows the swap', async () => {
  await withApp(async ({ terminal }) => {
    const { page, requests } = await terminal();
    await recordClientEvents(page);
    await page.evaluate(() => {
      document.addEventListener('atom:before-request', (event) => {
        const detail = (event as CustomEvent).detail;
        detail.headers['X-Till-Note'] = 'from-a-listener';
        // the client's own headers stay as they are
        detail.headers['X-CSRF-Token'] = 'forged';
        if (detail.url === '/action/slow') event.preventDefault();
      });
    });
    await page.click('#slow-button');
    // the canceled request left no busy state behind
    assert.equal(await page.getAttribute('#slow-button', 'aria-busy'), null);
    await addNoteAndWait(page, 'после отмены');
    await waitForSeen(page, 'after-swap action on #notesList-container');

    assert.deepEqual(await seenEvents(page), [
      'before-request POST /action/slow user on #slow-button',
      'before-request POST /action/add-note user on #note-form',
      'after-swap action on #notesList-container',
    ]);
    assert.deepEqual(requests.map((r) => new URL(r.url()).pathname), ['/action/add-note'], 'the canceled request was sent');
    const headers = await requests[0].allHeaders();
    assert.equal(headers['x-till-note'], 'from-a-listener');
    assert.equal(headers['x-csrf-token'], await page.getAttribute('meta[name="csrf-token"]', 'content'));
    assert.equal(await page.textContent('#counter-value'), '0');
  });
});

test('client events: atom:error tells of a failed action, and canceling it keeps the client from showing it', async () => {
  await withApp(async ({ terminal }) => {
    const { page } = await terminal();
    await recordClientEvents(page);
    await page.evaluate(() => {
      document.addEventListener('atom:error', (event) => {
        if ((window as unknown as { __ownErrors?: boolean }).__ownErrors) event.preventDefault();
      });
      (window as unknown as { __ownErrors?: boolean }).__ownErrors = true;
    });
    await page.click('#validate-toast');
    await waitForSeen(page, 'error 422 POST /action/validate on #validate-toast');
    // the app showed it its own way: no toast (checked after a later action that must be answered)
    await addNoteAndWait(page, 'после ошибки');
    assert.equal(await page.locator('.atom-toast').count(), 0);

    await page.evaluate(() => ((window as unknown as { __ownErrors?: boolean }).__ownErrors = false));
    await page.click('#validate-toast');
    await page.waitForSelector('.atom-toast');
    assert.equal((await seenEvents(page)).filter((e) => e.startsWith('error 422')).length, 2);
  });
});

test('client events: atom:socket-event for every channel event, after-swap for refreshes and pushed fragments, offline and online', async () => {
  await withApp(async ({ fixture, terminal }) => {
    const writer = await terminal();
    const watcher = await terminal();
    await recordClientEvents(watcher.page);
    await addNoteAndWait(writer.page, 'для наблюдателя');
    // the list's read-only soft refresh comes rendered with its event (automatic push): no request
    await waitForSeen(watcher.page, 'after-swap push on #notesList-container');
    await waitForSeen(watcher.page, 'after-swap push on #noteCount-container');
    const seen = await seenEvents(watcher.page);
    assert.ok(seen.includes('socket-event notes-changed notes-ch pushed'), seen.join('\n'));
    assert.ok(seen.includes('socket-event notes-pushed notes-push pushed'), seen.join('\n'));
    assert.ok(!seen.some((e) => e.startsWith('before-request')), seen.join('\n'));

    // a canceled atom:socket-event: the page neither refreshes nor swaps
    await watcher.page.evaluate(() => document.addEventListener('atom:socket-event', (event) => event.preventDefault()));
    const before = (await seenEvents(watcher.page)).length;
    await addNoteAndWait(writer.page, 'без обновления');
    // a refresh or a swap would start in the same task as the event's dispatch: it would already be listed
    await watcher.page.waitForFunction(
      (before) => (window as unknown as { __seen: string[] }).__seen.slice(before).filter((e) => e.startsWith('socket-event')).length === 2,
      before,
    );
    assert.deepEqual(
      (await seenEvents(watcher.page)).slice(before).filter((e) => !e.startsWith('socket-event')),
      [],
      'a canceled event still refreshed or swapped',
    );

    // the host closes every socket: the pages go offline, reconnect by themselves and are online again
    for (const subscriber of fixture.host.hub()!.sockets.values()) subscriber.ws.close(4001, 'test');
    await waitForSeen(watcher.page, 'offline');
    await waitForSeen(watcher.page, 'online');
    const connection = (await seenEvents(watcher.page)).filter((e) => e === 'online' || e === 'offline');
    assert.deepEqual(connection, ['offline', 'online']);
    // after the reconnect every subscribed element refreshes over HTTP (what was missed is not pushed)
    await waitForSeen(watcher.page, 'after-swap refresh on #notesList-container');
    assert.ok((await seenEvents(watcher.page)).some((e) => e.startsWith('before-request POST /action/notes-refresh refresh')));
  });
});
