// Locks and group commit under concurrent callers: no lost update, in memory and on disk.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { openStore, tempDir, update } from './helpers.js';

type Receipt = { items: Array<{ id: string; quantity: number }> };

test('8 concurrent callers x 50 read-modify-write commits end with exactly 400, in memory and on disk', async (t) => {
  const dir = await tempDir(t);
  const connectors = { receipt: { type: 'lowdb' as const, initialState: { items: [{ id: 'tea', quantity: 0 }] } } };
  const store = await openStore(t, dir, connectors);
  const caller = async () => {
    for (let round = 0; round < 50; round++) {
      await update(store, 'receipt', 'global', (state: Receipt) => {
        state.items[0].quantity += 1;
      });
    }
  };
  await Promise.all(Array.from({ length: 8 }, caller));
  assert.equal(((await store.read('receipt', 'global')) as Receipt).items[0].quantity, 400);
  // Every commit promise has resolved, so what is on disk must already hold 400: a store opened on the
  // folder now (what a restart after a crash does: no flush, no close) finds it.
  const afterCrash = await openStore(t, dir, connectors);
  assert.equal(((await afterCrash.read('receipt', 'global')) as Receipt).items[0].quantity, 400);
  await store.close();
  assert.equal((JSON.parse(await readFile(join(dir, 'receipt.json'), 'utf8')) as Receipt).items[0].quantity, 400);

  const reopened = await openStore(t, dir, connectors);
  assert.equal(((await reopened.read('receipt', 'global')) as Receipt).items[0].quantity, 400);
});

test('locks on several connectors taken in any order do not deadlock and exclude each other', async (t) => {
  const store = await openStore(t, await tempDir(t), {
    a: { type: 'lowdb', initialState: { n: 0 } },
    b: { type: 'lowdb', initialState: { n: 0 } },
  });
  let inside = 0;
  let most = 0;
  const worker = async (targets: Array<{ name: string; scopeKey: string }>) => {
    for (let round = 0; round < 20; round++) {
      const release = await store.lock(targets);
      inside++;
      most = Math.max(most, inside);
      const a = (await store.read('a', 'global')) as { n: number };
      const b = (await store.read('b', 'global')) as { n: number };
      await new Promise((resolve) => setImmediate(resolve));
      const durable = store.commit([
        { name: 'a', scopeKey: 'global', state: { n: a.n + 1 } },
        { name: 'b', scopeKey: 'global', state: { n: b.n + 1 } },
      ]);
      inside--;
      release();
      await durable;
    }
  };
  const ab = [{ name: 'a', scopeKey: 'global' }, { name: 'b', scopeKey: 'global' }];
  const ba = [{ name: 'b', scopeKey: 'x' }, { name: 'a', scopeKey: 'y' }, { name: 'b', scopeKey: 'global' }];
  await Promise.all([worker(ab), worker(ba), worker(ab), worker(ba)]);
  assert.equal(most, 1, 'two callers held the same lock at once');
  assert.deepEqual(await store.read('a', 'global'), { n: 80 });
  assert.deepEqual(await store.read('b', 'global'), { n: 80 });
});

test('a commit is visible to readers synchronously, before it is durable; reads take no lock', async (t) => {
  const store = await openStore(t, await tempDir(t), { receipt: { type: 'lowdb', initialState: { n: 0 } } });
  await store.read('receipt', 'global');
  const release = await store.lock([{ name: 'receipt', scopeKey: 'global' }]);
  const durable = store.commit([{ name: 'receipt', scopeKey: 'global', state: { n: 1 } }]);
  assert.deepEqual(await store.read('receipt', 'global'), { n: 1 }, 'a read waited for the lock or for durability');
  release();
  await durable;
});
