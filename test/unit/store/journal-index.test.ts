// The data folder's journal index (store/journal-index.ts): built by a streaming scan in chunks, extended
// by later queries, and answering a page by reading only the page's lines (never the whole file).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createStore, nodeFileSystem, type StoreFileSystem } from '../../../server/store/index.js';
import { captureLog, tempDir, update } from './helpers.js';

const RECORDS = 12_000;
const sale = (n: number) => ({ number: n + 1, day: `2026-11-${String(1 + (n % 30)).padStart(2, '0')}`, total: (n % 997) * 10, note: 'x'.repeat(80) });

/** The real disk, counting what readAt reads and whether the whole file is ever read. */
function countingDisk() {
  const seen = { readAtBytes: 0, readAtCalls: 0, wholeFiles: [] as string[] };
  const fs: StoreFileSystem = {
    ...nodeFileSystem,
    readAt: async (fd, length, position) => {
      const bytes = await nodeFileSystem.readAt(fd, length, position);
      seen.readAtBytes += bytes.length;
      seen.readAtCalls++;
      return bytes;
    },
    readFile: async (path) => {
      seen.wholeFiles.push(path);
      return nodeFileSystem.readFile(path);
    },
  };
  return { fs, seen };
}

test('a journal of 12,000 records (over 1 MB): the first query scans it in chunks, later pages read only their lines', async (t) => {
  const dataDir = await tempDir(t);
  const lines = Array.from({ length: RECORDS }, (_, n) => `${JSON.stringify(sale(n))}\n`).join('');
  assert.ok(Buffer.byteLength(lines) > 1.2 * (1 << 20), 'the file spans more than one scan chunk');
  await writeFile(join(dataDir, 'sales.jsonl'), lines);
  const { fs, seen } = countingDisk();
  const store = await createStore({
    connectors: { sales: { type: 'journal', view: { last: 10 }, index: ['day', 'number', 'total'] } },
    dataDir,
    log: captureLog(),
    fileSystem: fs,
  });
  t.after(() => store.close());

  const first = await store.queryJournal('sales', 'global', { where: { day: '2026-11-07' }, size: 5 });
  assert.equal(first.total, RECORDS / 30);
  assert.deepEqual(first.items, [sale(11_976), sale(11_946), sale(11_916), sale(11_886), sale(11_856)]);
  assert.ok(seen.readAtCalls >= 2, 'the scan read the file in more than one chunk');

  const before = { ...seen };
  const wholeFilesBefore = seen.wholeFiles.length;
  const page = await store.queryJournal('sales', 'global', { where: { day: '2026-11-07', total: { from: 5000, to: 6000 } }, size: 3, page: 2 });
  const matching = Array.from({ length: RECORDS }, (_, n) => n).filter((n) => n % 30 === 6 && sale(n).total >= 5000 && sale(n).total <= 6000);
  assert.equal(page.total, matching.length);
  assert.deepEqual(page.items, matching.reverse().slice(3, 6).map(sale));
  assert.ok(seen.readAtCalls - before.readAtCalls <= 3, 'one read per record of the page (at most)');
  assert.ok(seen.readAtBytes - before.readAtBytes < 1000, `read ${seen.readAtBytes - before.readAtBytes} bytes for a page of 3`);
  assert.equal(seen.wholeFiles.length, wholeFilesBefore, 'a query never reads the whole file');

  // new records: indexed by the next query, from where the scan stopped
  await update<{ items: unknown[] }>(store, 'sales', 'global', (state) => void state.items.push({ number: RECORDS + 1, day: '2026-11-07', total: 5500 }));
  await store.flush(); // in the file now, not only in the write-ahead log
  const afterAppend = { ...seen };
  const newest = await store.queryJournal('sales', 'global', { where: { day: '2026-11-07', total: { from: 5000, to: 6000 } }, size: 1 });
  assert.deepEqual(newest.items, [{ number: RECORDS + 1, day: '2026-11-07', total: 5500 }]);
  assert.equal(newest.total, matching.length + 1);
  assert.ok(seen.readAtBytes - afterAppend.readAtBytes < 1000, 'extending the index read the new line, not the file again');
});

test('consecutive records of a page are read together', async (t) => {
  const dataDir = await tempDir(t);
  await writeFile(join(dataDir, 'sales.jsonl'), Array.from({ length: 100 }, (_, n) => `${JSON.stringify(sale(n))}\n`).join(''));
  const { fs, seen } = countingDisk();
  const store = await createStore({ connectors: { sales: { type: 'journal', view: { last: 0 }, index: ['day'] } }, dataDir, log: captureLog(), fileSystem: fs });
  t.after(() => store.close());
  await store.queryJournal('sales', 'global', { size: 1 });
  const calls = seen.readAtCalls;
  const page = await store.queryJournal('sales', 'global', { size: 40, page: 2, order: 'oldest' });
  assert.deepEqual(page.items, Array.from({ length: 40 }, (_, i) => sale(40 + i)));
  assert.equal(seen.readAtCalls - calls, 1);
});
