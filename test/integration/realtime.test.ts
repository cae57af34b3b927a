// Real-time channels over real HTTP and WebSocket (test/fixtures/realtime-app): fan-out to other
// subscribers but never the initiating socket, terminal scope, refused upgrades and subscriptions,
// hostile frames, payload redaction and projection, role-only channels, notify-after-commit and the
// dropping of a subscriber that cannot keep up.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { readFile, readdir } from 'node:fs/promises';
import WebSocket from 'ws';
import { fixtures, startHost, type TestHost } from '../helpers/host.js';
import { TestTerminal, allArrived, type TestSocket } from '../helpers/http-client.js';
import { attemptUpgrade } from '../helpers/device.js';

const appDir = path.join(fixtures, 'realtime-app');

describe('real-time channels', () => {
  let host: TestHost;
  let alice: TestTerminal;
  let bob: TestTerminal;
  let root: TestTerminal;
  const sockets: TestSocket[] = [];
  const hub = () => host.hub()!;
  const stored = async (name: string) => (await host.flushed(), readFile(path.join(host.dataDir, `${name}.json`), 'utf8').catch(() => ''));
  /** What is on disk right now, without waiting for anything: the connector's file and the write-ahead log. */
  const onDisk = async (name: string) => {
    const logs = (await readdir(host.dataDir)).filter((file) => file.startsWith('_wal-'));
    const files = [`${name}.json`, ...logs].map((file) => readFile(path.join(host.dataDir, file), 'utf8').catch(() => ''));
    return (await Promise.all(files)).join('\n');
  };

  async function socketOf(t: TestTerminal, ...channels: string[]): Promise<TestSocket> {
    const socket = await t.socket();
    sockets.push(socket);
    for (const channel of channels) assert.equal((await socket.subscribe(channel)).type, 'subscribed', `subscribe ${channel}`);
    return socket;
  }

  async function loggedIn(login: string): Promise<TestTerminal> {
    const t = new TestTerminal(host.url);
    const result = await t.login(login, 'secret');
    assert.deepEqual(result.body, { redirect: { url: '/', full: true } });
    return t;
  }

  before(async () => {
    host = await startHost(appDir);
    alice = await loggedIn('alice');
    bob = await loggedIn('bob');
    root = await loggedIn('root');
  });
  after(async () => {
    for (const s of sockets) s.close();
    await host.stop();
  });

  it('a change reaches every other subscriber and a second tab of the initiator, never the initiating socket', async () => {
    const tab1 = await socketOf(alice, 'receipt-ch');
    const tab2 = await socketOf(alice, 'receipt-ch');
    const other = await socketOf(bob, 'receipt-ch');
    const result = await alice.action('/action/receipt-add', { name: 'Хлеб' }, { socketId: tab1.id });
    assert.equal(result.status, 200);
    assert.match(result.body.html, /<li class="receipt-line">Хлеб<\/li>/);
    const seen = await other.next((f) => f.event === 'receipt-changed');
    assert.equal(seen.channel, 'receipt-ch');
    assert.deepEqual(seen.payload.items.at(-1), { name: 'Хлеб' });
    await tab2.next((f) => f.event === 'receipt-changed');
    await allArrived(tab1);
    assert.equal(tab1.events().length, 0, 'the initiating socket heard its own change');
  });

  it('a socket id of another terminal does not silence that terminal', async () => {
    const victim = await socketOf(bob, 'receipt-ch');
    const result = await alice.action('/action/receipt-add', { name: 'Соль' }, { socketId: victim.id });
    assert.equal(result.status, 200);
    const seen = await victim.next((f) => f.event === 'receipt-changed' && f.payload.items.some((i: { name: string }) => i.name === 'Соль'));
    assert.ok(seen);
  });

  it('a terminal-scoped connector notifies only sockets of the same terminal (its customer display)', async () => {
    // the same user on two terminals: the cart follows the terminal, not the user
    const till1 = alice;
    const till2 = await loggedIn('alice');
    const till1Page = await socketOf(till1, 'cart-ch');
    const till1Display = await socketOf(till1, 'cart-ch');
    const till2Page = await socketOf(till2, 'cart-ch');
    const added = await till1.action('/action/cart-add', { name: 'Молоко' }, { socketId: till1Page.id });
    assert.equal(added.status, 200);
    const shown = await till1Display.next((f) => f.event === 'cart-changed');
    assert.deepEqual(shown.payload, { items: [{ name: 'Молоко' }] });
    await allArrived(till2Page, till1Page);
    assert.equal(till2Page.events().length, 0, 'terminal 2 heard terminal 1 cart');
    assert.equal(till1Page.events().length, 0);
    const other = await till2.action('/action/cart-refresh');
    assert.match(other.body.html, /class="cart-count">0</);
    const own = await till1.action('/action/cart-refresh');
    assert.match(own.body.html, /class="cart-count">1</);
  });

  it('without a session the upgrade or every subscription is refused and no payload is ever received', async () => {
    const anonymous = await attemptUpgrade(host.url);
    assert.equal(anonymous.status, 403);
    assert.match(anonymous.body, /terminal identity/i);
    assert.deepEqual(anonymous.frames, []);

    // a browser that has a terminal cookie but no login (its login page) may connect, yet gets no channel
    const visitor = await new TestTerminal(host.url).open('/login');
    const socket = await visitor.socket();
    sockets.push(socket);
    for (const channel of ['receipt-ch', 'cart-ch', 'users-ch', 'stats-ch', 'admin-ch', 'bulk-ch']) {
      const answer = await socket.subscribe(channel);
      assert.equal(answer.type, 'error', channel);
      assert.match(answer.message, /logged-in user|roles/);
    }
    await bob.action('/action/receipt-add', { name: 'Тайна' });
    await bob.action('/action/stats-bump', { amount: 1 });
    await allArrived(socket);
    assert.deepEqual(socket.frames.filter((f) => f.event || f.type === 'subscribed'), []);
  });

  it('logging out closes the terminal’s sockets; they come back without a login and get nothing', async () => {
    const leaver = await loggedIn('bob');
    const session = leaver.cookies.get('session_id')!;
    const open = await socketOf(leaver, 'receipt-ch');
    const closed = new Promise<number>((resolve) => open.ws.once('close', (code) => resolve(code)));
    assert.equal((await leaver.action('/auth/logout')).status, 200);
    assert.equal(await closed, 4001);

    // the old session cookie, replayed, is no login any more
    const replay = new TestTerminal(host.url);
    replay.cookies.set('sok_terminal', leaver.cookies.get('sok_terminal')!);
    replay.cookies.set('session_id', session);
    const again = await replay.socket();
    sockets.push(again);
    assert.equal((await again.subscribe('receipt-ch')).type, 'error');
    await alice.action('/action/receipt-add', { name: 'После выхода' });
    await allArrived(again);
    assert.deepEqual(again.events(), []);
    assert.deepEqual(open.events(), []);
  });

  it('a trusted window without a login may connect but every channel refuses it', async () => {
    const cookie = host.terminalCookie({ id: 'till-display', name: 'Дисплей' });
    const ws = new WebSocket(host.url.replace('http', 'ws') + '/', { headers: { cookie: `${cookie.name}=${cookie.value}`, origin: host.url } });
    const frames: any[] = [];
    ws.on('message', (d) => frames.push(JSON.parse(d.toString())));
    await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
    try {
      for (const channel of ['receipt-ch', 'cart-ch', 'stats-ch']) ws.send(JSON.stringify({ type: 'subscribe', channel }));
      await allArrived(ws);
      assert.deepEqual(
        frames.filter((f) => f.type === 'error').map((f) => f.channel),
        ['receipt-ch', 'cart-ch', 'stats-ch'],
      );
      await bob.action('/action/receipt-add', { name: 'Чай' });
      await bob.action('/action/stats-bump', { amount: 1 });
      await allArrived(ws);
      assert.deepEqual(frames.filter((f) => f.event || f.type === 'subscribed'), []);
    } finally {
      ws.close();
    }
  });

  it('garbage, unknown channels and oversized frames get an error or a close; other clients keep working', async () => {
    const watcher = await socketOf(bob, 'receipt-ch');
    const hostile = await socketOf(alice);
    const errors = () => hostile.frames.filter((f) => f.type === 'error');

    hostile.send('{not json');
    await hostile.next((f) => f.type === 'error' && /not JSON/.test(f.message));
    hostile.send(JSON.stringify({ type: 'subscribe', channel: 'no-such-channel' }));
    const unknown = await hostile.next((f) => f.type === 'error' && f.channel === 'no-such-channel');
    assert.match(unknown.message, /unknown channel/);
    hostile.ws.send(Buffer.from([0, 1, 2, 3]), { binary: true });
    await hostile.next((f) => f.type === 'error' && /binary/.test(f.message));
    assert.equal(errors().length, 3);

    const closed = new Promise<number>((resolve) => hostile.ws.once('close', (code) => resolve(code)));
    hostile.send(JSON.stringify({ type: 'subscribe', channel: 'x'.repeat(65 * 1024) }));
    assert.equal(await closed, 1009, 'an oversized frame closes the socket with 1009 (message too big)');

    await alice.action('/action/receipt-add', { name: 'Кофе' });
    const event = await watcher.next((f) => f.event === 'receipt-changed' && f.payload.items.some((i: { name: string }) => i.name === 'Кофе'));
    assert.ok(event);
    assert.equal((await fetch(host.url + '/__health')).status, 200);
  });

  it('payloads of a channel watching the user connector never carry the password field', async () => {
    const admin = await socketOf(root, 'users-ch');
    const raw: string[] = [];
    admin.ws.on('message', (d) => raw.push(d.toString()));
    const renamed = await alice.action('/action/rename', { name: 'Алиса Петровна' });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    const event = await admin.next((f) => f.event === 'users-changed');
    const me = event.payload.items.find((u: { login: string }) => u.login === 'alice');
    assert.equal(me.name, 'Алиса Петровна');
    for (const user of event.payload.items) assert.deepEqual(Object.keys(user).sort(), ['login', 'name', 'role']);
    const text = raw.find((r) => r.includes('users-changed'))!;
    assert.doesNotMatch(text, /passwordHash|\$2[aby]\$/);
    // the stored users keep their hashes: redaction is on the wire only
    assert.match(await stored('user'), /"passwordHash": "\$2b\$04\$/);
  });

  it('emit.payload as a list of keys sends only those keys', async () => {
    const watcher = await socketOf(root, 'stats-ch');
    assert.equal((await alice.action('/action/stats-bump', { amount: 5 })).status, 200);
    assert.equal((await bob.action('/action/stats-bump', { amount: 2.5 })).status, 200);
    await watcher.next(() => watcher.events('stats-changed').length === 2);
    const [first, second] = watcher.events('stats-changed').map((f) => f.payload);
    assert.deepEqual(Object.keys(first).sort(), ['count', 'total']);
    assert.deepEqual(second, { total: first.total + 2.5, count: first.count + 1 });
    assert.match(await stored('stats'), /internal only/, 'the key left out of the payload is still stored');
  });

  it('a failing action notifies nobody; a notification arrives only once the change is stored', async () => {
    const watcher = await socketOf(bob, 'receipt-ch');
    const before = await stored('receipt');
    const failed = await alice.action('/action/receipt-add-then-fail', { name: 'Призрак' });
    assert.equal(failed.status, 409);
    assert.equal(failed.body.error.message, 'Чек закрыт');
    await allArrived(watcher);
    assert.equal(watcher.events().length, 0, 'a failed action notified a subscriber');
    assert.equal(await stored('receipt'), before);

    await alice.action('/action/receipt-add', { name: 'Масло' });
    const event = await watcher.next((f) => f.event === 'receipt-changed');
    assert.ok(event.payload.items.some((i: { name: string }) => i.name === 'Масло'));
    assert.match(await onDisk('receipt'), /"Масло"/, 'the event came before the change was on disk');
    assert.doesNotMatch(await stored('receipt'), /Призрак/);
  });

  it('a channel with auth.roles admits only those roles', async () => {
    const cashier = await socketOf(alice);
    const refused = await cashier.subscribe('admin-ch');
    assert.equal(refused.type, 'error');
    assert.match(refused.message, /roles: admin/);
    const admin = await socketOf(root, 'admin-ch');
    await bob.action('/action/receipt-add', { name: 'Сахар' });
    const audit = await admin.next((f) => f.event === 'receipt-audit');
    assert.equal(audit.channel, 'admin-ch');
    await allArrived(cashier);
    assert.equal(cashier.events('receipt-audit').length, 0);
  });

  it('a subscriber whose send buffer passes the bound is dropped; the others keep receiving', async () => {
    const slow = await socketOf(bob, 'bulk-ch');
    const fast = await socketOf(root, 'bulk-ch');
    // the slow client stops reading: the host's send buffer for it can only grow
    (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
    const before = hub().counters.dropped;
    const blob = 'x'.repeat(512 * 1024);
    let rounds = 0;
    for (; rounds < 40 && hub().sockets.has(slow.id); rounds++) {
      const result = await alice.action('/action/bulk', { blob: `${rounds}:${blob}` });
      assert.equal(result.status, 200);
      await fast.next((f) => f.event === 'bulk-changed' && f.payload.blob.startsWith(`${rounds}:`), 5000);
    }
    assert.equal(hub().sockets.has(slow.id), false, `the slow subscriber was still connected after ${rounds} rounds`);
    assert.equal(hub().counters.dropped, before + 1);
    assert.ok(hub().sockets.has(fast.id));
    await alice.action('/action/bulk', { blob: 'after' });
    await fast.next((f) => f.event === 'bulk-changed' && f.payload.blob === 'after');
  });
});
