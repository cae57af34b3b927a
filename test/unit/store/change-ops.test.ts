// Commits as changes (change-ops.ts): the operations found by identity turn the old state into the new one
// exactly; replaying them onto a state that already holds some of them (a crash after a checkpoint) ends in
// the same state; a sale in a 50,000-product catalogue logs a few hundred bytes, not the catalogue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { applyOps, diffStates, type ChangeOp } from '../../../server/store/change-ops.js';
import { catalogueStates, type Catalogue } from './fixtures/catalogue-steps.js';
import { openStore, tempDir } from './helpers.js';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

test('the operations turn each state into the next exactly, without touching the old one, and stay small for small changes', () => {
  for (const seed of [1, 2, 3, 4, 5]) {
    const states = catalogueStates(seed, 300).map(deepFreeze);
    for (let i = 1; i < states.length; i++) {
      const ops = diffStates(states[i - 1], states[i], { itemKey: 'id' });
      assert.deepEqual(applyOps(states[i - 1], ops), states[i], `seed ${seed}, step ${i}: ${JSON.stringify(ops).slice(0, 300)}`);
      const reordered = states[i].items.length === states[i - 1].items.length && states[i].items[0] !== states[i - 1].items[0] && states[i].items.length > 1;
      if (!reordered) assert.ok(JSON.stringify(ops).length < 1500, `seed ${seed}, step ${i}: a small change logged ${JSON.stringify(ops).length} bytes`);
    }
  }
});

test('replaying the operations from any earlier commit onto a later state ends in the final state (idempotent replay)', () => {
  for (const seed of [7, 8, 9]) {
    const states = catalogueStates(seed, 120);
    const ops: ChangeOp[][] = [[]];
    for (let i = 1; i < states.length; i++) ops.push(diffStates(states[i - 1], states[i], { itemKey: 'id' }));
    const last = states.length - 1;
    for (const [from, savedAt] of [
      [1, 60],
      [30, 31],
      [50, 110],
      [100, 120],
      [119, 120],
    ]) {
      // a checkpoint had saved state `savedAt`; the log still holds every commit after `from`
      let state: unknown = structuredClone(states[savedAt]);
      for (let i = from + 1; i <= last; i++) state = applyOps(state, ops[i], { mutable: true });
      assert.deepEqual(state, states[last], `seed ${seed}: replaying ${from + 1}..${last} onto state ${savedAt}`);
    }
  }
});

test('unchanged parts cost nothing: the same object gives no operation, a changed item gives one upsert', () => {
  const before = deepFreeze({ items: [{ id: 1, q: 1 }, { id: 2, q: 1 }], total: 2 });
  assert.deepEqual(diffStates(before, before, { itemKey: 'id' }), []);
  const after = { ...before, items: [before.items[0], { id: 2, q: 5 }] };
  assert.deepEqual(diffStates(before, after, { itemKey: 'id' }), [{ p: ['items'], key: 'id', upsert: [{ id: 2, q: 5 }] }]);
  const applied = applyOps(before, diffStates(before, after, { itemKey: 'id' })) as typeof before;
  assert.equal(applied.items[0], before.items[0], 'an untouched item was copied');
});

test('a sale that changes the stock of one product in a 50,000-product catalogue logs under 4 KB', async (t) => {
  const dir = await tempDir(t);
  const items = Array.from({ length: 50_000 }, (_, index) => ({ id: `p${index}`, barcode: String(4600000000000 + index), name: `Товар ${index}`, price: 100 + index, stock: 50 }));
  const store = await openStore(t, dir, { positions: { type: 'lowdb', keys: ['id', 'barcode'], initialState: { items } } });
  const logBytes = async () => {
    let total = 0;
    for (const name of await readdir(dir)) if (name.startsWith('_wal-')) total += (await stat(join(dir, name))).size;
    return total;
  };
  await store.flush();
  const before = await logBytes();
  const release = await store.lock([{ name: 'positions', scopeKey: 'global' }]);
  const state = (await store.snapshot('positions', 'global', { latest: true })) as { items: Array<(typeof items)[number]> };
  const next = state.items.slice();
  next[31_337] = { ...next[31_337], stock: next[31_337].stock - 1 };
  const durable = store.commit([{ name: 'positions', scopeKey: 'global', state: { ...state, items: next } }]);
  release();
  await durable;
  const logged = (await logBytes()) - before;
  assert.ok(logged > 0 && logged < 4096, `the sale logged ${logged} bytes`);
  const after = store.peek('positions', 'global') as { items: unknown[] };
  assert.equal(after.items[0], state.items[0], 'untouched products are no longer the same objects');
  assert.notEqual(after.items[31_337], state.items[31_337]);
  await store.close();
  const reopened = await openStore(t, dir, { positions: { type: 'lowdb', keys: ['id', 'barcode'], initialState: { items: [] } } });
  assert.equal(((await reopened.read('positions', 'global')) as Catalogue & { items: Array<{ stock: number }> }).items[31_337].stock, 49);
});
