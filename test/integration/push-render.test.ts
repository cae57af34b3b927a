// Channels with emit.render (+ emit.reads) push the rendered fragment with the event frame, over real
// HTTP and WebSocket on test/fixtures/push-app.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { fixtures, hostForSuite } from '../helpers/host.js';
import { TestTerminal, allArrived, type TestSocket } from '../helpers/http-client.js';

const appDir = path.join(fixtures, 'push-app');
const skus = (html: string) => [...html.matchAll(/<li>([^<]*)<\/li>/g)].map((m) => m[1]);

describe('pushed fragments (emit.render)', () => {
  const { host, sockets } = hostForSuite(appDir);

  const terminal = () => new TestTerminal(host().url).open('/');
  async function socketOf(till: TestTerminal, ...channels: string[]): Promise<TestSocket> {
    const socket = await till.socket();
    sockets.push(socket);
    for (const channel of channels) assert.equal((await socket.subscribe(channel)).type, 'subscribed', `subscribe ${channel}`);
    return socket;
  }

  it('pushes the rendered component with the event, drawn with every connector emit.reads names', async () => {
    const till = await terminal();
    const socket = await socketOf(till, 'cart-ch');
    assert.equal((await till.action('/action/cart-add', { sku: 'tea' })).status, 200);
    const frame = await socket.next((f) => f.event === 'cart-changed');
    assert.equal(frame.channel, 'cart-ch');
    assert.deepEqual(frame.payload, { items: [{ sku: 'tea' }] });
    assert.deepEqual(Object.keys(frame.html).sort(), ['componentName', 'html', 'scripts', 'styles']);
    assert.equal(frame.html.componentName, 'cart');
    assert.equal(frame.html.styles, '');
    assert.deepEqual(frame.html.scripts, []);
    assert.match(frame.html.html, /^<section class="cart" data-component-id="c-[0-9a-f]{8}"><h2>Лавка<\/h2><ul><li>tea<\/li><\/ul>/);

    // the fragment reads the catalog as it is now
    await till.action('/action/catalog-rename', { shop: 'Гастроном' });
    await till.action('/action/cart-add', { sku: 'milk' });
    const next = await socket.next((f) => f.event === 'cart-changed' && f.payload.items.length === 2);
    assert.match(next.html.html, /<h2>Гастроном<\/h2><ul><li>tea<\/li><li>milk<\/li><\/ul>/);
    await till.action('/action/catalog-rename', { shop: 'Лавка' });
  });

  it('a channel without emit.render pushes no html', async () => {
    const till = await terminal();
    const socket = await socketOf(till, 'cart-plain-ch');
    await till.action('/action/cart-add', { sku: 'tea' });
    const frame = await socket.next((f) => f.event === 'cart-plain-changed');
    assert.deepEqual(frame.payload, { items: [{ sku: 'tea' }] });
    assert.equal('html' in frame, false, 'a channel without render pushed html');
  });

  it('without emit.reads the component reads the watched connector', async () => {
    const till = await terminal();
    const socket = await socketOf(till, 'board-ch');
    await till.action('/action/board-add', { note: 'inventory at 6' });
    const frame = await socket.next((f) => f.event === 'board-changed');
    assert.equal(frame.html.componentName, 'board');
    assert.match(frame.html.html, /<li>inventory at 6<\/li>/);
  });

  it('a terminal-scoped connector pushes each terminal only its own fragment, with its own scoped reads', async () => {
    const till1 = await terminal();
    const till2 = await terminal();
    await till1.action('/action/label-set', { text: 'Касса 1' });
    await till2.action('/action/label-set', { text: 'Касса 2' });
    const socket1 = await socketOf(till1, 'cart-ch', 'cart-labelled-ch');
    const socket2 = await socketOf(till2, 'cart-ch', 'cart-labelled-ch');

    await till1.action('/action/cart-add', { sku: 'tea' });
    await till2.action('/action/cart-add', { sku: 'milk' });
    const labelled1 = await socket1.next((f) => f.event === 'cart-labelled-changed');
    const labelled2 = await socket2.next((f) => f.event === 'cart-labelled-changed');
    await socket1.next((f) => f.event === 'cart-changed');
    await socket2.next((f) => f.event === 'cart-changed');
    await allArrived(socket1, socket2);

    assert.match(labelled1.html.html, /<h2>Касса 1<\/h2><ul><li>tea<\/li><\/ul>/);
    assert.match(labelled2.html.html, /<h2>Касса 2<\/h2><ul><li>milk<\/li><\/ul>/);
    for (const [socket, own] of [
      [socket1, 'tea'],
      [socket2, 'milk'],
    ] as const) {
      const frames = socket.frames.filter((f) => typeof f.event === 'string');
      assert.equal(frames.length, 2, `expected one frame per channel, got ${JSON.stringify(frames)}`);
      for (const frame of frames) {
        assert.deepEqual(frame.payload, { items: [{ sku: own }] });
        assert.deepEqual(skus(frame.html.html), [own], `a terminal got another terminal's fragment: ${frame.html.html}`);
      }
    }
  });
});
