// Automatic push, host side (issue 18): the pushed answer of a read-only soft refresh is the answer the HTTP
// request would have got; routes the host cannot answer that way (writes, steps, a login the window lacks,
// an unknown route) are not pushed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fixtures, startHost } from '../helpers/host.js';
import { TestTerminal } from '../helpers/http-client.js';
import { RouteTable } from '../../server/http/routes.js';
import { refreshRenderer, rememberWindow } from '../../server/realtime/refresh-render.js';
import type { RefreshRequest } from '../../protocol/wire.js';

const refresh = (url: string): RefreshRequest => ({ method: 'POST', url, target: '#receipt-container', body: {}, page: '/' });

test('a pushed refresh renders what the HTTP answer is, with the window’s user; others are left to HTTP', async (t) => {
  const host = await startHost(path.join(fixtures, 'realtime-app'));
  t.after(() => host.stop());
  const alice = new TestTerminal(host.url);
  await alice.open();
  await alice.login('alice', 'secret');
  await alice.action('/action/receipt-add', { name: 'Хлеб' });
  const overHttp = await alice.action('/action/receipt-refresh');
  assert.equal(overHttp.status, 200);

  const renderer = refreshRenderer({ engine: () => host.engine(), routes: () => new RouteTable(host.engine().manifest) });
  const window = (userKey: string | null) =>
    rememberWindow(
      { terminalId: 't1', userKey, roles: userKey ? ['cashier'] : [], loggedIn: userKey !== null, session: userKey ? 's' : null },
      { terminal: { id: 't1', name: 'Касса 1' }, csrf: 'token' },
    );
  const loggedIn = window('alice');
  const pushed = renderer.render(refresh('/action/receipt-refresh'), loggedIn);
  assert.ok(pushed);
  assert.equal(pushed.html, overHttp.body.html);
  assert.equal(pushed.componentName, 'receipt');

  // the key separates users (their answers may differ) and is equal for equal requests
  const key = renderer.keyOf(refresh('/action/receipt-refresh'), loggedIn);
  assert.equal(renderer.keyOf(refresh('/action/receipt-refresh'), window('alice')), key);
  assert.notEqual(renderer.keyOf(refresh('/action/receipt-refresh'), window('bob')), key);

  assert.equal(renderer.keyOf(refresh('/action/receipt-add'), loggedIn), null, 'a route that writes');
  assert.equal(renderer.keyOf(refresh('/action/stats-bump'), loggedIn), null, 'a route with steps');
  assert.equal(renderer.keyOf(refresh('/action/nope'), loggedIn), null, 'an unknown route');
  assert.equal(renderer.keyOf(refresh('/action/receipt-refresh'), window(null)), null, 'the route needs a login the window lacks');
  const unknownWindow = { terminalId: 't1', userKey: 'alice', roles: ['cashier'], loggedIn: true };
  assert.equal(renderer.keyOf(refresh('/action/receipt-refresh'), unknownWindow), null, 'a principal the host did not make');
});
