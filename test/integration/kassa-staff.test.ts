// apps/kassa's staff screen over real HTTP and WebSocket: the manager creates cashiers and managers, resets
// passwords (bcrypt) and deactivates accounts; a reset or a deactivation ends the person's logins on every
// terminal at once (their windows are told to reload); bad input is refused beside its field with nothing
// written; a cashier gets 403; open self-registration is off.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import os from 'node:os';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import bcrypt from 'bcryptjs';
import { projectRoot, startHost, type TestHost } from '../helpers/host.js';
import { TestTerminal, type TestSocket } from '../helpers/http-client.js';

const appDir = path.join(projectRoot, 'apps', 'kassa');
type Person = { login: string; name: string; role: string; passwordHash: string; active?: boolean };

describe('kassa: the manager’s staff screen', () => {
  let host: TestHost;
  let manager: TestTerminal;
  /** what is stored for the accounts ('' until the first change: the seed lives in the manifest until then) */
  const storedUsers = () => host.storedText('user').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? '' : Promise.reject(error)));
  const people = async () => JSON.parse(await host.storedText('user')).items as Person[];

  before(async () => {
    host = await startHost(appDir);
    manager = new TestTerminal(host.url);
    await manager.login('admin', 'admin');
  });
  after(() => host.stop());

  /** A socket of a logged-in window, and a promise of the moment it is told to reload and closed. */
  async function window(terminal: TestTerminal): Promise<{ socket: TestSocket; ended: Promise<unknown> }> {
    const socket = await terminal.socket();
    const ended = Promise.all([socket.next((f) => f.type === 'reload'), once(socket.ws, 'close')]);
    return { socket, ended };
  }

  it('lists the staff without password hashes', async () => {
    const page = await manager.get('/staff');
    assert.equal(page.status, 200);
    assert.match(page.text, /data-login="kassir"/);
    assert.match(page.text, /data-login="admin"/);
    assert.doesNotMatch(page.text, /\$2[aby]\$/);
  });

  it('refuses bad accounts beside their field and writes nothing', async () => {
    const before = await storedUsers();
    const good = { login: 'sidorov', name: 'Сидоров С.С.', role: 'Кассир', password: 'secret' };
    for (const [fields, field, status, message] of [
      [{ login: 'a' }, 'login', 422, /Логин — от 2 до 32/],
      [{ login: 'пётр' }, 'login', 422, /Логин — от 2 до 32/],
      [{ name: '  ' }, 'name', 422, /Укажите имя/],
      [{ role: 'Директор' }, 'role', 422, /кассир или менеджер/],
      [{ password: '123' }, 'password', 422, /Пароль — от 4 до 64/],
      [{ login: 'kassir' }, 'login', 409, /Логин kassir уже занят/],
    ] as const) {
      const answer = await manager.action('/action/staff/create', { ...good, ...fields });
      assert.equal(answer.status, status, JSON.stringify(answer.body));
      assert.match(answer.body.error.message, message);
      assert.deepEqual(Object.keys(answer.body.error.fields), [field]);
    }
    assert.equal(await storedUsers(), before);
  });

  it('creates a cashier (bcrypt) who logs in', async () => {
    const answer = await manager.action('/action/staff/create', { login: 'sidorov', name: 'Сидоров С.С.', role: 'Кассир', password: 'secret' });
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.match(answer.body.html, /Сотрудник sidorov добавлен/);
    const stored = (await people()).find((p) => p.login === 'sidorov')!;
    assert.equal(stored.role, 'Кассир');
    assert.equal(stored.active, true);
    assert.ok(bcrypt.compareSync('secret', stored.passwordHash));
    const till = new TestTerminal(host.url);
    const login = await till.login('sidorov', 'secret');
    assert.deepEqual(login.body, { redirect: { url: '/', full: true } });
  });

  it('a cashier may not open the staff screen or call its actions (403), and nothing is written', async () => {
    const cashier = new TestTerminal(host.url);
    await cashier.login('kassir', '123');
    const before = await storedUsers();
    assert.equal((await cashier.get('/staff')).status, 403);
    for (const [route, body] of [
      ['/action/staff/create', { login: 'evil', name: 'Злой', role: 'Менеджер', password: 'evil1' }],
      ['/action/staff/password', { login: 'admin', password: 'owned' }],
      ['/action/staff/active', { login: 'admin' }],
    ] as const) {
      assert.equal((await cashier.action(route, body)).status, 403, route);
    }
    assert.equal(await storedUsers(), before);
    assert.doesNotMatch((await cashier.get('/')).text, /href="\/staff"/);
  });

  it('a password reset ends the person’s logins on every terminal; the new password works, the old does not', async () => {
    const one = new TestTerminal(host.url);
    const two = new TestTerminal(host.url);
    await one.login('sidorov', 'secret');
    await two.login('sidorov', 'secret');
    const windows = [await window(one), await window(two)];
    const short = await manager.action('/action/staff/password', { login: 'sidorov', password: '12' });
    assert.equal(short.status, 422);
    assert.deepEqual(Object.keys(short.body.error.fields), ['password']);
    const reset = await manager.action('/action/staff/password', { login: 'sidorov', password: 'newpass' });
    assert.equal(reset.status, 200, JSON.stringify(reset.body));
    await Promise.all(windows.map((w) => w.ended));
    for (const terminal of [one, two]) {
      const page = await terminal.get('/');
      assert.equal(page.status, 302);
      assert.match(page.headers.get('location') ?? '', /^\/login/);
    }
    const old = await new TestTerminal(host.url).login('sidorov', 'secret');
    assert.match(JSON.stringify(old.body), /login\?error=1/);
    const fresh = await new TestTerminal(host.url).login('sidorov', 'newpass');
    assert.deepEqual(fresh.body, { redirect: { url: '/', full: true } });
  });

  it('deactivating ends every login of the person at once and refuses new ones; activating lets them back', async () => {
    const one = new TestTerminal(host.url);
    const two = new TestTerminal(host.url);
    await one.login('sidorov', 'newpass');
    await two.login('sidorov', 'newpass');
    const windows = [await window(one), await window(two)];
    const started = Date.now();
    const off = await manager.action('/action/staff/active', { login: 'sidorov' });
    assert.equal(off.status, 200, JSON.stringify(off.body));
    assert.match(off.body.html, /отключён и вышел из системы/);
    await Promise.all(windows.map((w) => w.ended));
    const tookMs = Date.now() - started;
    assert.ok(tookMs < 1000, `windows were told after ${tookMs} ms`);
    const refused = await one.action('/action/scan', { code: '4607000010075' });
    assert.equal(refused.status, 401);
    const again = await new TestTerminal(host.url).login('sidorov', 'newpass');
    assert.match(JSON.stringify(again.body), /login\?error=1/, 'a deactivated account cannot log in');
    assert.equal((await people()).find((p) => p.login === 'sidorov')!.active, false);

    const self = await manager.action('/action/staff/active', { login: 'admin' });
    assert.equal(self.status, 409);
    const missing = await manager.action('/action/staff/active', { login: 'nobody' });
    assert.equal(missing.status, 404);

    const on = await manager.action('/action/staff/active', { login: 'sidorov' });
    assert.equal(on.status, 200);
    const back = await new TestTerminal(host.url).login('sidorov', 'newpass');
    assert.deepEqual(back.body, { redirect: { url: '/', full: true } });
  });

  it('open self-registration is off: no link, the page and the action answer 404, nothing is written', async () => {
    const visitor = await new TestTerminal(host.url).open('/login');
    const loginPage = await visitor.get('/login');
    assert.doesNotMatch(loginPage.text, /href="\/register"/);
    assert.equal((await visitor.get('/register')).status, 404);
    const before = await storedUsers();
    const answer = await visitor.action('/auth/register', { name: 'Сам Себе', login: 'self', password: 'self1' });
    assert.equal(answer.status, 404);
    assert.match(answer.body.error.message, /Регистрация отключена/);
    assert.equal(await storedUsers(), before);
  });
});

describe('kassa with self-registration switched on (settings.selfRegistration: the original’s route)', () => {
  let host: TestHost;
  let copy: string;

  before(async () => {
    copy = await mkdtemp(path.join(os.tmpdir(), 'kassa-registration-'));
    await cp(appDir, copy, { recursive: true });
    const settings = path.join(copy, 'manifest', 'settings.js');
    const source = await readFile(settings, 'utf8');
    assert.match(source, /selfRegistration: false/);
    await writeFile(settings, source.replace('selfRegistration: false', 'selfRegistration: true'));
    host = await startHost(copy);
  });
  after(async () => {
    await host?.stop();
    await rm(copy, { recursive: true, force: true });
  });

  it('registers a cashier (bcrypt), refuses duplicates and incomplete forms, and the new cashier logs in', async () => {
    const t = await new TestTerminal(host.url).open('/login');
    assert.match((await t.get('/login')).text, /href="\/register"/);
    assert.equal((await t.get('/register')).status, 200);
    const incomplete = await t.action('/auth/register', { name: 'Без пароля', login: 'nopass' });
    assert.equal(incomplete.status, 422);
    assert.match(incomplete.body.error.message, /Укажите имя, логин и пароль/);
    const ok = await t.action('/auth/register', { name: 'Сидоров С.С.', login: 'sidorov', password: 'secret' });
    assert.deepEqual(ok.body, { redirect: '/login?registered=true' });
    const again = await t.action('/auth/register', { name: 'Кто-то', login: 'sidorov', password: 'x' });
    assert.deepEqual(again.body, { redirect: '/register?error=1' });
    const users = JSON.parse(await host.storedText('user'));
    const stored = (users.items ?? users).find((u: { login: string }) => u.login === 'sidorov');
    assert.equal(stored.role, 'Кассир');
    assert.match(stored.passwordHash, /^\$2[aby]\$10\$/);
    assert.ok(!JSON.stringify(users).includes('secret'));
    const sidorov = new TestTerminal(host.url);
    assert.deepEqual((await sidorov.login('sidorov', 'secret')).body, { redirect: { url: '/', full: true } });
  });
});
