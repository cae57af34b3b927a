// Malformed requests and frames, table-driven: each gets its expected status (or error frame, or close),
// leaves every stored file byte for byte as it was, and the host keeps serving everyone else.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import path from 'node:path';
import { readdir, readFile } from 'node:fs/promises';
import WebSocket from 'ws';
import { fixtures, startHost, type TestHost } from '../helpers/host.js';
import { TestTerminal, type TestSocket } from '../helpers/http-client.js';
import { attemptUpgrade, Device } from '../helpers/device.js';

const appDir = path.join(fixtures, 'realtime-app');

/** Every file under the data folder and its content, once the store has written what it logged. */
async function snapshot(host: TestHost): Promise<Map<string, string>> {
  await host.flushed();
  const dir = host.dataDir;
  const out = new Map<string, string>();
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name);
    out.set(path.relative(dir, file), await readFile(file, 'latin1'));
  }
  return out;
}

/** Sends exact bytes and returns the status code of the answer (0 when the host just closed). */
function rawRequest(port: number, bytes: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(bytes));
    let answer = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0)));
    socket.on('error', reject);
  });
}

type Outcome = { status: number; body?: any } | { frame: any } | { close: number };

interface Case {
  name: string;
  send: () => Promise<Outcome>;
  /** an HTTP status, 'error' for an error frame, or { close } for a closed socket */
  expect: number | 'error' | { close: number };
  check?: (outcome: any) => void;
}

describe('bad input', () => {
  let host: TestHost;
  let t: TestTerminal;
  let anonymous: TestTerminal;
  let watcher: TestSocket;
  const open: WebSocket[] = [];

  before(async () => {
    host = await startHost(appDir);
    t = new TestTerminal(host.url);
    await t.login('alice', 'secret');
    anonymous = await new TestTerminal(host.url).open('/login');
    const seed = await t.action('/action/receipt-add', { name: 'Исходная позиция' });
    assert.equal(seed.status, 200);
    await t.action('/action/cart-add', { name: 'Исходная корзина' });
    await t.action('/action/stats-bump', { amount: 1 });
    const bob = new TestTerminal(host.url);
    await bob.login('bob', 'secret');
    watcher = await bob.socket();
    assert.equal((await watcher.subscribe('receipt-ch')).type, 'subscribed');
  });
  after(async () => {
    for (const ws of open) ws.terminate();
    watcher?.close();
    await host.stop();
  });

  const post = (route: string, raw: string, contentType = 'application/json', headers: Record<string, string> = {}) =>
    t.action(route, null, { raw, contentType, headers });

  /** Sends one frame on a fresh socket of the logged-in terminal; resolves with the answer or the close. */
  async function frame(data: string | Buffer, binary = false): Promise<Outcome> {
    const socket = await t.socket();
    open.push(socket.ws);
    const closed = new Promise<Outcome>((resolve) => socket.ws.once('close', (code) => resolve({ close: code })));
    socket.ws.send(data, { binary });
    const answer = socket.next((f) => f.type === 'error' || f.type === 'subscribed' || f.event).then((f) => ({ frame: f }));
    return Promise.race([answer, closed]);
  }

  const cases: Case[] = [
    // bodies
    { name: 'truncated JSON', expect: 400, send: () => post('/action/receipt-add', '{"name":') },
    { name: 'JSON with trailing garbage', expect: 400, send: () => post('/action/receipt-add', '{"name":"a"} x') },
    { name: 'not JSON at all', expect: 400, send: () => post('/action/receipt-add', 'nope') },
    { name: 'body is an array', expect: 422, send: () => post('/action/receipt-add', '[1,2,3]') },
    { name: 'body is a string', expect: 422, send: () => post('/action/receipt-add', '"Хлеб"') },
    { name: 'body is null', expect: 422, send: () => post('/action/receipt-add', 'null') },
    { name: 'name is a number', expect: 422, send: () => t.action('/action/receipt-add', { name: 42 }) },
    { name: 'name is an object', expect: 422, send: () => t.action('/action/receipt-add', { name: { toString: 'x' } }) },
    { name: 'name is empty', expect: 422, send: () => t.action('/action/receipt-add', { name: '   ' }) },
    { name: 'name is too long', expect: 422, send: () => t.action('/action/receipt-add', { name: 'я'.repeat(101) }) },
    { name: 'name is missing', expect: 422, send: () => t.action('/action/receipt-add', {}) },
    {
      name: '__proto__ in the body pollutes nothing',
      expect: 422,
      send: () => post('/action/receipt-add', '{"__proto__":{"polluted":"yes","name":"x"},"constructor":{"prototype":{"polluted":"yes"}}}'),
      check: () => assert.equal(({} as Record<string, unknown>).polluted, undefined),
    },
    { name: 'amount is a string', expect: 422, send: () => t.action('/action/stats-bump', { amount: '5' }) },
    { name: 'amount overflows to Infinity', expect: 422, send: () => post('/action/stats-bump', '{"amount":1e400}') },
    { name: 'body over 1 MB', expect: 413, send: () => t.action('/action/receipt-add', { name: 'x'.repeat(1_100_000) }) },
    { name: 'JSON nested 100 000 deep', expect: 422, send: () => post('/action/receipt-add', '['.repeat(100_000) + ']'.repeat(100_000)) },
    { name: 'text/plain body', expect: 415, send: () => post('/action/receipt-add', 'name=x', 'text/plain') },
    { name: 'multipart body', expect: 415, send: () => post('/action/receipt-add', '--b\r\n\r\nx\r\n--b--', 'multipart/form-data; boundary=b') },
    { name: 'JSON declared as UTF-7', expect: 415, send: () => post('/action/receipt-add', '{"name":"+ADw-x"}', 'application/json; charset=utf-7') },
    { name: 'JSON in an unsupported charset', expect: 415, send: () => post('/action/receipt-add', '{"name":"x"}', 'application/json; charset=latin1') },
    {
      name: 'gzip-encoded body that is not gzip',
      expect: 400,
      send: () => post('/action/receipt-add', 'not gzip at all', 'application/json', { 'content-encoding': 'gzip' }),
    },
    { name: 'form body with array-style keys', expect: 422, send: () => post('/action/receipt-add', 'name[]=a&name[]=b', 'application/x-www-form-urlencoded') },
    // routes and methods
    { name: 'unknown action', expect: 404, send: () => t.action('/action/nope', {}) },
    { name: 'PUT on an action', expect: 405, send: () => t.action('PUT /action/receipt-add', { name: 'x' }) },
    { name: 'DELETE on a page', expect: 405, send: () => t.action('DELETE /', {}) },
    { name: 'GET on an action', expect: 405, send: () => t.action('GET /action/receipt-add') },
    { name: 'HEAD on an action', expect: 405, send: () => fetch(host.url + '/action/receipt-add', { method: 'HEAD' }).then((r) => ({ status: r.status })) },
    { name: 'internal route called directly', expect: 403, send: () => t.action('/recalc', {}) },
    { name: 'dot segments in the path', expect: 404, send: () => rawRequest(host.port, 'GET /../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n').then((status) => ({ status })) },
    { name: 'encoded dot segments', expect: 404, send: () => rawRequest(host.port, 'GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n').then((status) => ({ status })) },
    { name: 'broken percent-encoding', expect: 404, send: () => t.action('/action/%E0%A4%A', { name: 'x' }) },
    {
      name: 'Host of another site (DNS rebinding)',
      expect: 403,
      send: () => rawRequest(host.port, `GET /login HTTP/1.1\r\nHost: evil.example:${host.port}\r\n\r\n`).then((status) => ({ status })),
    },
    {
      name: 'action under another site’s Host and matching Origin',
      expect: 403,
      send: async () => {
        // fetch will not send a Host of its choosing; node:http will
        const rebound = new Device(host.url);
        for (const [name, value] of t.cookies) rebound.cookies.set(name, value);
        rebound.csrf = t.csrf;
        const answer = await rebound.action('/action/receipt-add', { name: 'x' }, { host: `evil.example:${host.port}`, origin: `http://evil.example:${host.port}` });
        return { status: answer.status, body: answer.json };
      },
      check: (outcome) => assert.match(outcome.body.error.message, /Host: evil\.example/),
    },
    { name: 'garbage request line', expect: 400, send: () => rawRequest(host.port, 'HELLO THERE\r\n\r\n').then((status) => ({ status })) },
    { name: 'URL longer than the header limit', expect: 431, send: () => fetch(host.url + '/?' + 'q'.repeat(20_000)).then((r) => ({ status: r.status })) },
    { name: 'cookie longer than the header limit', expect: 431, send: () => t.action('/action/receipt-add', { name: 'x' }, { headers: { cookie: 'a=' + 'b'.repeat(20_000) } }) },
    // guards
    { name: 'missing CSRF token', expect: 403, send: () => t.action('/action/receipt-add', { name: 'x' }, { csrf: null }) },
    { name: 'wrong CSRF token', expect: 403, send: () => t.action('/action/receipt-add', { name: 'x' }, { csrf: 'x'.repeat(43) }) },
    { name: 'foreign Origin', expect: 403, send: () => t.action('/action/receipt-add', { name: 'x' }, { headers: { origin: 'http://evil.example' } }) },
    { name: 'unparsable Origin', expect: 403, send: () => t.action('/action/receipt-add', { name: 'x' }, { headers: { origin: '::::' } }) },
    { name: 'not logged in', expect: 401, send: () => anonymous.action('/action/receipt-add', { name: 'x' }) },
    {
      name: 'forged terminal cookie',
      expect: 401,
      send: () => anonymous.action('/action/receipt-add', { name: 'x' }, { headers: { cookie: 'sok_terminal=local|till|x.forged' } }),
      check: (outcome) => {
        const issued = outcome.headers.getSetCookie().find((c: string) => c.startsWith('sok_terminal='));
        assert.ok(issued && !issued.includes('forged'), 'the forged identity was not replaced by a fresh one');
      },
    },
    {
      name: 'forged socket id on an invalid body',
      expect: 422,
      send: () => t.action('/action/receipt-add', { name: 7 }, { socketId: 'f'.repeat(4000) }),
    },
    // frames
    { name: 'frame that is not JSON', expect: 'error', send: () => frame('{subscribe') },
    { name: 'frame that is a number', expect: 'error', send: () => frame('5') },
    { name: 'frame that is null', expect: 'error', send: () => frame('null') },
    { name: 'frame that is an array', expect: 'error', send: () => frame('[{"type":"subscribe","channel":"receipt-ch"}]') },
    { name: 'frame of an unknown type', expect: 'error', send: () => frame('{"type":"publish","channel":"receipt-ch"}') },
    { name: 'subscribe without a channel', expect: 'error', send: () => frame('{"type":"subscribe"}') },
    { name: 'channel that is not a string', expect: 'error', send: () => frame('{"type":"subscribe","channel":["receipt-ch"]}') },
    { name: 'unknown channel', expect: 'error', send: () => frame('{"type":"subscribe","channel":"everything"}') },
    { name: 'channel named __proto__', expect: 'error', send: () => frame('{"type":"subscribe","channel":"__proto__"}') },
    { name: 'binary frame', expect: 'error', send: () => frame(Buffer.from('{"type":"subscribe","channel":"receipt-ch"}'), true) },
    { name: 'frame over 64 KiB', expect: { close: 1009 }, send: () => frame(JSON.stringify({ type: 'subscribe', channel: 'y'.repeat(70_000) })) },
    { name: 'text frame with invalid UTF-8', expect: { close: 1007 }, send: () => frame(Buffer.from([0x7b, 0xff, 0xfe, 0x7d])) },
    // upgrades
    { name: 'upgrade without any cookie', expect: 403, send: () => attemptUpgrade(host.url) },
    { name: 'upgrade from a foreign Origin', expect: 403, send: () => attemptUpgrade(host.url, { headers: { cookie: t.cookieHeader(), origin: 'http://evil.example' } }) },
    {
      name: 'upgrade under another site’s Host and matching Origin',
      expect: 403,
      send: () =>
        attemptUpgrade(host.url, { headers: { cookie: t.cookieHeader(), host: `evil.example:${host.port}`, origin: `http://evil.example:${host.port}` } }),
      check: (outcome) => assert.match(outcome.body, /unknown host name/),
    },
    { name: 'upgrade with a forged terminal cookie', expect: 403, send: () => attemptUpgrade(host.url, { headers: { cookie: 'sok_terminal=local|x|y.zzz', origin: host.url } }) },
  ];

  it('has at least 30 cases', () => assert.ok(cases.length >= 30, `${cases.length} cases`));

  for (const c of cases) {
    it(`${c.name} → ${typeof c.expect === 'object' ? `close ${c.expect.close}` : c.expect}`, async () => {
      const before = await snapshot(host);
      const outcome = (await c.send()) as any;
      if (typeof c.expect === 'number') {
        assert.equal(outcome.status, c.expect, JSON.stringify(outcome.body ?? outcome).slice(0, 300));
        if (outcome.body && typeof outcome.body === 'object' && outcome.status >= 400) {
          assert.equal(typeof outcome.body.error?.message, 'string', 'an error body says what happened');
        }
        assert.deepEqual(outcome.frames ?? [], [], 'a refused upgrade received frames');
      } else if (c.expect === 'error') {
        assert.equal(outcome.frame?.type, 'error', JSON.stringify(outcome));
        assert.equal(typeof outcome.frame.message, 'string');
      } else {
        assert.deepEqual(outcome, c.expect);
      }
      c.check?.(outcome);
      assert.deepEqual(await snapshot(host), before, 'stored data changed');
      assert.equal((await fetch(host.url + '/__health')).status, 200);
    });
  }

  it('still serves pages, actions and notifications after all of it', async () => {
    assert.equal((await t.get('/')).status, 200);
    const added = await t.action('/action/receipt-add', { name: 'После всего' });
    assert.equal(added.status, 200);
    await watcher.next((f) => f.event === 'receipt-changed' && f.payload.items.some((i: { name: string }) => i.name === 'После всего'));
    await host.flushed();
    const receipt = JSON.parse(await readFile(path.join(host.dataDir, 'receipt.json'), 'utf8'));
    assert.deepEqual(receipt.items, [{ name: 'Исходная позиция' }, { name: 'После всего' }]);
  });
});
