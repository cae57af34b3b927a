// Store.peek: the stored state itself (no copy), deep-frozen, replaced by each commit; read() stays a mutable copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore, tempDir, update } from './helpers.js';

type Receipt = { items: Array<{ id: number; qty: number }>; title?: string; total?: unknown };

test('peek hands out the same frozen state on every call, without copying', async (t) => {
  const store = await openStore(t, await tempDir(t), {
    receipt: { type: 'lowdb', initialState: { items: [{ id: 1, qty: 1 }], title: 'shop' } },
  });
  const first = store.peek('receipt', 'global') as Receipt;
  const second = store.peek('receipt', 'global') as Receipt;
  assert.deepEqual(first, { items: [{ id: 1, qty: 1 }], title: 'shop' });
  assert.equal(first, second, 'peek copied the state');
  assert.ok(Object.isFrozen(first), 'the top level is not frozen');
  assert.ok(Object.isFrozen(first.items), 'a nested array is not frozen');
  assert.ok(Object.isFrozen(first.items[0]), 'a nested object is not frozen');
});

test('changing a peeked state throws (modules run in strict mode) and leaves the store unchanged', async (t) => {
  const store = await openStore(t, await tempDir(t), {
    receipt: { type: 'memory', initialState: { items: [{ id: 1, qty: 1 }], title: 'shop' } },
  });
  const peeked = store.peek('receipt', 'global') as Receipt;
  assert.throws(() => {
    peeked.title = 'changed';
  }, TypeError);
  assert.throws(() => {
    peeked.items[0].qty = 99;
  }, TypeError);
  assert.throws(() => peeked.items.push({ id: 2, qty: 2 }), TypeError);
  assert.throws(() => {
    delete (peeked as Partial<Receipt>).title;
  }, TypeError);
  assert.deepEqual(await store.read('receipt', 'global'), { items: [{ id: 1, qty: 1 }], title: 'shop' });
});

test('read still returns a mutable deep copy, never the peeked object', async (t) => {
  const store = await openStore(t, await tempDir(t), {
    receipt: { type: 'lowdb', initialState: { items: [{ id: 1, qty: 1 }] } },
  });
  const peeked = store.peek('receipt', 'global') as Receipt;
  const read = (await store.read('receipt', 'global')) as Receipt;
  assert.notEqual(read, peeked);
  assert.notEqual(read.items, peeked.items);
  assert.ok(!Object.isFrozen(read) && !Object.isFrozen(read.items[0]), 'read returned a frozen state');
  read.items[0].qty = 5;
  read.items.push({ id: 2, qty: 2 });
  assert.deepEqual(store.peek('receipt', 'global'), { items: [{ id: 1, qty: 1 }] }, 'mutating a read changed what peek sees');
});

test('after a commit peek returns the new state, as a new frozen object', async (t) => {
  const store = await openStore(t, await tempDir(t), {
    receipt: { type: 'lowdb', initialState: { items: [{ id: 1, qty: 1 }] } },
  });
  const before = store.peek('receipt', 'global') as Receipt;
  await update<Receipt>(store, 'receipt', 'global', (state) => {
    state.items.push({ id: 2, qty: 3 });
  });
  const after = store.peek('receipt', 'global') as Receipt;
  assert.notEqual(after, before, 'peek kept the old identity after a commit');
  assert.deepEqual(after, { items: [{ id: 1, qty: 1 }, { id: 2, qty: 3 }] });
  assert.deepEqual(before, { items: [{ id: 1, qty: 1 }] }, 'the old peeked state changed');
  assert.ok(Object.isFrozen(after) && Object.isFrozen(after.items[1]));
  assert.equal(store.peek('receipt', 'global'), after, 'peek copied the new state');
});

test('peek shows a commit once it is durable; { latest: true } shows it at once', async (t) => {
  const store = await openStore(t, await tempDir(t), { counter: { type: 'lowdb', initialState: { n: 0 } } });
  await store.read('counter', 'global');
  const durable = store.commit([{ name: 'counter', scopeKey: 'global', state: { n: 1 } }]);
  assert.deepEqual(store.peek('counter', 'global'), { n: 0 }, 'readers saw a change that may still be refused');
  assert.deepEqual(store.peek('counter', 'global', { latest: true }), { n: 1 });
  await durable;
  assert.deepEqual(store.peek('counter', 'global'), { n: 1 });
});

test('peek includes computed fields, frozen, without storing them', async (t) => {
  const store = await openStore(t, await tempDir(t), {
    receipt: {
      type: 'memory',
      initialState: { items: [{ id: 1, qty: 2 }, { id: 2, qty: 3 }] },
      computed: [{ target: 'total', formula: 'sum(items, "qty")' }],
    },
  });
  const peeked = store.peek('receipt', 'global') as Receipt;
  assert.equal(peeked.total, 5);
  assert.ok(Object.isFrozen(peeked));
  assert.equal(store.peek('receipt', 'global'), peeked, 'computed view rebuilt without a change');
  await update<Receipt>(store, 'receipt', 'global', (state) => {
    state.items.push({ id: 3, qty: 10 });
  });
  assert.equal((store.peek('receipt', 'global') as Receipt).total, 15);
});

test('a scoped state is undefined for peek until read loads it, and scopes stay apart', async (t) => {
  const store = await openStore(t, await tempDir(t), {
    cart: { type: 'lowdb', scope: 'terminal', initialState: { items: [] } },
  });
  assert.equal(store.peek('cart', 'terminal-a'), undefined);
  await store.read('cart', 'terminal-a');
  assert.deepEqual(store.peek('cart', 'terminal-a'), { items: [] });
  assert.equal(store.peek('cart', 'terminal-b'), undefined);
  await update<Receipt>(store, 'cart', 'terminal-a', (state) => {
    state.items.push({ id: 1, qty: 1 });
  });
  await store.read('cart', 'terminal-b');
  assert.deepEqual(store.peek('cart', 'terminal-a'), { items: [{ id: 1, qty: 1 }] });
  assert.deepEqual(store.peek('cart', 'terminal-b'), { items: [] });
});
