// Issue 15 ("Security, second round") over real HTTP: over-long login names are refused early (finding 1),
// a lockout holds back the guessing source and not the real cashier (2), sessions belong to their
// terminal and end when it is revoked (3), the terminals page is for a manager (4), a device that keeps
// guessing pairing codes waits and the host screen is told when a code is dropped (5), device names are
// cut by characters and checked before saving (6), and 500 answers carry an id instead of internals (9).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { fixtures, projectRoot, startHost, type TestHost } from '../helpers/host.js';
import { TestTerminal } from '../helpers/http-client.js';
import { Device } from '../helpers/device.js';

const authApp = path.join(fixtures, 'auth-app');
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** A desktop till window: its terminal cookie comes from the host (kind "local"), as Electron sets it. */
async function desktopWindow(host: TestHost, id: string): Promise<TestTerminal> {
  const t = new TestTerminal(host.url);
  const cookie = host.terminalCookie({ id, name: `Касса ${id}` });
  t.cookies.set(cookie.name, cookie.value);
  return t.open('/login');
}

async function loggedIn(host: TestHost, login: string): Promise<TestTerminal> {
  const t = new TestTerminal(host.url);
  const result = await t.login(login, 'secret');
  assert.deepEqual(result.body, { redirect: { url: '/', full: true } }, `login as ${login}`);
  return t;
}

describe('security: logins, sessions and the terminals page (auth-app, loopback)', () => {
  let host: TestHost;
  before(async () => {
    host = await startHost(authApp);
  });
  after(() => host.stop());

  it('refuses over-long login names early, with a message, before anything is counted or remembered', async () => {
    const t = await new TestTerminal(host.url).open('/login');
    // a 900 KB name is refused by the size of the body, before it is read
    const huge = await t.action('/auth/login', { login: 'x'.repeat(900 * 1024), password: 'secret' });
    assert.equal(huge.status, 413);
    assert.match(huge.body.error.message, /Слишком длинные данные для входа/);
    // a name past the limit in a small body: 400 naming the field
    const long = await t.action('/auth/login', { login: 'x'.repeat(1000), password: 'secret' });
    assert.equal(long.status, 400);
    assert.match(long.body.error.message, /Слишком длинное имя пользователя/);
    assert.ok(long.body.error.fields.login);
    // refused names are not failures: the same terminal still logs in
    assert.deepEqual((await t.login('alice', 'secret')).body, { redirect: { url: '/', full: true } });
  });

  it('holds back the guessing source, not the real cashier: desktop windows are never locked out by others', async () => {
    const attacker = await new TestTerminal(host.url).open('/login');
    for (let i = 0; i < 5; i++) {
      assert.deepEqual((await attacker.action('/auth/login', { login: 'carol', password: `guess-${i}` })).body, { redirect: '/login?error=1' });
    }
    assert.equal((await attacker.action('/auth/login', { login: 'carol', password: 'secret' })).status, 429, 'the guessing terminal waits');
    const till = await desktopWindow(host, 'kassa-1');
    assert.deepEqual((await till.login('carol', 'secret')).body, { redirect: { url: '/', full: true } }, 'the real cashier was locked out');

    // fresh browser terminals (free to get on the host machine) share one budget per account: brute force stays slow
    for (let i = 0; i < 5; i++) {
      const fresh = await new TestTerminal(host.url).open('/login');
      assert.deepEqual((await fresh.action('/auth/login', { login: 'carol', password: `fresh-${i}` })).body, { redirect: '/login?error=1' });
    }
    const eleventh = await new TestTerminal(host.url).open('/login');
    const limited = await eleventh.action('/auth/login', { login: 'carol', password: 'secret' });
    assert.equal(limited.status, 429);
    assert.match(limited.body.error.message, /Слишком много попыток входа/);
    // ... while the desktop window, and another account from a browser, still log in
    const again = await desktopWindow(host, 'kassa-1');
    assert.deepEqual((await again.login('carol', 'secret')).body, { redirect: { url: '/', full: true } });
    await loggedIn(host, 'alice');
  });

  it('binds a session to its terminal: the cookie opens nothing with another terminal', async () => {
    const a = await loggedIn(host, 'alice');
    const b = await new TestTerminal(host.url).open('/login');
    const borrowed = new TestTerminal(host.url);
    borrowed.cookies.set('sok_terminal', b.cookies.get('sok_terminal')!);
    borrowed.cookies.set('session_id', a.cookies.get('session_id')!);
    const page = await borrowed.get('/');
    assert.equal(page.status, 302, 'a session made on terminal A opened a page on terminal B');
    assert.equal(page.headers.get('location'), '/login');
    const socket = await borrowed.socket();
    assert.equal((await socket.subscribe('notes-ch')).type, 'error');
    socket.close();
    assert.equal((await a.get('/')).status, 200, 'the owner keeps the session');
  });

  it('lets only the terminals roles (admin, manager by default) open the terminals page and revoke', async () => {
    const anonymous = await new TestTerminal(host.url).open('/login');
    const page = await anonymous.get('/__terminals');
    assert.equal(page.status, 303);
    assert.equal(page.headers.get('location'), '/login?next=%2F__terminals');
    const cashier = await loggedIn(host, 'alice');
    const asCashier = await cashier.get('/__terminals');
    assert.equal(asCashier.status, 303, 'a cashier sees the pairing code');
    assert.doesNotMatch(asCashier.text, /pairing-code/);

    const admin = await loggedIn(host, 'root');
    const asAdmin = await admin.get('/__terminals');
    assert.equal(asAdmin.status, 200);
    assert.match(asAdmin.text, /id="pairing-code">\d{6}</);
    assert.match(asAdmin.text, /его входы в систему завершаются/, 'the page says what revoking does');

    // revoking is the manager's too: a cashier's form post is refused and changes nothing
    const device = new Device(host.url, '127.0.0.1');
    const pairedId = await (async () => {
      const lanHost = host.terminals;
      const { code } = lanHost.pairingCode();
      // loopback pairing stands in for a device; the registry is the same
      assert.equal((await device.pair(code, 'Для отзыва')).status, 303);
      return lanHost.list().find((t) => t.name === 'Для отзыва')!.id;
    })();
    const revokeAs = (t: TestTerminal, csrf: string) =>
      fetch(host.url + '/__terminals/revoke', {
        method: 'POST',
        headers: { cookie: t.cookieHeader(), 'content-type': 'application/x-www-form-urlencoded', origin: host.url },
        body: new URLSearchParams({ _csrf: csrf, id: pairedId }).toString(),
        redirect: 'manual',
      });
    const refused = await revokeAs(cashier, cashier.csrf);
    assert.equal(refused.status, 403);
    assert.match(await refused.text(), /только admin или manager/);
    assert.equal(host.terminals.list().find((t) => t.id === pairedId)?.revoked, undefined);
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await admin.get('/__terminals')).text)![1];
    assert.equal((await revokeAs(admin, csrf)).status, 303);
    assert.equal(host.terminals.list().find((t) => t.id === pairedId)?.revoked, true);
  });
});

describe('security: LAN devices (auth-app in LAN mode; 127.0.0.x stand in for devices)', () => {
  let host: TestHost;
  const stored = async (name: string) => (await host.flushed(), readFile(path.join(host.dataDir, `${name}.json`), 'utf8').catch(() => ''));
  before(async () => {
    host = await startHost(authApp, { lan: true, host: '127.0.0.1' });
  });
  after(() => host.stop());

  it('revoking a device ends its logins: gone from the store, refused on any terminal', async () => {
    const device = new Device(host.url, '127.0.0.20');
    assert.equal((await device.pair(host.terminals.pairingCode().code, 'Планшет менеджера')).status, 303);
    assert.deepEqual((await device.login('root', 'secret')).json, { redirect: { url: '/', full: true } });
    const token = decodeURIComponent(device.cookies.get('session_id')!);
    assert.match(await stored('session'), new RegExp(sha256(token)));

    const info = host.terminals.list().find((t) => t.name === 'Планшет менеджера')!;
    assert.equal(await host.terminals.revoke(info.id), true);
    assert.doesNotMatch(await stored('session'), new RegExp(sha256(token)), 'the revoked device’s session is still stored');
    // its session cookie with a terminal of the host machine opens nothing either
    const local = await new TestTerminal(host.url).open('/login');
    local.cookies.set('session_id', device.cookies.get('session_id')!);
    assert.equal((await local.get('/admin')).status, 302);
  });

  it('tells the terminals page when a code was dropped after wrong tries from many devices, and why', async () => {
    const { code } = host.terminals.pairingCode();
    const wrong = (i: number) => String((Number(code) + 1 + i) % 1_000_000).padStart(6, '0');
    let tries = 0;
    for (let device = 0; device < 4; device++) {
      const guesser = new Device(host.url, `127.0.0.${30 + device}`);
      for (let i = 0; i < 5; i++) assert.equal((await guesser.pair(wrong(tries++), 'Угадайка')).status, 403);
    }
    assert.notEqual(host.terminals.pairingCode().code, code, 'the code survived 20 wrong tries');
    const admin = await loggedIn(host, 'root');
    const page = await admin.get('/__terminals');
    assert.equal(page.status, 200);
    assert.match(page.text, /id="code-discarded"[^>]*>Предыдущий код отменён в [\d:]+: 20 неверных попыток ввода с 127\.0\.0\.30, 127\.0\.0\.31, 127\.0\.0\.32, 127\.0\.0\.33/);
    assert.equal(/id="pairing-code">(\d{6})</.exec(page.text)?.[1], host.terminals.pairingCode().code);
  });

  it('cuts a device name at a whole character, refuses a broken one (400), and never lists a half-made terminal', async () => {
    // 59 letters and an emoji: 61 UTF-16 units, 60 characters; cutting at 60 units split the emoji (a 500)
    const name = `${'а'.repeat(59)}😀`;
    const device = new Device(host.url, '127.0.0.41');
    const paired = await device.pair(host.terminals.pairingCode().code, name);
    assert.equal(paired.status, 303, paired.text.slice(0, 300));
    assert.equal(host.terminals.list().find((t) => t.name.startsWith('ааа'))?.name, name);
    assert.equal((await device.get('/info', { accept: 'text/html' })).status, 200, 'the paired device works');
    const longer = new Device(host.url, '127.0.0.42');
    assert.equal((await longer.pair(host.terminals.pairingCode().code, `${'б'.repeat(60)}👍🏽`)).status, 303);
    assert.equal(host.terminals.list().find((t) => t.name.startsWith('ббб'))?.name, 'б'.repeat(60));

    // a right-to-left override would show the name reversed on the host screen: refused, the code kept
    const before = host.terminals.list().length;
    const { code } = host.terminals.pairingCode();
    const refused = await new Device(host.url, '127.0.0.40').pair(code, 'Касса \u202E2');
    assert.equal(refused.status, 400);
    assert.match(refused.text, /управляющие символы/);
    assert.equal(host.terminals.list().length, before, 'a terminal was listed for a refused pairing');
    assert.equal(host.terminals.pairingCode().code, code, 'a refused name used up the code');
  });
});

describe('security: 500 answers carry an id, the log the details (http-app)', () => {
  let host: TestHost;
  before(async () => {
    host = await startHost(path.join(fixtures, 'http-app'));
  });
  after(() => host.stop());

  it('answers a failing expression with an id and no source or step path; the log has both under that id', async (t) => {
    const logged: string[] = [];
    t.mock.method(console, 'error', (line: unknown) => void logged.push(String(line)));
    const till = await new TestTerminal(host.url).open('/');
    const answer = await till.action('/action/crash');
    assert.equal(answer.status, 500);
    const { error } = answer.body;
    assert.equal(error.step, undefined, 'the step path was sent to the client');
    assert.doesNotMatch(error.message, /toFixed|data\.counter|routes\[/, 'the expression was sent to the client');
    const id = /код ошибки ([0-9a-f]{8})/.exec(error.message)?.[1];
    assert.ok(id, error.message);
    const line = logged.find((l) => l.includes(`[${id}]`));
    assert.ok(line, `no log line with the id; log: ${logged.join('\n')}`);
    assert.match(line, /routes\["POST \/action\/crash"\]\.steps\[1\]\.to/);
    assert.match(line, /data\.counter\.value\.toFixed\(-5\)/);
  });
});

describe('security: apps/kassa sends a non-manager to log in as a manager for the terminals page', () => {
  let host: TestHost;
  before(async () => {
    host = await startHost(path.join(projectRoot, 'apps', 'kassa'));
  });
  after(() => host.stop());

  it('redirects to the login page, which brings a manager back to the terminals page', async () => {
    const till = await new TestTerminal(host.url).open('/login');
    const sent = await till.get('/__terminals');
    assert.equal(sent.status, 303);
    const login = await till.get(sent.headers.get('location')!);
    assert.match(login.text, /войдите как менеджер/);
    assert.match(login.text, /name="next" value="(\/|&#x2F;)__terminals"/, 'the form carries the return path');
    // a cashier is brought back and sent to log in again
    const cashier = await till.action('/auth/login', { login: 'kassir', password: '123', next: '/__terminals' });
    assert.deepEqual(cashier.body, { redirect: { url: '/__terminals', full: true } });
    assert.equal((await till.get('/__terminals')).status, 303);
    await till.get('/login?next=%2F__terminals');
    const manager = await till.action('/auth/login', { login: 'admin', password: 'admin', next: '/__terminals' });
    assert.deepEqual(manager.body, { redirect: { url: '/__terminals', full: true } });
    const page = await till.get('/__terminals');
    assert.equal(page.status, 200);
    assert.match(page.text, /id="pairing-code">\d{6}</);
    // only a path of this host is followed
    for (const next of ['//evil.example/', 'https://evil.example/', '/\t/evil.example']) {
      const other = await new TestTerminal(host.url).open('/login');
      assert.deepEqual((await other.action('/auth/login', { login: 'kassir', password: '123', next })).body, { redirect: { url: '/', full: true } }, next);
    }
  });
});
