// The till of a chain's shop says whether head office is reached and how many records wait; selling never
// waits for it (here head office is unreachable the whole time).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { projectRoot, startHost } from '../helpers/host.js';
import { TestTerminal } from '../helpers/http-client.js';
import { waitFor } from '../helpers/wait.js';

test('a shop whose head office is unreachable sells on, and its till shows the link down and the sales waiting', async (t) => {
  // nothing listens on port 9 of this machine: every attempt is refused at once
  const host = await startHost(path.join(projectRoot, 'apps', 'kassa'), { chain: { url: 'postgres://shop_north:secret-password@127.0.0.1:9/hq', shop: 'north' } });
  t.after(() => host.stop());
  const till = new TestTerminal(host.url);
  await till.login('kassir', '123');
  assert.equal((await till.action('/action/openShift', { float: '100' })).status, 200);
  assert.equal((await till.action('/action/scan', { code: '4607000010075' })).status, 200);
  assert.equal((await till.action('/action/completeSale', { method: 'card' })).status, 200, 'selling waited for head office');
  const page = await waitFor(async () => {
    const text = (await till.get('/')).text;
    return /Офис: нет связи · ждут отправки: 1</.test(text) ? text : null;
  }, 'the till to show the sale waiting for head office');
  assert.match(page, /class="chain" role="status" data-online="false"/);
  const status = host.chainStatus();
  assert.equal(status?.online, false);
  assert.equal(status?.backlog, 1);
  assert.doesNotMatch(status?.lastError ?? '', /secret-password/, 'the password is in the status');
});
