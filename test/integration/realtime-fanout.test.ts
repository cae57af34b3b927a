// How the hub fans an event out (issue 9): one rendering and one serialisation per event whatever the number
// of subscribers, the same ASCII-only bytes to each, the pushed component's CSS left out (the pages have
// it), frames prepared while the commit is in flight and sent only once it is durable, never for a failed
// one. Real host, real hub and real sockets on test/fixtures/push-app.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import type { RawData } from 'ws';
import { fixtures, startHost, type TestHost } from '../helpers/host.js';
import { TestTerminal, allArrived, type TestSocket } from '../helpers/http-client.js';
import { notifyOnCommit } from '../../server/realtime/notify-on-commit.js';

const appDir = path.join(fixtures, 'push-app');

describe('event fan-out', () => {
  let host: TestHost;
  const sockets: TestSocket[] = [];
  const hub = () => host.hub()!;
  const engine = () => host.engine();

  before(async () => {
    host = await startHost(appDir);
  });
  after(async () => {
    for (const socket of sockets) socket.close();
    await host.stop();
  });

  async function subscribers(till: TestTerminal, channel: string, count: number): Promise<Array<{ socket: TestSocket; raw: Buffer[] }>> {
    return Promise.all(
      Array.from({ length: count }, async () => {
        const socket = await till.socket();
        sockets.push(socket);
        const raw: Buffer[] = [];
        socket.ws.on('message', (data: RawData) => raw.push(Buffer.from(data as Buffer)));
        assert.equal((await socket.subscribe(channel)).type, 'subscribed');
        return { socket, raw };
      }),
    );
  }

  const renderOf = (frame: { html: { html: string } }) => Number(/render (\d+)/.exec(frame.html.html)?.[1]);

  it('renders and serialises each event once, whatever the number of subscribers, and sends everyone the same bytes', async () => {
    const till = await new TestTerminal(host.url).open('/');
    const counted = async (count: number, note: string) => {
      const subs = await subscribers(till, 'board-ch', count);
      const before = { ...hub().counters };
      assert.equal((await till.action('/action/board-add', { note })).status, 200);
      const frames = await Promise.all(subs.map(({ socket }) => socket.next((f) => f.event === 'board-changed' && f.payload.notes.includes(note))));
      await allArrived(...subs.map(({ socket }) => socket));
      const raws = subs.map(({ raw }) => raw.find((bytes) => bytes.includes(`"board-changed"`) && bytes.includes(note))!);
      for (const { socket } of subs) socket.close();
      return { encoded: hub().counters.encoded - before.encoded, frames, raws };
    };

    const one = await counted(1, 'one subscriber');
    const many = await counted(12, 'twelve subscribers');
    assert.equal(one.encoded, 1);
    assert.equal(many.encoded, 1, 'twelve subscribers made more than one serialisation');
    // the fragment shows which rendering it was: the twelve got the very same one
    assert.equal(new Set(many.frames.map(renderOf)).size, 1);
    assert.equal(new Set(many.raws.map((bytes) => bytes.toString('latin1'))).size, 1, 'subscribers got different bytes');
  });

  it('writes event frames in pure ASCII (\\u escapes) that parse back to the same text', async () => {
    const till = await new TestTerminal(host.url).open('/');
    const [{ socket, raw }] = await subscribers(till, 'cart-ch', 1);
    assert.equal((await till.action('/action/cart-add', { sku: 'чай 🍵' })).status, 200);
    const frame = await socket.next((f) => f.event === 'cart-changed');
    await allArrived(socket);
    const bytes = raw.find((b) => b.includes('"cart-changed"'))!;
    assert.ok(bytes.every((byte) => byte < 0x80), 'the event frame has bytes past ASCII');
    assert.deepEqual(frame.payload, { items: [{ sku: 'чай 🍵' }] });
    assert.match(frame.html.html, /<h2>Лавка<\/h2><ul><li>чай 🍵<\/li><\/ul>/);
  });

  it('leaves the pushed component’s CSS out and says so; a component without CSS is pushed as it is', async () => {
    const till = await new TestTerminal(host.url).open('/');
    const [{ socket }] = await subscribers(till, 'ticker-ch', 1);
    await till.action('/action/ticker-set', { text: 'Скидки' });
    const pushed = await socket.next((f) => f.event === 'ticker-changed');
    assert.equal(pushed.stylesOnPage, true);
    assert.equal(pushed.html.styles, '');
    assert.equal(pushed.html.componentName, 'ticker');
    assert.match(pushed.html.html, /^<p class="ticker" data-component-id="c-[0-9a-f]{8}">Скидки /);
    // the action's own answer (and so a refresh) still brings the CSS
    const answer = await till.action('/action/ticker-set', { text: 'Новинки' });
    assert.match(answer.body.styles, /font-weight: bold/);

    const [{ socket: boardSocket }] = await subscribers(till, 'board-ch', 1);
    await till.action('/action/board-add', { note: 'no css' });
    const plain = await boardSocket.next((f) => f.event === 'board-changed');
    assert.equal('stylesOnPage' in plain, false);
    assert.equal(plain.html.styles, '');
  });

  it('prepares the frame while the commit is in flight, sends it once durable, and never for a failed commit', async () => {
    const till = await new TestTerminal(host.url).open('/');
    const [{ socket }] = await subscribers(till, 'ticker-ch', 1);
    const change = (text: string) => [{ name: 'ticker', scopeKey: 'global', state: { text } }];
    const commit = () => {
      let settleCommit!: { resolve: () => void; reject: (error: Error) => void };
      const durable = new Promise<void>((resolve, reject) => (settleCommit = { resolve, reject }));
      return { durable, ...settleCommit };
    };

    const failing = commit();
    let before = hub().counters.encoded;
    notifyOnCommit(hub(), engine().store, engine().log, change('never stored'), failing.durable, undefined);
    assert.equal(hub().counters.encoded, before + 1, 'the frame was not prepared before the commit finished');
    failing.reject(new Error('disk full'));
    await allArrived(socket);
    assert.equal(socket.events('ticker-changed').length, 0, 'a failed commit was announced');

    const pending = commit();
    before = hub().counters.encoded;
    notifyOnCommit(hub(), engine().store, engine().log, change('stored'), pending.durable, undefined);
    await allArrived(socket);
    assert.equal(socket.events('ticker-changed').length, 0, 'the event went out before the commit was durable');
    pending.resolve();
    const frame = await socket.next((f) => f.event === 'ticker-changed');
    assert.deepEqual(frame.payload, { text: 'stored' });
    assert.equal(hub().counters.encoded, before + 1, 'the frame was serialised again after the commit');
  });
});
