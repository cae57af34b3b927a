// Two hosts on one PostgreSQL database (test/fixtures/realtime-app, unchanged, by configuration only):
// any host serves any request of any client (sessions, terminals and the signing secret are the
// database's), no write is lost when clients spread over both, a write on one host reaches subscribers on
// the other (never the initiating socket, and only in the change's scope); a host killed with -9 loses no
// acknowledged write; while PostgreSQL is stopped actions answer 503, and everything recovers by itself.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fixtures, startHost, type TestHost } from '../helpers/host.js';
import { startHostProcess } from '../helpers/host-process.js';
import { TestTerminal, allArrived, type TestSocket } from '../helpers/http-client.js';
import { waitFor } from '../helpers/wait.js';
import { postgresSkipReason, startPostgres, type PostgresCluster } from '../helpers/postgres.js';

const appDir = path.join(fixtures, 'realtime-app');
const skip = postgresSkipReason();

/** The same browser (cookies, CSRF token) talking to another host: what a load balancer without sticky sessions does. */
function sameClientOn(client: TestTerminal, url: string): TestTerminal {
  const other = new TestTerminal(url);
  for (const [name, value] of client.cookies) other.cookies.set(name, value);
  other.csrf = client.csrf;
  return other;
}

describe('two hosts on one PostgreSQL database', { skip }, () => {
  let cluster: PostgresCluster;
  let a: TestHost;
  let b: TestHost;
  const sockets: TestSocket[] = [];

  async function loggedIn(host: TestHost, login: string): Promise<TestTerminal> {
    const t = new TestTerminal(host.url);
    const result = await t.login(login, 'secret');
    assert.deepEqual(result.body, { redirect: { url: '/', full: true } });
    return t;
  }

  async function socketOf(t: TestTerminal, ...channels: string[]): Promise<TestSocket> {
    const socket = await t.socket();
    sockets.push(socket);
    for (const channel of channels) assert.equal((await socket.subscribe(channel)).type, 'subscribed', `subscribe ${channel}`);
    return socket;
  }

  before(async () => {
    cluster = await startPostgres();
    const database = await cluster.createDatabase();
    a = await startHost(appDir, { database });
    b = await startHost(appDir, { database });
  });
  after(async () => {
    for (const socket of sockets) socket.close();
    await a?.stop();
    await b?.stop();
    await cluster?.destroy();
  });

  it('a login on host A is a login on host B: no sticky sessions; a logout on B ends it on A', async () => {
    const onA = await loggedIn(a, 'alice');
    const onB = sameClientOn(onA, b.url);
    const page = await onB.get('/');
    assert.equal(page.status, 200, `host B sent the client to ${page.headers.get('location')}`);
    const added = await onB.action('/action/receipt-add', { name: 'Чай' });
    assert.equal(added.status, 200, JSON.stringify(added.body));
    assert.deepEqual((await onB.action('/auth/logout')).body, { redirect: { url: '/login', full: true } });
    // host A hears of the logout through the database's notification (a few milliseconds behind)
    const status = await waitFor(async () => {
      const answer = (await onA.get('/')).status;
      return answer === 200 ? null : answer;
    }, 'host A to stop serving the session logged out on host B', 5000);
    assert.equal(status, 302, 'the session logged out on host B still served pages on host A');
  });

  it('a write on host A reaches subscribers on host B, never the initiating socket (connected to B)', async () => {
    const alice = await loggedIn(a, 'alice');
    const bob = await loggedIn(b, 'bob');
    const aliceTabOnB = await socketOf(sameClientOn(alice, b.url), 'receipt-ch');
    const bobOnB = await socketOf(bob, 'receipt-ch');
    const bobOnA = await socketOf(sameClientOn(bob, a.url), 'receipt-ch');
    const result = await alice.action('/action/receipt-add', { name: 'Хлеб' }, { socketId: aliceTabOnB.id });
    assert.equal(result.status, 200, JSON.stringify(result.body));
    const seenOnB = await bobOnB.next((f) => f.event === 'receipt-changed' && f.payload.items.at(-1)?.name === 'Хлеб');
    assert.equal(seenOnB.channel, 'receipt-ch');
    await bobOnA.next((f) => f.event === 'receipt-changed' && f.payload.items.at(-1)?.name === 'Хлеб');
    // the event reached both hosts' subscribers; whatever host B sends its sockets is in before their pings' answers
    await allArrived(aliceTabOnB, bobOnB);
    assert.equal(aliceTabOnB.events().length, 0, 'the initiating socket heard its own change through host B');
  });

  it('a terminal-scoped change reaches only that terminal\'s sockets on the other host', async () => {
    const alice = await loggedIn(a, 'alice');
    const bob = await loggedIn(b, 'bob');
    const aliceDisplayOnB = await socketOf(sameClientOn(alice, b.url), 'cart-ch');
    const bobOnB = await socketOf(bob, 'cart-ch');
    const result = await alice.action('/action/cart-add', { name: 'Молоко' });
    assert.equal(result.status, 200, JSON.stringify(result.body));
    const seen = await aliceDisplayOnB.next((f) => f.event === 'cart-changed');
    assert.deepEqual(seen.payload.items, [{ name: 'Молоко' }]);
    await allArrived(bobOnB);
    assert.equal(bobOnB.events('cart-changed').length, 0, 'another terminal heard this terminal\'s cart');
  });

  it('8 clients x 50 adds spread over both hosts: none is lost, both hosts show all of them', async () => {
    const before = (await loggedIn(a, 'root').then((t) => t.action('/action/receipt-refresh'))).body.html.match(/receipt-line/g)?.length ?? 0;
    const clients = await Promise.all(Array.from({ length: 8 }, (_, index) => loggedIn(index % 2 ? b : a, index % 2 ? 'bob' : 'alice')));
    const acknowledged: string[] = [];
    await Promise.all(
      clients.map(async (client, index) => {
        const pair = [client, sameClientOn(client, index % 2 ? a.url : b.url)];
        for (let round = 0; round < 50; round++) {
          const name = `c${index}-r${round}`;
          const result = await pair[round % 2].action('/action/receipt-add', { name });
          assert.equal(result.status, 200, JSON.stringify(result.body));
          acknowledged.push(name);
        }
      }),
    );
    assert.equal(acknowledged.length, 400);
    for (const host of [a, b]) {
      const root = await loggedIn(host, 'root');
      const html: string = (await root.action('/action/receipt-refresh')).body.html;
      const lines = html.match(/<li class="receipt-line">[^<]*<\/li>/g) ?? [];
      assert.equal(lines.length, before + 400, `host ${host === a ? 'A' : 'B'} shows ${lines.length - before} of 400 adds`);
      for (const name of acknowledged) assert.ok(html.includes(`>${name}<`), `${name} is missing on host ${host === a ? 'A' : 'B'}`);
    }
  });
});

describe('hosts on PostgreSQL when the database or a host goes away', { skip }, () => {
  let cluster: PostgresCluster;
  let database: string;
  let a: TestHost;
  const sockets: TestSocket[] = [];
  const children: ChildProcess[] = [];

  before(async () => {
    cluster = await startPostgres();
    database = await cluster.createDatabase();
    a = await startHost(appDir, { database });
  });
  after(async () => {
    for (const socket of sockets) socket.close();
    for (const child of children) child.kill('SIGKILL');
    await a?.stop();
    await cluster?.destroy();
  });

  async function loggedIn(url: string, login: string): Promise<TestTerminal> {
    const t = new TestTerminal(url);
    const result = await t.login(login, 'secret');
    assert.deepEqual(result.body, { redirect: { url: '/', full: true } });
    return t;
  }

  async function receiptNames(url: string): Promise<string[]> {
    const root = await loggedIn(url, 'root');
    const html: string = (await root.action('/action/receipt-refresh')).body.html;
    return [...html.matchAll(/<li class="receipt-line">([^<]*)<\/li>/g)].map((match) => match[1]);
  }

  it('kill -9 of one host loses no acknowledged write, and the other host keeps serving', async () => {
    const host = await startHostProcess([appDir, '--port', '0', '--database', database, '--data', await mkdtemp(path.join(os.tmpdir(), 'sok-pg-child-'))]);
    const { child, url } = host;
    children.push(child);
    const clients = await Promise.all([loggedIn(url, 'alice'), loggedIn(url, 'bob'), loggedIn(url, 'root')]);
    const acknowledged: string[] = [];
    let killed = false;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await Promise.all(
      clients.map(async (client, index) => {
        for (let round = 0; !killed; round++) {
          const name = `k${index}-${round}`;
          const result = await client.action('/action/receipt-add', { name }).catch(() => null);
          if (result?.status === 200) acknowledged.push(name);
          // the kill lands while requests are in flight
          if (acknowledged.length >= 60 && !killed) {
            killed = true;
            child.kill('SIGKILL');
          }
        }
      }),
    );
    await exited;
    const names = await receiptNames(a.url);
    for (const name of acknowledged) assert.ok(names.includes(name), `${name} was acknowledged by the killed host but is not stored`);
    const alice = await loggedIn(a.url, 'alice');
    assert.equal((await alice.action('/action/receipt-add', { name: 'после сбоя' })).status, 200);
  });

  it('PostgreSQL stopped mid-run: actions answer 503 with a clear message, pages load, every client recovers without a restart', async () => {
    const b = await startHost(appDir, { database });
    try {
      const alice = await loggedIn(a.url, 'alice');
      const bob = await loggedIn(b.url, 'bob');
      const aliceSocket = await alice.socket();
      const bobSocket = await bob.socket();
      sockets.push(aliceSocket, bobSocket);
      assert.equal((await bobSocket.subscribe('receipt-ch')).type, 'subscribed');
      assert.equal((await alice.action('/action/receipt-add', { name: 'до' })).status, 200);
      await bobSocket.next((f) => f.event === 'receipt-changed' && f.payload.items.at(-1)?.name === 'до');

      await cluster.stop();
      for (const [client, host] of [[alice, 'A'], [bob, 'B']] as const) {
        const refused = await client.action('/action/receipt-add', { name: 'во время' });
        assert.equal(refused.status, 503, `host ${host}: ${JSON.stringify(refused.body)}`);
        assert.match(refused.body.error.message, /Нет связи с базой данных: изменение не сохранено/);
        const page = await client.get('/');
        assert.equal(page.status, 200, `host ${host} did not serve a page from what it holds`);
      }
      await aliceSocket.next((f) => f.type === 'host-status' && f.ok === false);
      await bobSocket.next((f) => f.type === 'host-status' && f.ok === false);

      await cluster.start();
      // each host finds the database again by itself and says so to its pages
      // (no ok frame came before: a page is told of its host's status only when it changes)
      await aliceSocket.next((f) => f.type === 'host-status' && f.ok === true, 20_000);
      await bobSocket.next((f) => f.type === 'host-status' && f.ok === true, 20_000);
      assert.equal((await alice.action('/action/receipt-add', { name: 'после' })).status, 200);
      assert.equal((await bob.action('/action/receipt-add', { name: 'после B' })).status, 200);
      // host B listens again: host A's write reaches its subscriber (by notification, or by its catching up)
      await bobSocket.next((f) => f.event === 'receipt-changed' && f.payload.items.some((item: { name: string }) => item.name === 'после'), 10_000);
      const names = await receiptNames(b.url);
      assert.ok(names.includes('до') && names.includes('после') && names.includes('после B'));
      assert.ok(!names.includes('во время'), 'a refused change was stored');
    } finally {
      await b.stop();
    }
  });
});
