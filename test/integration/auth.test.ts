// Auth over real HTTP and WebSocket (test/fixtures/auth-app): sessions (fixation, logout, expiry), CSRF,
// Origin, the login rate limit, the user object without its password hash, route protection by default
// and roles, and LAN devices (unpaired refused, paired admitted, revoked cut off).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import WebSocket from 'ws';
import { fixtures, startHost, type TestHost } from '../helpers/host.js';
import { TestTerminal, allArrived } from '../helpers/http-client.js';
import { attemptUpgrade, closedWithin, Device } from '../helpers/device.js';

const appDir = path.join(fixtures, 'auth-app');
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

async function loggedIn(host: TestHost, login: string): Promise<TestTerminal> {
  const t = new TestTerminal(host.url);
  const result = await t.login(login, 'secret');
  assert.deepEqual(result.body, { redirect: { url: '/', full: true } }, `login as ${login}`);
  return t;
}

/** A request with only the given cookies (what a thief or an old tab would send). */
function withCookies(host: TestHost, cookies: Record<string, string>): TestTerminal {
  const t = new TestTerminal(host.url);
  for (const [name, value] of Object.entries(cookies)) t.cookies.set(name, value);
  return t;
}

describe('auth', () => {
  let host: TestHost;
  const stored = async (name: string) => (await host.flushed(), readFile(path.join(host.dataDir, `${name}.json`), 'utf8').catch(() => ''));

  before(async () => {
    host = await startHost(appDir);
  });
  after(() => host.stop());

  it('prevents session fixation: the id changes at login and a planted id is never the one after', async () => {
    const t = await new TestTerminal(host.url).open('/login');
    const planted = 'planted-by-someone-else-0123456789abcdef';
    t.cookies.set('session_id', planted);
    await t.login('alice', 'secret');
    const first = t.cookies.get('session_id')!;
    assert.ok(first && first !== planted);
    assert.equal((await t.get('/')).status, 200);
    const plantedOnly = withCookies(host, { sok_terminal: t.cookies.get('sok_terminal')!, session_id: planted });
    assert.equal((await plantedOnly.get('/')).status, 302);

    // logging in again (another user on the same till) starts another session and ends the first
    await t.login('root', 'secret');
    const second = t.cookies.get('session_id')!;
    assert.notEqual(second, first);
    const old = withCookies(host, { sok_terminal: t.cookies.get('sok_terminal')!, session_id: first });
    assert.equal((await old.get('/')).status, 302);
    assert.match((await t.get('/')).text, /id="login-name">root</);
  });

  it('logout ends the session on the server: the old cookie opens nothing, over HTTP or WebSocket', async () => {
    const t = await loggedIn(host, 'alice');
    const token = t.cookies.get('session_id')!;
    const terminal = t.cookies.get('sok_terminal')!;
    assert.match(await stored('session'), new RegExp(sha256(token)), 'the store keeps the hash of the session token');
    assert.doesNotMatch(await stored('session'), new RegExp(token), 'the store never keeps the token itself');

    const out = await t.action('/auth/logout');
    assert.deepEqual(out.body, { redirect: { url: '/login', full: true } });
    assert.doesNotMatch(await stored('session'), new RegExp(sha256(token)));

    const replay = withCookies(host, { sok_terminal: terminal, session_id: token });
    const page = await replay.get('/');
    assert.equal(page.status, 302);
    assert.equal(page.headers.get('location'), '/login');
    await replay.get('/login');
    const action = await replay.action('/action/note', { text: 'после выхода' });
    assert.equal(action.status, 401);
    assert.equal(action.body.redirect, '/login');
    const socket = await replay.socket();
    assert.equal((await socket.subscribe('notes-ch')).type, 'error');
    socket.close();
  });

  it('refuses CSRF tokens that are missing, wrong, from another session or from before the login', async () => {
    const t = await new TestTerminal(host.url).open('/login');
    const beforeLogin = t.csrf;
    await t.login('alice', 'secret');
    const other = await loggedIn(host, 'carol');
    const before = await stored('notes');
    for (const csrf of [null, '', 'forged', beforeLogin, other.csrf]) {
      const result = await t.action('/action/note', { text: 'csrf' }, { csrf });
      assert.equal(result.status, 403, `csrf ${JSON.stringify(csrf)}`);
      assert.match(result.body.error.message, /CSRF/);
    }
    // a form field named _csrf is the same check
    const inBody = await t.action('/action/note', { text: 'csrf', _csrf: 'forged' }, { csrf: null });
    assert.equal(inBody.status, 403);
    assert.equal(await stored('notes'), before);
    const ok = await t.action('/action/note', { text: 'с токеном' });
    assert.equal(ok.status, 200);
  });

  it('refuses a foreign Origin on actions and on the WebSocket upgrade', async () => {
    const t = await loggedIn(host, 'alice');
    const before = await stored('notes');
    const foreign = await t.action('/action/note', { text: 'x' }, { headers: { origin: 'http://evil.example' } });
    assert.equal(foreign.status, 403);
    assert.match(foreign.body.error.message, /Origin/);
    const crossSite = await t.action('/action/note', { text: 'x' }, { headers: { 'sec-fetch-site': 'cross-site' } });
    assert.equal(crossSite.status, 403);
    const nullOrigin = await t.action('/action/note', { text: 'x' }, { headers: { origin: 'null' } });
    assert.equal(nullOrigin.status, 403);
    assert.equal(await stored('notes'), before);

    const upgrade = await attemptUpgrade(host.url, { headers: { cookie: t.cookieHeader(), origin: 'http://evil.example' } });
    assert.equal(upgrade.status, 403);
    assert.match(upgrade.body, /origin/i);
    assert.deepEqual(upgrade.frames, []);
    const sameOrigin = await attemptUpgrade(host.url, { headers: { cookie: t.cookieHeader(), origin: host.url } });
    assert.equal(sameOrigin.status, 101);
  });

  it('keeps the password hash out of rendered templates and out of action code', async () => {
    const t = await loggedIn(host, 'alice');
    const page = await t.get('/');
    assert.equal(page.status, 200);
    assert.match(page.text, /id="login-name">alice</);
    assert.match(page.text, /<span id="hash"><\/span>/);
    assert.doesNotMatch(page.text, /passwordHash|\$2[aby]\$/);
    assert.match(page.text, /<pre id="user-json">\{"login":"alice","name":"Алиса","role":"cashier"\}<\/pre>/);

    const result = await t.action('/action/whoami');
    assert.equal(result.status, 200, JSON.stringify(result.body));
    const seen = JSON.parse(await stored('seen'));
    const visible = { login: 'alice', name: 'Алиса', role: 'cashier' };
    assert.deepEqual(seen.fromStep, visible);
    assert.deepEqual(seen.fromRun, visible);
    assert.deepEqual(seen.runKeys.sort(), ['login', 'name', 'role']);
    assert.doesNotMatch(await stored('seen'), /\$2[aby]\$/);
  });

  it('protects every route by default; public routes stay open; roles answer 403', async () => {
    const anonymous = await new TestTerminal(host.url).open('/login');
    const home = await anonymous.get('/');
    assert.equal(home.status, 302);
    assert.equal(home.headers.get('location'), '/login');
    const spa = await anonymous.get('/', { 'X-Requested-With': 'ServerokeySPA' });
    assert.deepEqual(JSON.parse(spa.text), { redirect: '/login' });
    assert.equal((await anonymous.get('/info')).status, 200);
    assert.equal((await anonymous.get('/admin')).status, 302);
    const before = await stored('notes');
    const action = await anonymous.action('/action/note', { text: 'аноним' });
    assert.equal(action.status, 401);
    assert.deepEqual(action.body.redirect, '/login');
    assert.equal((await anonymous.action('/action/public-ping')).status, 200);
    assert.equal((await anonymous.action('/auth/logout')).status, 401);

    const cashier = await loggedIn(host, 'alice');
    const admin = await loggedIn(host, 'root');
    const page = await cashier.get('/admin');
    assert.equal(page.status, 403);
    const refused = await cashier.action('/action/admin-note', { text: 'кассир' });
    assert.equal(refused.status, 403);
    assert.match(refused.body.error.message, /admin/);
    assert.equal(await stored('notes'), before);
    assert.equal((await admin.get('/admin')).status, 200);
    assert.equal((await admin.action('/action/admin-note', { text: 'админ' })).status, 200);
    assert.match(await stored('notes'), /admin: админ/);
  });

  it('limits logins: after 5 failures for one identity the next attempt gets 429 with a clear message', async () => {
    const attacker = await new TestTerminal(host.url).open('/login');
    for (let i = 0; i < 5; i++) {
      const wrong = await attacker.action('/auth/login', { login: 'carol', password: `guess-${i}` });
      assert.deepEqual(wrong.body, { redirect: '/login?error=1' }, `attempt ${i + 1}`);
      assert.equal(attacker.cookies.has('session_id'), false);
    }
    const limited = await attacker.action('/auth/login', { login: 'carol', password: 'secret' });
    assert.equal(limited.status, 429);
    assert.match(limited.body.error.message, /Слишком много попыток входа. Повторите через \d+ мин/);
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    assert.equal(attacker.cookies.has('session_id'), false, 'the right password does not get through while limited');
    // the limit is per identity: another cashier at the same address still logs in
    await loggedIn(host, 'alice');
  });
});

describe('auth: session expiry (auth.session.idleMinutes = 0.02)', () => {
  let host: TestHost;
  // the host's clock: the test moves it past the idle limit instead of waiting for it to pass
  let now = Date.now();
  before(async () => {
    host = await startHost(path.join(appDir, 'short-session'), { clock: () => now });
  });
  after(() => host.stop());

  it('refuses an idle session over HTTP and WebSocket, and closes the socket it had open', async () => {
    const t = await loggedIn(host, 'alice');
    assert.equal((await t.get('/')).status, 200);
    const socket = await t.socket();
    assert.equal((await socket.subscribe('notes-ch')).type, 'subscribed');
    const closed = new Promise<number>((resolve) => socket.ws.once('close', (code) => resolve(code)));

    now += 0.02 * 60_000 + 1;
    const writer = await loggedIn(host, 'root');
    assert.equal((await writer.action('/action/note', { text: 'после простоя' })).status, 200);
    assert.equal(await closed, 4001, 'the socket of the expired session was not closed');
    assert.deepEqual(socket.events(), []);

    const page = await t.get('/');
    assert.equal(page.status, 302);
    assert.equal(page.headers.get('location'), '/login');
    const action = await t.action('/action/note', { text: 'после простоя' });
    assert.equal(action.status, 401);
    const again = await t.socket();
    assert.equal((await again.subscribe('notes-ch')).type, 'error');
    again.close();
  });
});

describe('auth: LAN devices', () => {
  let host: TestHost;
  // loopback stands in for the LAN: the host treats only 127.0.0.1 and ::1 as itself
  const LAN_ADDRESS = '127.0.0.2';

  before(async () => {
    host = await startHost(appDir, { lan: true, host: '127.0.0.1' });
  });
  after(() => host.stop());

  it('refuses an unpaired device on HTTP and WebSocket, even with a cookie the host gave a local browser', async () => {
    const device = new Device(host.url, LAN_ADDRESS);
    const page = await device.get('/', { accept: 'text/html' });
    assert.equal(page.status, 303);
    assert.equal(page.headers.location, '/__pair');
    const json = await device.get('/info', { accept: 'application/json' });
    assert.equal(json.status, 403);
    assert.equal(json.json.redirect, '/__pair');
    const action = await device.action('/action/public-ping', {});
    assert.equal(action.status, 403);
    assert.match(action.json.error.message, /\/__pair/);
    const upgrade = await attemptUpgrade(host.url, { localAddress: LAN_ADDRESS, headers: { origin: host.url } });
    assert.equal(upgrade.status, 403);
    assert.match(upgrade.body, /not paired/);
    assert.deepEqual(upgrade.frames, []);
    assert.equal((await device.get('/__terminals')).status, 403);

    // a terminal cookie issued to a browser on the host machine does not work from another address
    const local = await new TestTerminal(host.url).open('/login');
    device.cookies.set('sok_terminal', local.cookies.get('sok_terminal')!);
    assert.equal((await device.get('/', { accept: 'text/html' })).status, 303);
    const borrowed = await attemptUpgrade(host.url, { localAddress: LAN_ADDRESS, headers: { origin: host.url, cookie: device.cookieHeader() } });
    assert.equal(borrowed.status, 403);

    const wrongCode = await new Device(host.url, LAN_ADDRESS).pair('not-the-code', 'Планшет');
    assert.equal(wrongCode.status, 403);
    assert.match(wrongCode.text, /Неверный или просроченный код/);
  });

  it('makes a device that keeps guessing codes wait, without dropping the code for everyone else', async () => {
    const { code } = host.terminals.pairingCode();
    const guesser = new Device(host.url, '127.0.0.3');
    for (let i = 0; i < 5; i++) {
      const wrong = String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');
      assert.equal((await guesser.pair(wrong, 'Угадайка')).status, 403);
    }
    const late = await guesser.pair(code, 'Угадайка');
    assert.equal(late.status, 429, 'the guessing device tried again at once');
    assert.match(late.text, /Слишком много неверных кодов с этого устройства/);
    assert.equal(guesser.cookies.has('sok_terminal'), false);
    assert.equal(host.terminals.pairingCode().code, code, 'one device dropped the code for everyone');
    const device = new Device(host.url, '127.0.0.4');
    assert.equal((await device.pair(code, 'Новый код')).status, 303);
    assert.ok(host.terminals.list().some((t) => t.name === 'Новый код'));
  });

  it('pairs a device that then works and joins channels; revoking it cuts it off within one second', async () => {
    const device = new Device(host.url, LAN_ADDRESS);
    const paired = await device.pair(host.terminals.pairingCode().code, 'Планшет');
    assert.equal(paired.status, 303);
    assert.equal(paired.headers.location, '/');
    assert.ok(device.cookies.has('sok_terminal'));
    const info = host.terminals.list().find((t) => t.name === 'Планшет' && !t.revoked);
    assert.ok(info, 'the paired device is listed');

    assert.deepEqual((await device.login('alice', 'secret')).json, { redirect: { url: '/', full: true } });
    assert.equal((await device.get('/', { accept: 'text/html' })).status, 200);
    const ws = device.socket();
    const frames: any[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(d.toString())));
    await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
    ws.send(JSON.stringify({ type: 'subscribe', channel: 'notes-ch' }));
    const writer = await loggedIn(host, 'root');
    await allArrived(ws);
    assert.ok(frames.some((f) => f.type === 'subscribed'));
    await writer.action('/action/note', { text: 'для планшета' });
    await allArrived(ws);
    assert.ok(frames.some((f) => f.event === 'notes-changed'));

    // a manager on the host machine revokes it from the terminals page
    const admin = await loggedIn(host, 'root');
    const list = await admin.get('/__terminals');
    assert.equal(list.status, 200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(list.text)![1];
    // measures time itself: the requirement is a cut-off within one second
    const closed = closedWithin(ws, 1000);
    const revoke = await fetch(host.url + '/__terminals/revoke', {
      method: 'POST',
      headers: { cookie: admin.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, id: info!.id }).toString(),
      redirect: 'manual',
    });
    assert.equal(revoke.status, 303);
    assert.equal(await closed, 4003);
    assert.equal(host.terminals.list().find((t) => t.id === info!.id)?.revoked, true);

    assert.equal((await device.get('/', { accept: 'text/html' })).status, 303);
    assert.equal((await device.action('/action/note', { text: 'после отключения' })).status, 403);
    const upgrade = await attemptUpgrade(host.url, { localAddress: LAN_ADDRESS, headers: { origin: host.url, cookie: device.cookieHeader() } });
    assert.equal(upgrade.status, 403);
    const before = frames.length;
    await writer.action('/action/note', { text: 'никому' });
    // the socket is closed (above): nothing can arrive on it any more
    assert.equal(frames.length, before);
    assert.equal(ws.readyState, WebSocket.CLOSED);
  });
});
