// Views that run read-only steps with the query string, and action updates that render `context`
// (what the steps computed), over real HTTP.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fixtures, startHost, type TestHost } from '../helpers/host.js';
import { TestTerminal } from '../helpers/http-client.js';

const appDir = path.join(fixtures, 'view-steps-app');

describe('a view with read-only steps', () => {
  let host: TestHost;
  let browser: TestTerminal;

  before(async () => {
    host = await startHost(appDir);
    browser = await new TestTerminal(host.url).open('/');
  });
  after(() => host.stop());

  it('computes context from the query string and renders it', async () => {
    const page = await browser.get('/note?number=17');
    assert.equal(page.status, 200);
    assert.match(page.text, /<h1 class="number">17<\/h1>/);
    assert.match(page.text, /<p class="text">ODD 17<\/p>/);
  });

  it('keeps a change its steps make to what they read inside the request', async () => {
    await browser.get('/note?number=17');
    const stored = JSON.parse(await host.storedText('notes').catch(() => '{"items":[]}')) as { items: Array<{ number: number; text: string }> };
    const note = stored.items.find((n) => n.number === 17);
    assert.ok(!note || note.text === 'odd 17', 'nothing a view does is saved');
    const again = await browser.get('/note?number=18');
    assert.match(again.text, /<p class="text">EVEN 18<\/p>/);
  });

  it('answers a file when it declares download: the text its steps computed', async () => {
    const file = await browser.get('/notes.txt?upTo=2');
    assert.equal(file.status, 200);
    assert.equal(file.text, '1;odd 1\n2;even 2');
    assert.equal(file.headers.get('content-type'), 'text/plain; charset=utf-8');
    assert.equal(file.headers.get('content-disposition'), 'attachment; filename="notes.txt"');
    assert.equal(file.headers.get('cache-control'), 'no-store');
  });

  it('answers a refusal of its steps with their status and message', async () => {
    const missing = await browser.get('/note?number=99');
    assert.equal(missing.status, 404);
    assert.match(missing.text, /no note 99/);
    const bad = await browser.get('/note?number=abc');
    assert.equal(bad.status, 400);
    assert.match(bad.text, /number must be a whole number/);
  });

  it('an action update renders the context its steps computed (one page of a search)', async () => {
    const first = await browser.action('/action/search', { q: 'odd', page: 2 });
    assert.equal(first.status, 200);
    assert.match(first.body.html, /23 \/ 2 \/ 3/);
    const numbers = [...(first.body.html as string).matchAll(/<li>(\d+)<\/li>/g)].map((m) => Number(m[1]));
    assert.deepEqual(numbers, [21, 23, 25, 27, 29, 31, 33, 35, 37, 39]);
  });
});
