// A pushed fragment (emit.render) whose template uses `user` is rendered for each user who receives it,
// as that window's own refresh would be; one whose template does not is rendered once for everybody.
// Real HTTP and WebSocket on test/fixtures/auth-app (channels notes-signed-ch and notes-plain-ch).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fixtures, hostForSuite } from '../helpers/host.js';
import { TestTerminal, allArrived, type TestSocket } from '../helpers/http-client.js';

const appDir = path.join(fixtures, 'auth-app');

describe('pushed fragments with the user context', () => {
  const { host, sockets } = hostForSuite(appDir);

  async function loggedIn(login: string): Promise<TestTerminal> {
    const till = new TestTerminal(host().url);
    assert.deepEqual((await till.login(login, 'secret')).body, { redirect: { url: '/', full: true } }, `login as ${login}`);
    return till;
  }
  async function subscribed(till: TestTerminal): Promise<TestSocket> {
    const socket = await till.socket();
    sockets.push(socket);
    for (const channel of ['notes-signed-ch', 'notes-plain-ch']) assert.equal((await socket.subscribe(channel)).type, 'subscribed', channel);
    return socket;
  }

  it('renders a fragment that uses `user` once per receiving user, with that user; others once for all', async () => {
    const alice = await loggedIn('alice');
    const root = await loggedIn('root');
    const carol = await loggedIn('carol');
    const aliceWindows = [await subscribed(alice), await subscribed(alice)];
    const rootWindow = await subscribed(root);
    const hub = host().hub()!;
    const encodedBefore = hub.counters.encoded;

    assert.equal((await carol.action('/action/note', { text: 'приход в 6' })).status, 200);
    const signed = async (socket: TestSocket) => (await socket.next((f) => f.event === 'notes-signed')).html.html as string;
    const plain = async (socket: TestSocket) => (await socket.next((f) => f.event === 'notes-plain')).html.html as string;
    const forAlice = await Promise.all(aliceWindows.map(signed));
    const forRoot = await signed(rootWindow);
    const plains = await Promise.all([...aliceWindows, rootWindow].map(plain));
    await allArrived(...aliceWindows, rootWindow);

    for (const html of forAlice) {
      assert.match(html, /<p class="viewer">Алиса<\/p>/, `alice's window got ${html}`);
      assert.doesNotMatch(html, /admin-only/, 'a cashier was pushed the admin-only element');
      assert.match(html, /<li>приход в 6<\/li>/);
    }
    assert.match(forRoot, /<p class="viewer">Администратор<\/p>/, `root's window got ${forRoot}`);
    assert.match(forRoot, /<b class="admin-only"[^>]*>admin<\/b>/);
    // the same fragment for every receiver of the channel that does not use `user`
    assert.equal(new Set(plains).size, 1);
    assert.match(plains[0], /<li>приход в 6<\/li>/);
    // serialised once per distinct user (alice, root) for notes-signed-ch, once for notes-plain-ch
    assert.equal(hub.counters.encoded - encodedBefore, 3);
  });
});
