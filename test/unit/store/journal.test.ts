// The journal kind: append-only records, a bounded view, immutability, torn last lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { captureLog, openStore, tempDir, update } from './helpers.js';
import type { JournalState } from '../../../server/store/index.js';

const lines = async (file: string) => (await readFile(file, 'utf8')).split('\n').filter(Boolean).map((line) => JSON.parse(line));

test('appends records, counts them, shows the last N, and survives a reopen', async (t) => {
  const dir = await tempDir(t);
  const connectors = { sales: { type: 'journal' as const, view: { last: 3 } } };
  const store = await openStore(t, dir, connectors);
  assert.deepEqual(await store.read('sales', 'global'), { items: [], count: 0 });
  for (let sale = 1; sale <= 5; sale++) {
    await update(store, 'sales', 'global', (state: JournalState) => void state.items.push({ sale, total: sale * 1.5 }));
  }
  // Two records in one commit.
  await update(store, 'sales', 'global', (state: JournalState) => void state.items.push({ sale: 6 }, { sale: 7 }));
  assert.deepEqual(await store.read('sales', 'global'), { items: [{ sale: 5, total: 7.5 }, { sale: 6 }, { sale: 7 }], count: 7 });
  const file = join(dir, 'sales.jsonl');
  await store.flush();
  assert.deepEqual((await lines(file)).map((record) => record.sale), [1, 2, 3, 4, 5, 6, 7]);
  // A commit that adds nothing writes nothing.
  const size = (await readFile(file)).length;
  await update(store, 'sales', 'global', () => {});
  await store.flush();
  assert.equal((await readFile(file)).length, size);
  await store.close();

  const reopened = await openStore(t, dir, connectors);
  assert.deepEqual(await reopened.read('sales', 'global'), { items: [{ sale: 5, total: 7.5 }, { sale: 6 }, { sale: 7 }], count: 7 });
  await update(reopened, 'sales', 'global', (state: JournalState) => void state.items.push({ sale: 8 }));
  await reopened.flush();
  assert.deepEqual((await lines(file)).map((record) => record.sale), [1, 2, 3, 4, 5, 6, 7, 8]);
});

test('the default view is the last 200 records; view.last 0 shows none but still counts', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, 'sales.jsonl'), Array.from({ length: 250 }, (_, index) => `{"n":${index}}\n`).join(''));
  const store = await openStore(t, dir, { sales: { type: 'journal' }, log: { type: 'journal', view: { last: 0 } } });
  const sales = (await store.read('sales', 'global')) as JournalState;
  assert.equal(sales.count, 250);
  assert.equal(sales.items.length, 200);
  assert.deepEqual(sales.items[0], { n: 50 });
  assert.deepEqual(sales.items[199], { n: 249 });
  await update(store, 'log', 'global', (state: JournalState) => void state.items.push({ event: 'open' }));
  assert.deepEqual(await store.read('log', 'global'), { items: [], count: 1 });
});

test('records are immutable: editing, removing or adding other keys is refused', async (t) => {
  const dir = await tempDir(t);
  const store = await openStore(t, dir, { sales: { type: 'journal', initialState: { items: [{ sale: 1 }, { sale: 2 }] } } });
  const read = async () => (await store.read('sales', 'global')) as JournalState;
  const commit = (state: unknown) => store.commit([{ name: 'sales', scopeKey: 'global', state }]);

  const edited = await read();
  (edited.items[1] as { sale: number }).sale = 20;
  await assert.rejects(commit(edited), /journal "sales": records are immutable; record 2 \(items\[1\]\) was changed/);
  const removed = await read();
  removed.items.shift();
  removed.items.push({ sale: 3 });
  await assert.rejects(commit(removed), /records are immutable; record 1 \(items\[0\]\) was changed/);
  const shorter = await read();
  shorter.items.pop();
  await assert.rejects(commit(shorter), /records are immutable and cannot be removed/);
  await assert.rejects(commit({ ...(await read()), total: 5 }), /journal "sales" holds only records; "total" cannot be stored/);
  await assert.rejects(commit([]), /the state must be \{ items: \[\.\.\.\] \}/);

  assert.deepEqual(await read(), { items: [{ sale: 1 }, { sale: 2 }], count: 2 });
  assert.deepEqual((await lines(join(dir, 'sales.jsonl'))).length, 2);
});

test('a torn last line after a crash is cut off, reported, and appends continue cleanly', async (t) => {
  const dir = await tempDir(t);
  const file = join(dir, 'sales.jsonl');
  await writeFile(file, '{"sale":1}\n{"sale":2}\n');
  await appendFile(file, '{"sale":3,"tot');
  const log = captureLog();
  const store = await openStore(t, dir, { sales: { type: 'journal' } }, log);
  assert.deepEqual(await store.read('sales', 'global'), { items: [{ sale: 1 }, { sale: 2 }], count: 2 });
  assert.match(log.text('warn'), /sales\.jsonl: the last record was cut off \(14 bytes/);
  await update(store, 'sales', 'global', (state: JournalState) => void state.items.push({ sale: 3 }));
  await store.flush();
  assert.equal(await readFile(file, 'utf8'), '{"sale":1}\n{"sale":2}\n{"sale":3}\n');
});

test('a damaged record inside the view stops start-up with the record number', async (t) => {
  const dir = await tempDir(t);
  await writeFile(join(dir, 'sales.jsonl'), '{"sale":1}\n{"sale":2,,}\n{"sale":3}\n');
  await assert.rejects(openStore(t, dir, { sales: { type: 'journal' } }), /sales\.jsonl: record 2 of 3 is damaged/);
});

test('scoped journals keep one file per key', async (t) => {
  const dir = await tempDir(t);
  const store = await openStore(t, dir, { shifts: { type: 'journal', scope: 'terminal' } });
  await update(store, 'shifts', 'till 1', (state: JournalState) => void state.items.push({ open: 1 }));
  await update(store, 'shifts', 'till-2', (state: JournalState) => void state.items.push({ open: 2 }));
  await store.flush();
  assert.deepEqual(await lines(join(dir, 'shifts', 'till%201.jsonl')), [{ open: 1 }]);
  assert.deepEqual(await store.read('shifts', 'till-2'), { items: [{ open: 2 }], count: 1 });
});
