// All-or-nothing commits: invalid changes change nothing, multi-file commits go through the intent
// record, and a failed durable write is reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { captureLog, openStore, tempDir } from './helpers.js';
import { InvalidChangeError, StoreWriteError } from '../../../server/store/index.js';
import type { Store } from '../../../server/store/index.js';

async function snapshot(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) files.set(join(entry.parentPath, entry.name), await readFile(join(entry.parentPath, entry.name)));
  }
  return files;
}

const connectors = {
  receipt: { type: 'lowdb' as const, initialState: { items: [] as unknown[] } },
  stock: { type: 'lowdb' as const, initialState: { tea: 10 } },
  sales: { type: 'journal' as const },
  session: { type: 'memory' as const },
};

async function seeded(t: Parameters<typeof openStore>[0], dir: string): Promise<Store> {
  const store = await openStore(t, dir, connectors);
  for (const name of Object.keys(connectors)) await store.read(name, 'global');
  await store.commit([
    { name: 'receipt', scopeKey: 'global', state: { items: [{ id: 'tea' }] } },
    { name: 'stock', scopeKey: 'global', state: { tea: 9 } },
    { name: 'sales', scopeKey: 'global', state: { items: [{ sale: 1 }] } },
  ]);
  return store;
}

test('a commit with one invalid change throws and leaves memory and every file byte-identical', async (t) => {
  const dir = await tempDir(t);
  const store = await seeded(t, dir);
  const before = await snapshot(dir);
  const memory = { receipt: await store.read('receipt', 'global'), stock: await store.read('stock', 'global') };
  const valid = { name: 'receipt', scopeKey: 'global', state: { items: [] } };
  const cyclic: Record<string, unknown> = { a: 1 };
  cyclic.self = cyclic;
  const invalid: Array<[unknown, RegExp]> = [
    [{ tea: NaN }, /connector "stock": state\.tea is NaN/],
    [{ tea: 1, when: new Date(0) }, /state\.when is a Date.*toISOString/],
    [{ tea: 1, list: [1, undefined] }, /state\.list\[1\] is undefined/],
    [{ tea: 1, fn: () => 1 }, /state\.fn is a function/],
    [{ tea: 1, big: 1n }, /state\.big is a BigInt/],
    [cyclic, /state\.self refers to itself/],
    [{ tea: 1, set: new Set([1]) }, /state\.set is a Set/],
    [undefined, /connector "stock": state is undefined/],
  ];
  for (const [state, message] of invalid) {
    await assert.rejects(store.commit([valid, { name: 'stock', scopeKey: 'global', state }]), (error: Error) => {
      assert.ok(error instanceof InvalidChangeError, `${error.name}: ${error.message}`);
      assert.match(error.message, message);
      return true;
    });
  }
  await assert.rejects(
    store.commit([valid, { name: 'sales', scopeKey: 'global', state: { items: [{ sale: 'edited' }] } }]),
    /journal "sales": records are immutable; record 1 \(items\[0\]\) was changed/,
  );
  await assert.rejects(store.commit([valid, valid]), /connector "receipt" appears twice in one commit/);
  await assert.rejects(store.commit([valid, { name: 'nope', scopeKey: 'global', state: {} }]), /unknown connector "nope"/);
  await store.flush();
  assert.deepEqual(await store.read('receipt', 'global'), memory.receipt);
  assert.deepEqual(await store.read('stock', 'global'), memory.stock);
  assert.deepEqual(await snapshot(dir), before);
});

test('a persistent connector cannot be committed before it was read', async (t) => {
  const dir = await tempDir(t);
  const store = await openStore(t, dir, { receipt: { type: 'lowdb', scope: 'terminal' }, mem: { type: 'memory', scope: 'terminal' } });
  await assert.rejects(
    store.commit([{ name: 'receipt', scopeKey: 't1', state: {} }]),
    /connector "receipt" \(terminal "t1"\) was committed before it was read/,
  );
  await store.commit([{ name: 'mem', scopeKey: 't1', state: { ok: true } }]);
  assert.deepEqual(await store.read('mem', 't1'), { ok: true });
});

test('a commit of several files is all-or-nothing: an interrupted one is finished from its intent record at start', async (t) => {
  const dir = await tempDir(t);
  const store = await seeded(t, dir);
  await store.close();
  assert.deepEqual(await readdir(dir).then((names) => names.filter((name) => name.startsWith('_commit'))), [], 'the intent record was left behind');

  // What a crash right after the intent record (and one of the files) was written leaves behind.
  await writeFile(
    join(dir, '_commit.json'),
    JSON.stringify({
      version: 1,
      changes: [
        { connector: 'receipt', scopeKey: 'global', write: { items: [] } },
        { connector: 'stock', scopeKey: 'global', write: { tea: 8 } },
        { connector: 'sales', scopeKey: 'global', write: { from: 1, records: [{ sale: 2 }] } },
        { connector: 'sales', scopeKey: 'global', write: { from: 0, records: [{ sale: 1 }] } },
      ],
    }),
  );
  await writeFile(join(dir, 'receipt.json'), JSON.stringify({ items: [] }));
  const log = captureLog();
  const reopened = await openStore(t, dir, connectors, log);
  assert.deepEqual(await reopened.read('receipt', 'global'), { items: [] });
  assert.deepEqual(await reopened.read('stock', 'global'), { tea: 8 });
  assert.deepEqual(await reopened.read('sales', 'global'), { items: [{ sale: 1 }, { sale: 2 }], count: 2 }, 'a journal append was replayed twice');
  assert.match(log.text('warn'), /finished a commit that a crash or power cut had interrupted \("receipt", "stock", "sales", "sales"\)/);
  await assert.rejects(readFile(join(dir, '_commit.json')), { code: 'ENOENT' });
});

test('an incomplete intent record is ignored and leaves the files as they were', async (t) => {
  const dir = await tempDir(t);
  const store = await seeded(t, dir);
  await store.close();
  await writeFile(join(dir, '_commit.json'), '{"version":1,"changes":[{"connector":"stock","scopeKey":"glo');
  const log = captureLog();
  const reopened = await openStore(t, dir, connectors, log);
  assert.deepEqual(await reopened.read('stock', 'global'), { tea: 9 });
  assert.match(log.text('warn'), /ignored .*_commit\.json .*not a complete commit record/);
});

test('concurrent multi-file commits and single-file commits on the same connectors keep every file in step', async (t) => {
  const dir = await tempDir(t);
  const store = await openStore(t, dir, connectors);
  for (const name of ['receipt', 'stock', 'sales']) await store.read(name, 'global');
  const sale = async (index: number) => {
    const release = await store.lock([{ name: 'stock', scopeKey: 'global' }, { name: 'sales', scopeKey: 'global' }, { name: 'receipt', scopeKey: 'global' }]);
    let durable: Promise<void>;
    try {
      const stock = (await store.read('stock', 'global')) as { tea: number };
      const sales = (await store.read('sales', 'global')) as { items: unknown[] };
      sales.items.push({ sale: index });
      const changes = [
        { name: 'stock', scopeKey: 'global', state: { tea: stock.tea - 1 } },
        { name: 'sales', scopeKey: 'global', state: sales },
      ];
      // Every third sale only touches the stock, every fifth also the receipt.
      if (index % 3 === 0) changes.pop();
      if (index % 5 === 0) changes.push({ name: 'receipt', scopeKey: 'global', state: { items: [{ last: index }] } });
      durable = store.commit(changes);
    } finally {
      release();
    }
    await durable;
  };
  await Promise.all(Array.from({ length: 30 }, (_, index) => sale(index + 1)));
  await store.close();
  const reopened = await openStore(t, dir, connectors);
  assert.deepEqual(await reopened.read('stock', 'global'), { tea: -20 });
  assert.equal(((await reopened.read('sales', 'global')) as { count: number }).count, 20);
  assert.deepEqual(await reopened.read('receipt', 'global'), { items: [{ last: 30 }] });
});

test('a durable write that fails rejects the commit with a clear error', async (t) => {
  const dir = await tempDir(t);
  const store = await openStore(t, dir, { receipt: { type: 'lowdb', scope: 'terminal' } });
  await store.read('receipt', 't1');
  // A file where the connector's folder should be makes every write of that folder fail.
  await rm(join(dir, 'receipt'), { recursive: true, force: true });
  await writeFile(join(dir, 'receipt'), 'not a folder');
  await assert.rejects(store.commit([{ name: 'receipt', scopeKey: 't1', state: { n: 1 } }]), (error: Error) => {
    assert.ok(error instanceof StoreWriteError);
    assert.match(error.message, /connector "receipt" \(terminal "t1"\): the change is visible but was not saved: could not save .*t1\.json/);
    assert.match(error.message, /Check free disk space and write permission/);
    return true;
  });
  await store.flush();
});
