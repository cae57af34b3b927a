// The write-ahead log on its own: group commit, generations, recovery, and which files it may remove;
// and the store's checkpoint that brings the connector files up to date without a flush.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { waitFor } from '../../helpers/wait.js';
import { captureLog, openStore, tempDir, update } from './helpers.js';
import { WriteAheadLog } from '../../../server/store/write-ahead-log.js';
import { createStore } from '../../../server/store/index.js';

const logFiles = async (dir: string) => (await readdir(dir)).filter((name) => name.startsWith('_wal-')).sort();
const change = (n: number) => [{ connector: 'c', scopeKey: 'global', write: { n } }];

test('appends that arrive while a flush is on its way share the next flush', async (t) => {
  const dir = await tempDir(t);
  const flushes: number[] = [];
  const original = fs.fdatasync;
  fs.fdatasync = ((fd: number, callback: (error: NodeJS.ErrnoException | null) => void) => {
    flushes.push(fd);
    original(fd, callback);
  }) as typeof fs.fdatasync;
  t.after(() => (fs.fdatasync = original));

  const wal = new WriteAheadLog(dir, captureLog());
  await Promise.all(Array.from({ length: 50 }, (_, n) => wal.append(change(n))));
  await wal.close();
  assert.ok(flushes.length <= 2, `50 appends took ${flushes.length} flushes`);
  const { commits } = await new WriteAheadLog(dir, captureLog()).recover();
  assert.deepEqual(
    commits.map(([first]) => (first.write as { n: number }).n),
    Array.from({ length: 50 }, (_, n) => n),
    'the lines are not all there, in order',
  );
});

test('seal starts a new file; discard removes only the files this log wrote or recovered', async (t) => {
  const dir = await tempDir(t);
  const wal = new WriteAheadLog(dir, captureLog());
  await wal.append(change(1));
  const sealed = await wal.seal();
  await wal.append(change(2));
  assert.equal(sealed.length, 1);
  assert.equal((await logFiles(dir)).length, 2, 'the append after the seal did not go to a new file');

  // another store on the same folder (the dev loop's reload overlaps two for a moment)
  const other = new WriteAheadLog(dir, captureLog());
  await other.append(change(3));
  await wal.discard([...sealed, ...(await logFiles(dir)).map((name) => join(dir, name))]);
  const left = await logFiles(dir);
  assert.equal(left.length, 2, 'the sealed file was not removed, or the open one / the other log was');
  await Promise.all([wal.close(), other.close()]);

  const { commits } = await new WriteAheadLog(dir, captureLog()).recover();
  assert.deepEqual(commits.map(([first]) => (first.write as { n: number }).n).sort(), [2, 3]);
});

test('the store brings the connector files up to date by itself shortly after a commit, and drops the log', async (t) => {
  const dir = await tempDir(t);
  const store = await openStore(t, dir, { receipt: { type: 'lowdb', initialState: { n: 0 } } });
  await update(store, 'receipt', 'global', () => ({ n: 1 }));
  assert.equal((await logFiles(dir)).length, 1, 'the acknowledged commit is not in the log');
  const stored = await waitFor(
    async () => (await logFiles(dir)).length === 0 && (await readFile(join(dir, 'receipt.json'), 'utf8').then(JSON.parse)),
    'the checkpoint after the commit',
  );
  assert.deepEqual(stored, { n: 1 });
  assert.deepEqual(await logFiles(dir), []);
});

test('a connector may not be named like a log file', async (t) => {
  const dir = await tempDir(t);
  await assert.rejects(
    createStore({ connectors: { '_wal-1.log': { type: 'lowdb' } }, dataDir: dir, log: captureLog() }),
    /connector "_wal-1\.log": names like this are reserved for the store's write-ahead log/,
  );
});

test('a clock set back while the till runs does not reorder the log files', async (t) => {
  const dir = await tempDir(t);
  const realNow = Date.now;
  let now = realNow();
  Date.now = () => now;
  t.after(() => (Date.now = realNow));
  const wal = new WriteAheadLog(dir, captureLog());
  await wal.append(change(1));
  await wal.seal();
  now -= 3_600_000; // an hour back
  await wal.append(change(2));
  await wal.seal();
  await wal.append(change(3));
  await wal.close();
  const { commits } = await new WriteAheadLog(dir, captureLog()).recover();
  assert.deepEqual(commits.map(([first]) => (first.write as { n: number }).n), [1, 2, 3]);
});
