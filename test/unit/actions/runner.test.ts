// The action runner as a transaction (D1): locks on every written connector, a working copy, all or
// nothing, read-only actions lock-free, and typed errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as tick } from 'node:timers/promises';
import { ActionError } from '../../../server/actions/errors.js';
import type { RouteConfig } from '../../../server/manifest/types.js';
import { anonymous, bench, failure } from '../../fixtures/steps-app/harness.mjs';

const connectors = {
  stock: { type: 'lowdb' as const, initialState: { items: [{ id: 'tea', quantity: 0 }] } },
  till: { type: 'lowdb' as const, initialState: { cash: 0 } },
  receipt: { type: 'lowdb' as const, scope: 'terminal' as const, initialState: { lines: [] } },
  prefs: { type: 'lowdb' as const, scope: 'user' as const, initialState: { theme: 'light' } },
};

const routes: Record<string, RouteConfig> = {
  'POST /add-one': {
    type: 'action',
    reads: ['stock'],
    writes: ['stock'],
    steps: [
      { set: 'context.item', to: "data.stock.items.find(i => i.id === 'tea')" },
      { set: 'context.item.quantity', to: 'context.item.quantity + 1' },
    ],
  },
  bump: { type: 'action', internal: true, reads: ['stock'], writes: ['stock'], steps: [{ set: 'data.stock.items.0.quantity', to: 'data.stock.items[0].quantity + 1' }] },
  'POST /add-via-sub': { type: 'action', steps: [{ 'action:run': { name: 'bump' } }] },
  'POST /sell': {
    type: 'action',
    reads: ['stock', 'till'],
    writes: ['till', 'stock'],
    steps: [
      { set: 'data.stock.items.0.quantity', to: 'data.stock.items[0].quantity - 1' },
      { set: 'data.till.cash', to: 'data.till.cash + body.price' },
    ],
  },
  'POST /refund': {
    type: 'action',
    reads: ['till', 'stock'],
    writes: ['stock', 'till'],
    steps: [
      { set: 'data.till.cash', to: 'data.till.cash - body.price' },
      { set: 'data.stock.items.0.quantity', to: 'data.stock.items[0].quantity + 1' },
    ],
  },
  'POST /sell-then-fail': {
    type: 'action',
    reads: ['stock', 'till'],
    writes: ['stock', 'till'],
    steps: [
      { set: 'data.stock.items.0.quantity', to: 'data.stock.items[0].quantity - 1' },
      { set: 'data.till.cash', to: 'data.till.cash + 100' },
      { set: 'data.till.broken', to: 'data.till.cash.toFixed(-1)' },
    ],
  },
  'POST /sell-unstorable': {
    type: 'action',
    reads: ['stock', 'till'],
    writes: ['stock', 'till'],
    steps: [
      { set: 'data.stock.items.0.quantity', to: 'data.stock.items[0].quantity - 1' },
      { set: 'data.till.cash', to: 'data.till.cash + Number(body.price)' },
    ],
  },
  'POST /look': { type: 'action', reads: ['stock', 'till'], steps: [{ set: 'context.q', to: 'data.stock.items[0].quantity' }] },
  'POST /receipt': { type: 'action', reads: ['receipt'], writes: ['receipt'], steps: [{ set: 'data.receipt.lines', to: 'data.receipt.lines.concat([body.line])' }] },
  'POST /prefs': { type: 'action', reads: ['prefs'], writes: ['prefs'], steps: [{ set: 'data.prefs.theme', to: 'body.theme' }] },
  'POST /touch-user': { type: 'action', steps: [{ set: 'user.role', to: "'admin'" }, { set: 'body.mutated', to: true }] },
};

async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  promise.then(() => (done = true), () => (done = true));
  for (let i = 0; i < 20; i++) await tick();
  return done;
}

test('8 concurrent callers × 50 "add one" actions end with exactly 400, in memory and on disk', async (t) => {
  const b = await bench(t, { connectors, routes });
  const caller = async () => {
    for (let i = 0; i < 50; i++) await b.run('POST /add-one');
  };
  await Promise.all(Array.from({ length: 8 }, caller));
  assert.equal((await b.read('stock')).items[0].quantity, 400);
  await b.store.flush();
  assert.equal(JSON.parse(await b.file('stock')).items[0].quantity, 400);
});

test('writes reached only through action:run are locked too', async (t) => {
  const b = await bench(t, { connectors, routes });
  await Promise.all(Array.from({ length: 4 }, async () => {
    for (let i = 0; i < 25; i++) await b.run('POST /add-via-sub');
  }));
  assert.equal((await b.read('stock')).items[0].quantity, 100);
  assert.equal(JSON.parse(await b.file('stock')).items[0].quantity, 100);
});

test('two-connector actions listing their writes in opposite orders never deadlock and stay consistent', { timeout: 20_000 }, async (t) => {
  const b = await bench(t, { connectors, routes });
  await Promise.all(
    Array.from({ length: 4 }, async (_, caller) => {
      for (let i = 0; i < 12; i++) await b.run(caller % 2 ? 'POST /sell' : 'POST /refund', { price: 5 });
    }),
  );
  assert.equal((await b.read('stock')).items[0].quantity, 0);
  assert.equal((await b.read('till')).cash, 0);
});

test('a read-only action takes no lock: it runs while another action holds the write lock', { timeout: 20_000 }, async (t) => {
  const b = await bench(t, { connectors, routes });
  const release = await b.store.lock([{ name: 'stock', scopeKey: 'global' }]);
  const writer = b.run('POST /add-one');
  assert.equal(await settled(writer), false, 'a writer waits for the lock');
  const reader = await b.run('POST /look');
  assert.equal(reader.vars.context.q, 0, 'the reader ran while the lock was held');
  assert.deepEqual(reader.changes, []);
  assert.equal(await settled(writer), false);
  release();
  await writer;
  assert.equal((await b.read('stock')).items[0].quantity, 1);
});

test('a failing step after sets on two connectors leaves both files byte-identical, and releases the locks', { timeout: 20_000 }, async (t) => {
  const b = await bench(t, { connectors, routes });
  await b.run('POST /sell', { price: 3 });
  const stock = await b.file('stock');
  const till = await b.file('till');
  const error = await failure(b.run('POST /sell-then-fail'));
  assert.ok(error instanceof ActionError);
  assert.equal(error.status, 500);
  assert.equal(error.details.step, 'routes["POST /sell-then-fail"].steps[2].to');
  assert.equal(await b.file('stock'), stock);
  assert.equal(await b.file('till'), till);
  assert.deepEqual(await b.read('till'), { cash: 3 }, 'memory is unchanged too');
  await b.run('POST /sell', { price: 1 }); // would hang if the failure kept a lock
  assert.equal((await b.read('till')).cash, 4);
});

test('a result that cannot be stored (NaN) is refused for every connector with a clear 500', async (t) => {
  const b = await bench(t, { connectors, routes });
  await b.run('POST /sell', { price: 3 });
  const stock = await b.file('stock');
  const till = await b.file('till');
  const error = await failure(b.run('POST /sell-unstorable', { price: 'abc' }));
  assert.ok(error instanceof ActionError, String(error));
  assert.equal(error.status, 500);
  assert.match(error.message, /connector "till".*cash is NaN/);
  assert.match(error.message, /nothing was saved/);
  assert.equal(await b.file('stock'), stock);
  assert.equal(await b.file('till'), till);
  assert.equal((await b.read('stock')).items[0].quantity, -1);
});

test('steps work on a copy: the requester user is never changed', async (t) => {
  const b = await bench(t, { connectors, routes });
  const user = { login: 'kassir', role: 'cashier' };
  const out = await b.run('POST /touch-user', {}, { user, userKey: 'kassir', terminal: null });
  assert.equal(out.vars.user?.role, 'admin');
  assert.equal(user.role, 'cashier');
});

test('a failing action changes nothing a later reader sees, even in memory', async (t) => {
  const b = await bench(t, { connectors, routes });
  const before = await b.read('stock');
  await failure(b.run('POST /sell-then-fail'));
  assert.deepEqual(await b.read('stock'), before);
});

test('scoped connectors: one state per terminal / user; a request without that identity is refused', async (t) => {
  const b = await bench(t, { connectors, routes });
  const t1 = { user: null, userKey: null, terminal: { id: 't1', name: 'Касса 1' } };
  const t2 = { user: null, userKey: null, terminal: { id: 't2', name: 'Касса 2' } };
  await b.run('POST /receipt', { line: 'tea' }, t1);
  await b.run('POST /receipt', { line: 'bun' }, t2);
  await b.run('POST /receipt', { line: 'jam' }, t1);
  assert.deepEqual(await b.store.read('receipt', 't1'), { lines: ['tea', 'jam'] });
  assert.deepEqual(await b.store.read('receipt', 't2'), { lines: ['bun'] });
  const noTerminal = await failure(b.run('POST /receipt', { line: 'x' }, anonymous));
  assert.equal(noTerminal.status, 400);
  const noUser = await failure(b.run('POST /prefs', { theme: 'dark' }, anonymous));
  assert.equal(noUser.status, 401);
  await b.run('POST /prefs', { theme: 'dark' }, { user: { login: 'a' }, userKey: 'a', terminal: null });
  assert.deepEqual(await b.store.read('prefs', 'a'), { theme: 'dark' });
  assert.deepEqual(await b.store.read('prefs', 'b'), { theme: 'light' });
});
