// The short-lived answer cache of read-only actions (server/http/fragment-cache.ts), over real HTTP on
// test/fixtures/push-app: globals.renderCount goes up on every rendering, so a re-used answer shows the
// count of the rendering it came from.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fixtures, startHost, type TestHost } from '../helpers/host.js';
import { TestTerminal, type ActionResult } from '../helpers/http-client.js';

const appDir = path.join(fixtures, 'push-app');

function renderNumber(result: ActionResult): number {
  assert.equal(result.status, 200, JSON.stringify(result.body));
  const match = /render (\d+)/.exec(String(result.body.html));
  assert.ok(match, `no render count in ${JSON.stringify(result.body)}`);
  return Number(match[1]);
}

const skus = (result: ActionResult) => [...String(result.body.html).matchAll(/<li>([^<]*)<\/li>/g)].map((m) => m[1]);

describe('fragment cache of read-only actions', () => {
  let host: TestHost;
  before(async () => {
    host = await startHost(appDir);
  });
  after(() => host.stop());

  const terminal = () => new TestTerminal(host.url).open('/');

  it('two refreshes in a row get the same answer, rendered once', async () => {
    const till = await terminal();
    const first = await till.action('/action/cart-refresh');
    const second = await till.action('/action/cart-refresh');
    assert.equal(second.status, 200);
    assert.deepEqual(second.body, first.body);
    assert.equal(renderNumber(second), renderNumber(first), 'the second refresh was rendered again');
    assert.equal(second.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(first.body.componentName, 'cart');
  });

  it('an answer is kept only for a moment', async () => {
    const till = await terminal();
    const first = renderNumber(await till.action('/action/cart-refresh'));
    // measures time itself: the cache's lifetime (250 ms, fragment-cache.ts) has to pass on the real clock
    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.notEqual(renderNumber(await till.action('/action/cart-refresh')), first, 'a cached answer outlived its 250 ms');
  });

  it('after a commit the next refresh shows the new data at once', async () => {
    const till = await terminal();
    const before = await till.action('/action/cart-refresh');
    assert.deepEqual(skus(before), []);
    const added = await till.action('/action/cart-add', { sku: 'tea' });
    assert.deepEqual(skus(added), ['tea']);
    const after = await till.action('/action/cart-refresh');
    assert.deepEqual(skus(after), ['tea'], 'the refresh answered from before the commit');
    assert.notEqual(renderNumber(after), renderNumber(before));
  });

  it('a commit by another terminal to a state the refresh reads is seen at once', async () => {
    const till = await terminal();
    const manager = await terminal();
    const before = await till.action('/action/cart-refresh');
    assert.match(before.body.html, /<h2>Лавка<\/h2>/);
    assert.equal((await manager.action('/action/catalog-rename', { shop: 'Гастроном' })).status, 200);
    const after = await till.action('/action/cart-refresh');
    assert.match(after.body.html, /<h2>Гастроном<\/h2>/, 'the refresh answered with the catalog from before the commit');
    await manager.action('/action/catalog-rename', { shop: 'Лавка' });
  });

  it('terminals with terminal-scoped state never get each other’s cached fragment', async () => {
    const till1 = await terminal();
    const till2 = await terminal();
    await till1.action('/action/cart-add', { sku: 'tea' });
    await till2.action('/action/cart-add', { sku: 'milk' });
    for (let round = 0; round < 2; round++) {
      const one = await till1.action('/action/cart-refresh');
      const two = await till2.action('/action/cart-refresh');
      assert.deepEqual(skus(one), ['tea'], `round ${round}: till 1 got another cart`);
      assert.deepEqual(skus(two), ['milk'], `round ${round}: till 2 got another cart`);
    }
    // the same (empty) cart contents on two terminals are still two answers
    const empty1 = await terminal();
    const empty2 = await terminal();
    const a = await empty1.action('/action/cart-refresh');
    const b = await empty2.action('/action/cart-refresh');
    assert.deepEqual(skus(a), []);
    assert.deepEqual(skus(b), []);
    assert.notEqual(renderNumber(b), renderNumber(a), 'a terminal got the fragment rendered for another terminal');
  });
});
