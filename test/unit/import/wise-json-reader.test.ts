// The WiseJSON reader on damaged folders: a checkpoint whose segments are short or do not parse falls
// back to an older one, a torn log line is skipped and reported, an open transaction never happened,
// timeless REMOVE/CLEAR lines after a checkpoint are applied, expired documents are dropped; and the
// importer logs one line per connector and lists what it cannot import.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { listCollections, NotWiseJsonError, readCollection } from '../../../server/import/wise-json-reader.js';
import { importWiseDb, stateFromDocuments } from '../../../server/import/import-wise-db.js';
import { createStore } from '../../../server/store/index.js';
import type { Manifest } from '../../../server/manifest/types.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const afterStop = path.resolve(here, '..', '..', 'fixtures', 'original-wise-db', 'after-stop', 'wise-db-data');
const runningCopy = path.resolve(here, '..', '..', 'fixtures', 'original-wise-db', 'running-copy', 'wise-db-data');

async function copyOf(t: { after(fn: () => unknown): void }, source: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'wise-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await cp(source, dir, { recursive: true });
  return dir;
}

test('the newest checkpoint wins; a damaged one falls back to the older one and says why', async (t) => {
  const whole = await readCollection(afterStop, 'user');
  assert.equal(whole.checkpoint, '2026-12-06T05:19:21.021Z');
  assert.deepEqual(whole.documents.map((d) => d.login), ['kassir', 'petrov']);
  assert.deepEqual(whole.problems, []);

  const dir = await copyOf(t, afterStop);
  await writeFile(path.join(dir, 'user', '_checkpoints', 'checkpoint_data_user_2026-12-06T05-19-21-021Z_seg0.json'), '[{"_id":"x","login":"kass');
  const damaged = await readCollection(dir, 'user');
  assert.equal(damaged.checkpoint, '2026-12-06T05:19:05.943Z');
  assert.deepEqual(damaged.documents.map((d) => d.login), ['kassir']);
  assert.match(damaged.problems[0], /checkpoint checkpoint_meta_user_2026-12-06T05-19-21-021Z\.json: segment .* does not parse .*older checkpoint was tried/);

  // a segment set shorter than documentCount is not taken as whole
  await writeFile(
    path.join(dir, 'user', '_checkpoints', 'checkpoint_data_user_2026-12-06T05-19-21-021Z_seg0.json'),
    JSON.stringify([{ _id: 'a', login: 'kassir' }]),
  );
  const short = await readCollection(dir, 'user');
  assert.equal(short.checkpoint, '2026-12-06T05:19:05.943Z');
  assert.match(short.problems[0], /its segments hold 1 documents, the meta file says 2/);
});

test('the log: committed transactions applied, a torn last line and an open transaction skipped and reported', async (t) => {
  const dir = await copyOf(t, runningCopy);
  const log = path.join(dir, 'receipt', 'wal_receipt.log');
  await appendFile(log, '{"txn":"start","id":"txn_open","ts":"2026-12-06T05:20:00.000Z"}\n');
  await appendFile(log, '{"txn":"op","txid":"txn_open","col":"receipt","type":"clear","args":[],"ts":"2026-12-06T05:20:00.000Z"}\n');
  await appendFile(log, '{"txn":"commit","id":"txn_to');
  const read = await readCollection(dir, 'receipt');
  assert.equal(read.documents.length, 3, 'the open transaction (its commit line torn) never cleared the receipt');
  assert.equal(read.documents.find((d) => d._id === '_meta')?.statusMessage, 'Неверный купон! Скидка сброшена.');
  assert.ok(read.problems.some((p) => /line 23 is cut off .* skipped/.test(p)), read.problems.join('\n'));
  assert.ok(read.problems.some((p) => /transaction txn_open .* has no commit line .* never happened/.test(p)));
});

test('timeless REMOVE and CLEAR after the checkpoint are applied (the library would drop them); expired documents dropped', async (t) => {
  const dir = await copyOf(t, afterStop);
  const log = path.join(dir, 'sessions', 'wal_sessions.log');
  const later = '2026-12-06T06:00:00.000Z';
  await writeFile(
    log,
    [
      JSON.stringify({ op: 'INSERT', doc: { _id: 's2', login: 'petrov', createdAt: later, updatedAt: later } }),
      JSON.stringify({ op: 'REMOVE', id: 'cdb2d157ff3977faae33f2d0be9ef37fc38f672c91f5db8d690764972e203709' }),
      JSON.stringify({ op: 'INSERT', doc: { _id: 's3', login: 'old', createdAt: later, updatedAt: later, expireAt: '2020-01-01T00:00:00.000Z' } }),
      '',
    ].join('\n'),
  );
  const read = await readCollection(dir, 'sessions');
  assert.deepEqual(read.documents.map((d) => d._id), ['s2']);
  assert.equal(read.expired, 1);

  // a line older than the checkpoint is already in it
  await writeFile(log, `${JSON.stringify({ op: 'INSERT', doc: { _id: 'old', createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z' } })}\n`);
  const older = await readCollection(dir, 'sessions');
  assert.equal(older.logLinesAlreadyInCheckpoint, 1);
  assert.ok(!older.documents.some((d) => d._id === 'old'));
});

test('a folder that is not WiseJSON is refused with the reason', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'not-wise-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await mkdir(path.join(dir, 'photos'));
  await assert.rejects(listCollections(dir), (error: Error) => error instanceof NotWiseJsonError && /no sub-folder holds _checkpoints/.test(error.message));
  await writeFile(path.join(dir, 'file'), 'x');
  await assert.rejects(listCollections(path.join(dir, 'file')), /it is not a folder/);
});

test("the original's mapping: meta document keys over initialState, its own fields left out, items keep theirs", () => {
  const { state, metaKeys } = stateFromDocuments(
    [
      { _id: 'p1', name: 'Хлеб', createdAt: 'c', _txn: 't' },
      { _id: '_meta', total: 5, createdAt: 'c', updatedAt: 'u', _txn: 't' },
    ],
    { items: [{ ignored: true }], total: 0, discountPercent: 10 },
  );
  assert.deepEqual(state, { items: [{ _id: 'p1', name: 'Хлеб', createdAt: 'c', _txn: 't' }], total: 5, discountPercent: 10 });
  assert.deepEqual(metaKeys, ['total']);
});

test('the importer logs one line per connector and lists every collection it leaves out, with the reason', async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'import-store-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const lines: string[] = [];
  const log = { info: (m: string) => lines.push(`info ${m}`), warn: (m: string) => lines.push(`warn ${m}`), error: (m: string) => lines.push(`error ${m}`) };
  const manifest = {
    connectors: {
      user: { type: 'wise-json', initialState: { items: [] } },
      receipt: { type: 'lowdb', scope: 'terminal' },
      catalogue: { type: 'wise-json', collection: 'positions' },
    },
    components: {},
    routes: {},
  } as unknown as Manifest;
  const store = await createStore({ connectors: manifest.connectors, dataDir, log });
  const report = await importWiseDb({ source: afterStop, manifest, store, log });
  await store.close();
  assert.deepEqual(
    report.imported.map((i) => [i.connector, i.collection, i.items]),
    [
      ['user', 'user', 2],
      ['catalogue', 'positions', 5],
    ],
  );
  assert.ok(lines.includes('info import: connector "user" ← wise-db-data/user: 2 item(s), from checkpoint 2026-12-06T05:19:21.021Z and 0 log line(s)'), lines.join('\n'));
  assert.deepEqual(
    report.notImported.map((n) => n.what),
    ['collection "receipt" (connector "receipt")', 'collection "sessions"'],
  );
  assert.match(report.notImported[0].reason, /keeps one state per terminal, and the original's data has no terminals; 3 document\(s\) left out/);
  assert.match(report.notImported[1].reason, /no connector of the manifest stores it/);
  const stored = JSON.parse(await readFile(path.join(dataDir, 'catalogue.json'), 'utf8'));
  assert.equal(stored.items.length, 5);
});
