// Every status of the action protocol over real HTTP, each checking that stored data is unchanged.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { fixtures, startHost, type TestHost } from '../helpers/host.js';
import { TestTerminal } from '../helpers/http-client.js';

describe('action protocol statuses', () => {
  let host: TestHost;
  let t: TestTerminal;
  const stored = async () => (await host.flushed(), readFile(path.join(host.dataDir, 'counter.json'), 'utf8'));

  before(async () => {
    host = await startHost(path.join(fixtures, 'http-app'));
    t = await new TestTerminal(host.url).open('/');
    assert.equal((await t.action('/action/increment')).status, 200);
  });
  after(() => host.stop());

  const cases: Array<{ name: string; send: () => Promise<{ status: number; body: any }>; status: number; check?: (body: any) => void }> = [
    { name: 'malformed JSON → 400', status: 400, send: () => t.action('/action/increment', null, { raw: '{"by":' }) },
    { name: 'unsupported body type → 415', status: 415, send: () => t.action('/action/increment', null, { raw: 'by=1', contentType: 'text/plain' }) },
    { name: 'body over 1 MB → 413', status: 413, send: () => t.action('/action/increment', { pad: 'x'.repeat(1_100_000) }) },
    {
      name: 'a route’s bodyLimitMb: over 2 MB → 413 naming the limit',
      status: 413,
      send: () => t.action('/action/upload', { text: 'x'.repeat(2_200_000) }),
      check: (body) => assert.match(body.error.message, /больше 2 МБ/),
    },
    { name: 'unknown route → 404', status: 404, send: () => t.action('/action/nope') },
    { name: 'wrong method → 405 with Allow', status: 405, send: () => t.action('PUT /action/increment') },
    { name: 'internal route → 403', status: 403, send: () => t.action('/hidden') },
    { name: 'missing CSRF token → 403', status: 403, send: () => t.action('/action/increment', {}, { csrf: null }) },
    { name: 'wrong CSRF token → 403', status: 403, send: () => t.action('/action/increment', {}, { csrf: 'forged' }) },
    { name: 'foreign Origin → 403', status: 403, send: () => t.action('/action/increment', {}, { headers: { origin: 'http://evil.example' } }) },
    {
      name: 'not logged in → 401 with redirect (never a 302)',
      status: 401,
      send: () => t.action('/action/admin'),
      check: (body) => assert.equal(body.redirect, '/login'),
    },
    {
      name: 'zod validation → 422 with field messages',
      status: 422,
      send: () => t.action('/action/note', { note: 'x' }),
      check: (body) => assert.equal(body.error.message, 'Слишком коротко'),
    },
    {
      name: 'fail step → its status, message and field',
      status: 409,
      send: () => t.action('/action/refuse', { why: 'закрыто' }),
      check: (body) => assert.deepEqual(body.error.fields, { why: 'Нельзя: закрыто' }),
    },
    {
      name: 'a run handler refusing with its own status → that status and message',
      status: 409,
      send: () => t.action('/action/handler-refuses'),
      check: (body) => {
        assert.equal(body.error.message, 'Смена закрыта: откройте смену');
        assert.deepEqual(body.error.fields, { shift: 'closed' });
      },
    },
    {
      name: 'failing step → 500 with an error id, no step path, expression or stack (those go to the log)',
      status: 500,
      send: () => t.action('/action/crash'),
      check: (body) => {
        assert.equal(body.error.step, undefined);
        assert.match(body.error.message, /код ошибки [0-9a-f]{8}/);
        assert.doesNotMatch(body.error.message, /\n\s+at |toFixed|steps\[/);
      },
    },
  ];

  for (const c of cases) {
    it(c.name, async () => {
      const before = await stored();
      const result = await c.send();
      assert.equal(result.status, c.status, JSON.stringify(result.body));
      assert.equal(typeof result.body.error?.message, 'string');
      c.check?.(result.body);
      assert.equal(await stored(), before, 'stored data changed');
    });
  }

  it('takes a body up to the bodyLimitMb its action route declares', async () => {
    const result = await t.action('/action/upload', { text: 'x'.repeat(1_500_000) });
    assert.equal(result.status, 200, JSON.stringify(result.body).slice(0, 200));
    assert.match(result.body.html, /1500000/);
  });

  it('a person loading an unknown page gets an HTML page, not JSON', async () => {
    const r = await fetch(host.url + '/nope', { headers: { accept: 'text/html,application/xhtml+xml' } });
    assert.equal(r.status, 404);
    assert.match(r.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await r.text(), /Нет такой страницы/);
  });

  it('405 names the allowed methods', async () => {
    const r = await fetch(host.url + '/action/increment', { method: 'DELETE' });
    assert.equal(r.status, 405);
    assert.match(r.headers.get('allow') ?? '', /POST/);
  });

  it('query parameters reach steps as query', async () => {
    const r = await t.action('/action/search?q=hello');
    assert.match(r.body.html, /<span class="note">hello<\/span>/);
  });

  it('HEAD answers a view without a body', async () => {
    const r = await fetch(host.url + '/', { method: 'HEAD' });
    assert.equal(r.status, 200);
    assert.equal(await r.text(), '');
  });

  it('the page carries the CSRF meta tag, the client script and security headers', async () => {
    const r = await fetch(host.url + '/');
    const html = await r.text();
    assert.match(html, /<meta name="csrf-token" content="[^"]+">/);
    assert.match(html, /<script src="\/engine-client.js" nonce="[^"]+"><\/script>\n<\/body>/);
    assert.match(r.headers.get('content-security-policy') ?? '', /script-src 'self' 'nonce-/);
    assert.match(r.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.ok(r.headers.get('referrer-policy'));
  });

  it('data containing {{user.name}} or $& renders literally', async () => {
    const r = await t.action('/action/note', { note: '{{user.name}} $& $1' });
    assert.equal(r.status, 200);
    assert.match(r.body.html, /\{\{user.name\}\} \$&amp; \$1|\{\{user.name\}\} \$& \$1/);
    const page = await t.get('/');
    assert.match(page.text, /\{\{user.name\}\} \$(&amp;|&) \$1/);
  });

  it('null, 0 and empty string are written faithfully', async () => {
    const r = await t.action('/action/increment', { by: -(JSON.parse(await stored()).value) });
    assert.equal(r.status, 200);
    assert.equal(JSON.parse(await stored()).value, 0);
  });
});
