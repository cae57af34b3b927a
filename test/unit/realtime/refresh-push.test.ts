// Automatic push (issue 18): the hub renders subscribers' soft refreshes once per distinct key and sends
// each window the answers for its own requests; the client drops a push older than one it applied.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { RealtimeHub } from '../../../server/realtime/hub.js';
import type { Channel } from '../../../server/realtime/channels.js';
import { MAX_RENDERS_PER_EVENT, parseRefreshRequests, RefreshPushes, type RefreshRenderer } from '../../../server/realtime/refresh-push.js';
import type { Subscriber } from '../../../server/realtime/hub.js';
import { admitRefreshed, pushedAnswerFor, PushVersions } from '../../../renderer/client/pushed-refresh.js';
import type { EventFrame, RefreshRequest } from '../../../protocol/wire.js';
import { waitFor } from '../../helpers/wait.js';

const quiet = { info() {}, warn() {}, error() {} };

const channel = (push = true): Channel => ({
  name: 'receipt-ch',
  watch: 'receipt',
  event: 'receipt-changed',
  payload: undefined,
  reads: ['receipt'],
  auth: { required: false },
  push,
});

const request = (url: string, body: Record<string, string> = {}): RefreshRequest => ({ method: 'POST', url, target: '#receipt', body, page: '/' });

interface Window {
  ws: WebSocket;
  id: string;
  frames: Array<Record<string, unknown>>;
}

/** A hub on a real server whose renderer answers "<url> for <terminal>" and counts its renders. */
async function hubWith(t: import('node:test').TestContext, options: { push?: boolean; answer?: (req: RefreshRequest) => string } = {}) {
  const renders: string[] = [];
  const renderer: RefreshRenderer = {
    // the answer depends on the route, the input and the terminal; '/write' stands for a route with steps
    keyOf: (req, who) => (req.url === '/write' ? null : JSON.stringify([req.url, req.body, who.terminalId])),
    render(req, who) {
      renders.push(`${req.url} ${who.terminalId}`);
      const html = options.answer?.(req) ?? `<p>${req.url} for ${who.terminalId}</p>`;
      return { html, styles: '', scripts: [], componentName: 'receipt' };
    },
  };
  const hub = new RealtimeHub({
    channels: new Map([['receipt-ch', channel(options.push ?? true)]]),
    log: quiet,
    redact: (_name, state) => state,
    renderRefresh: renderer,
    async authorize(req) {
      return { terminalId: String(req.headers['x-terminal']), userKey: null, roles: [], loggedIn: false };
    },
  });
  const server = createServer();
  server.on('upgrade', (req, socket, head) => void hub.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const windows: Window[] = [];
  t.after(async () => {
    for (const w of windows) w.ws.terminate();
    await hub.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const open = (terminal: string, refresh?: RefreshRequest[]): Promise<Window> =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers: { 'x-terminal': terminal } });
      const w: Window = { ws, id: '', frames: [] };
      windows.push(w);
      ws.on('message', (data) => {
        const frame = JSON.parse(data.toString());
        if (frame.type === 'socket_id_assigned') {
          w.id = frame.id;
          ws.send(JSON.stringify(refresh ? { type: 'subscribe', channel: 'receipt-ch', refresh } : { type: 'subscribe', channel: 'receipt-ch' }));
        } else if (frame.type === 'subscribed') resolve(w);
        else if (frame.event) w.frames.push(frame);
      });
      ws.once('error', reject);
    });
  const received = async (w: Window, count: number) => {
    await waitFor(() => w.frames.length >= count, `${count} frames`);
  };
  return { hub, renders, open, received };
}

const change = (items: string[]) => ({ name: 'receipt', scopeKey: 'global', scope: 'global' as const, state: { items } });

test('one render per distinct refresh: windows asking the same share it, each window gets the answers it asked for', async (t) => {
  const { hub, renders, open, received } = await hubWith(t);
  const till1 = await Promise.all([1, 2, 3].map(() => open('till-1', [request('/view')])));
  const till1Other = await open('till-1', [request('/view', { page: '2' })]);
  const till2 = await open('till-2', [request('/view'), request('/write')]);
  const old = await open('till-3');
  const initiator = await open('till-1', [request('/view', { only: 'initiator' })]);

  await hub.notify([change(['Хлеб'])], { socketId: initiator.id, terminalId: 'till-1' });
  for (const w of [...till1, till1Other, till2, old]) await received(w, 1);

  // till-1 /view once for three windows, the other input once, till-2 once; nothing for the initiator, nothing for /write
  assert.deepEqual(renders.sort(), ['/view till-1', '/view till-1', '/view till-2'].sort());
  assert.equal(renders.length, 3);
  for (const w of till1) {
    assert.deepEqual(w.frames[0].refreshed, [{ action: 'POST /view', target: '#receipt', html: { html: '<p>/view for till-1</p>', styles: '', scripts: [], componentName: 'receipt' } }]);
    assert.equal(w.frames[0].version, 1);
  }
  assert.deepEqual((till2.frames[0].refreshed as Array<{ action: string }>).map((r) => r.action), ['POST /view'], 'the refresh with steps is left to HTTP');
  assert.equal(old.frames[0].refreshed, undefined, 'a window that told nothing gets the plain event');
  assert.deepEqual(old.frames[0].payload, { items: ['Хлеб'] });
  assert.equal(initiator.frames.length, 0);
  assert.equal(hub.refreshPushes.counters.rendered, 3);
});

test('a refresh answer too big for one frame is left out (the window fetches it); push: false pushes nothing', async (t) => {
  const big = await hubWith(t, { answer: (req) => (req.url === '/big' ? 'x'.repeat(70 * 1024) : '<p>small</p>') });
  const w = await big.open('till-1', [request('/big'), request('/small')]);
  await big.hub.notify([change(['a'])], undefined);
  await big.received(w, 1);
  assert.deepEqual((w.frames[0].refreshed as Array<{ action: string }>).map((r) => r.action), ['POST /small']);
  assert.equal(big.hub.refreshPushes.counters.tooBig, 1);

  const off = await hubWith(t, { push: false });
  const w2 = await off.open('till-1', [request('/view')]);
  await off.hub.notify([change(['a'])], undefined);
  await off.received(w2, 1);
  assert.equal(w2.frames[0].refreshed, undefined);
  assert.deepEqual(off.renders, []);
});

test('ordering: a push sent late for an older commit is dropped by the client, the newer one stays applied', async (t) => {
  const { hub, open, received } = await hubWith(t, { answer: (req) => `<p>${req.url}</p>` });
  const w = await open('till-1', [request('/view')]);
  const first = hub.prepare([change(['a'])], undefined);
  const second = hub.prepare([change(['a', 'b'])], undefined);
  // the later commit becomes durable (and is sent) first
  await second.send();
  await first.send();
  await received(w, 2);
  assert.deepEqual(w.frames.map((f) => f.version), [2, 1]);

  const versions = new PushVersions();
  const seen = w.frames.map((frame) => admitRefreshed(frame as unknown as EventFrame, versions));
  assert.ok(pushedAnswerFor(seen[0], 'POST /view', '#receipt'), 'the newer push is applied');
  assert.equal(pushedAnswerFor(seen[1], 'POST /view', '#receipt'), undefined, 'the older push came later and is dropped');
  assert.equal(seen[1].event, 'receipt-changed', 'the event itself still reaches the page (its elements refresh over HTTP)');
  // after a reconnect (maybe to a restarted host) versions start again
  versions.reset();
  assert.ok(pushedAnswerFor(admitRefreshed(w.frames[1] as unknown as EventFrame, versions), '/view', '#receipt'), 'a lone URL means POST');
});

test('subscribe frames from a client are checked: malformed refresh requests are left out', () => {
  const ok = { method: 'post', url: '/view', target: '#r', body: { a: '1' }, page: '/?x=1' };
  assert.deepEqual(parseRefreshRequests([ok]), [{ ...ok, method: 'POST' }]);
  assert.deepEqual(parseRefreshRequests('nope'), []);
  assert.deepEqual(
    parseRefreshRequests([
      { ...ok, url: 'http://evil/' },
      { ...ok, body: { a: 1 } },
      { ...ok, target: '' },
      { ...ok, page: 'x' },
      null,
      { ...ok, body: [] },
    ]),
    [],
  );
  assert.equal(parseRefreshRequests(Array.from({ length: 20 }, () => ok)).length, 8);
});

test('at most MAX_RENDERS_PER_EVENT distinct answers per event; the windows past it fetch theirs', () => {
  let renders = 0;
  const renderer: RefreshRenderer = {
    keyOf: (req) => req.page,
    render: () => {
      renders++;
      return { html: '<p>x</p>', styles: '', scripts: [], componentName: 'receipt' };
    },
  };
  const pushes = new RefreshPushes(() => renderer, 64 * 1024, () => {});
  const subs = Array.from({ length: MAX_RENDERS_PER_EVENT + 20 }, (_, i) => {
    const sub = { id: String(i), principal: { terminalId: 't', userKey: null, roles: [], loggedIn: false } } as unknown as Subscriber;
    pushes.remember(sub, 'receipt-ch', [{ ...request('/view'), page: `/?window=${i}` }]);
    return sub;
  });
  const plan = pushes.plan(channel(), change(['a']), subs)!;
  assert.equal(renders, MAX_RENDERS_PER_EVENT);
  assert.equal(plan.entriesFor(subs[0]).length, 1);
  assert.deepEqual(plan.entriesFor(subs[subs.length - 1]), []);
});
