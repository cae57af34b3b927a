// All-or-nothing commits: invalid changes change nothing, a commit is one line of the write-ahead log
// (replayed into the files after a crash), and failed writes are reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { captureLog, openStore, tempDir } from './helpers.js';
import { InvalidChangeError, StoreWriteError } from '../../../server/store/index.js';
import type { Store } from '../../../server/store/index.js';
import { WriteAheadLog } from '../../../server/store/write-ahead-log.js';

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
  await store.flush();
  return store;
}

const logFiles = async (dir: string) => (await readdir(dir)).filter((name) => name.startsWith('_wal-'));

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
    [cyclic, /state\.self(\.self)? refers to itself/],
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

test('commits a crash left only in the write-ahead log are written into the files at start, journals once', async (t) => {
  const dir = await tempDir(t);
  const store = await seeded(t, dir);
  await store.close();
  assert.deepEqual(await logFiles(dir), [], 'a closed store left its log behind');

  // What a crash leaves when commits were acknowledged (logged) but not yet checkpointed into the files.
  const wal = new WriteAheadLog(dir, captureLog());
  await wal.append([
    { connector: 'receipt', scopeKey: 'global', write: { items: [] } },
    { connector: 'stock', scopeKey: 'global', write: { tea: 8 } },
    { connector: 'sales', scopeKey: 'global', write: { from: 1, records: [{ sale: 2 }] } },
  ]);
  // a journal append the files already hold (a checkpoint got that far) must not be added twice
  await wal.append([{ connector: 'sales', scopeKey: 'global', write: { from: 0, records: [{ sale: 1 }] } }]);
  await wal.append([{ connector: 'stock', scopeKey: 'global', write: { tea: 7 } }]);
  await wal.close();

  const log = captureLog();
  const reopened = await openStore(t, dir, connectors, log);
  assert.deepEqual(await reopened.read('receipt', 'global'), { items: [] });
  assert.deepEqual(await reopened.read('stock', 'global'), { tea: 7 });
  assert.deepEqual(await reopened.read('sales', 'global'), { items: [{ sale: 1 }, { sale: 2 }], count: 2 });
  assert.match(log.text('warn'), /stopped without closing the store; 3 logged commit\(s\) were written into the connector files \("receipt", "stock", "sales"\)/);
  assert.deepEqual(await logFiles(dir), [], 'the replayed log was left behind');
  assert.deepEqual(JSON.parse(await readFile(join(dir, 'stock.json'), 'utf8')), { tea: 7 });
});

test('a log line cut short by a crash is ignored; a damaged line inside the log is reported and kept aside', async (t) => {
  const dir = await tempDir(t);
  const store = await seeded(t, dir);
  await store.close();
  const wal = new WriteAheadLog(dir, captureLog());
  await wal.append([{ connector: 'stock', scopeKey: 'global', write: { tea: 8 } }]);
  await wal.close();
  const [name] = await logFiles(dir);
  const whole = await readFile(join(dir, name), 'utf8');

  // torn: the crash came while the next line was being written (it was never acknowledged)
  await writeFile(join(dir, name), `${whole}${whole.slice(0, 20)}`);
  const torn = captureLog();
  const first = await openStore(t, dir, connectors, torn);
  assert.deepEqual(await first.read('stock', 'global'), { tea: 8 });
  assert.equal(torn.text('error'), '');
  await first.close();

  // damaged: a whole line with a wrong checksum, followed by a good one
  assert.deepEqual(await logFiles(dir), [], 'the replayed log was left behind');
  const again = new WriteAheadLog(dir, captureLog());
  for (const tea of [6, 5, 4]) await again.append([{ connector: 'stock', scopeKey: 'global', write: { tea } }]);
  await again.close();
  const [next] = await logFiles(dir);
  await writeFile(join(dir, next), (await readFile(join(dir, next), 'utf8')).replace('"tea":5', '"tea":3'));
  const damaged = captureLog();
  const second = await openStore(t, dir, connectors, damaged);
  assert.deepEqual(await second.read('stock', 'global'), { tea: 6 }, 'the commits before the damaged line were not restored');
  assert.match(damaged.text('error'), /write-ahead log .* is damaged at line 2; the 1 commits before it were restored, what follows was kept in .*\.damaged-/);
  assert.equal((await readdir(dir)).filter((file) => file.includes('.damaged-')).length, 1);
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

test('a commit that cannot be logged is rejected with a clear error, and undone', async (t) => {
  const dir = await tempDir(t);
  const store = await openStore(t, dir, { receipt: { type: 'lowdb', scope: 'terminal' } });
  const before = await store.read('receipt', 't1');
  // the data folder vanished (unplugged drive): the log cannot be opened
  await rm(dir, { recursive: true, force: true });
  await assert.rejects(store.commit([{ name: 'receipt', scopeKey: 't1', state: { n: 1 } }]), (error: Error) => {
    assert.ok(error instanceof StoreWriteError);
    assert.match(error.message, /connector "receipt" \(terminal "t1"\): the change was not saved and was undone: could not write the commit log/);
    assert.match(error.message, /Check free disk space and write permission/);
    return true;
  });
  assert.deepEqual(await store.read('receipt', 't1'), before, 'the refused change stayed in memory');
  await mkdir(dir);
});

test('a checkpoint that cannot write a file keeps the change in the log, reports it, and writes it later', async (t) => {
  const dir = await tempDir(t);
  const log = captureLog();
  const store = await openStore(t, dir, { receipt: { type: 'lowdb', scope: 'terminal' } }, log);
  await store.read('receipt', 't1');
  // A file where the connector's folder should be makes every write of that folder fail.
  await writeFile(join(dir, 'receipt'), 'not a folder');
  await store.commit([{ name: 'receipt', scopeKey: 't1', state: { n: 1 } }]);
  await assert.rejects(store.flush(), /could not save .*t1\.json/);
  assert.match(log.text('error'), /could not bring the connector files up to date .*the changes are safe in the write-ahead log/);
  assert.equal((await logFiles(dir)).length, 1, 'the log was removed although the file was not written');

  await rm(join(dir, 'receipt'));
  await store.flush();
  assert.deepEqual(JSON.parse(await readFile(join(dir, 'receipt', 't1.json'), 'utf8')), { n: 1 });
  assert.deepEqual(await logFiles(dir), []);
});
