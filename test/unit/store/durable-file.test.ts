// The durable lowdb adapter: group commit, the .bak copy, and recovery from a damaged file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir, truncate, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { captureLog, openStore, tempDir, update } from './helpers.js';
import { DurableJsonFile, DamagedFileError } from '../../../server/store/index.js';

test('writes while one is in flight coalesce into one next write of the latest data', async (t) => {
  const dir = await tempDir(t);
  const file = new DurableJsonFile<{ n: number }>(join(dir, 'a.json'), { log: captureLog() });
  assert.equal(await file.read(), null);
  const first = file.write({ n: 1 });
  const second = file.write({ n: 2 });
  const third = file.write({ n: 3 });
  assert.equal(second, third, 'later writes did not join the same next write');
  assert.notEqual(first, second);
  await first;
  assert.deepEqual(JSON.parse(await readFile(join(dir, 'a.json'), 'utf8')), { n: 1 });
  await third;
  assert.deepEqual(await file.read(), { n: 3 });
  // The previous good content is kept next to the file, and no temp file is left.
  assert.deepEqual(JSON.parse(await readFile(join(dir, 'a.json.bak'), 'utf8')), { n: 1 });
  assert.deepEqual((await readdir(dir)).sort(), ['a.json', 'a.json.bak']);
});

test('a truncated file at start is reported and the .bak copy is used', async (t) => {
  const dir = await tempDir(t);
  const connectors = { receipt: { type: 'lowdb' as const, initialState: { items: [] as unknown[] } } };
  const store = await openStore(t, dir, connectors);
  // two checkpoints: the file, then the previous content kept as .bak
  await update(store, 'receipt', 'global', () => ({ items: [{ id: 'tea' }] }));
  await store.flush();
  await update(store, 'receipt', 'global', () => ({ items: [{ id: 'tea' }, { id: 'milk' }] }));
  await store.close();
  const path = join(dir, 'receipt.json');
  await truncate(path, 10);

  const log = captureLog();
  const reopened = await openStore(t, dir, connectors, log);
  assert.deepEqual(await reopened.read('receipt', 'global'), { items: [{ id: 'tea' }] }, 'the .bak copy was not used');
  const report = log.text('error');
  assert.match(report, /receipt\.json was damaged \(it is not valid JSON/);
  assert.match(report, /restored from .*receipt\.json\.bak/);
  assert.match(report, /the damaged file was kept as .*receipt\.json\.damaged-/);
  const kept = (await readdir(dir)).find((name) => name.startsWith('receipt.json.damaged-'));
  assert.ok(kept);
  assert.equal((await readFile(join(dir, kept))).length, 10);
  // The restored copy is back in place, so a second start needs no recovery.
  assert.deepEqual(JSON.parse(await readFile(path, 'utf8')), { items: [{ id: 'tea' }] });
  await reopened.close();
  const quiet = captureLog();
  await openStore(t, dir, connectors, quiet);
  assert.equal(quiet.text('error'), '');
});

test('the newest parseable of .tmp and .bak wins', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'receipt.json');
  await writeFile(path, '');
  await writeFile(`${path}.bak`, '{"from":"bak"}');
  await writeFile(`${path}.tmp`, '{"from":"tmp"}');
  await utimes(`${path}.bak`, new Date(1_000_000), new Date(1_000_000));
  const log = captureLog();
  const store = await openStore(t, dir, { receipt: { type: 'lowdb' } }, log);
  assert.deepEqual(await store.read('receipt', 'global'), { from: 'tmp' });
  assert.match(log.text('error'), /receipt\.json was damaged \(the file is empty\)\. It was restored from .*receipt\.json\.tmp/);
});

test('a damaged file without any good copy stops start-up and names the file and the copies', async (t) => {
  const dir = await tempDir(t);
  const path = join(dir, 'receipt.json');
  await writeFile(path, '{"items": [{"id": "tea"');
  await writeFile(`${path}.bak`, 'also broken');
  await assert.rejects(openStore(t, dir, { receipt: { type: 'lowdb' }, other: { type: 'lowdb' } }), (error: Error) => {
    assert.ok(error instanceof DamagedFileError);
    assert.equal(error.file, path);
    assert.match(error.message, /receipt\.json is damaged \(it is not valid JSON.*\) and no good copy was found \(looked for .*receipt\.json\.tmp and .*receipt\.json\.bak\)/);
    assert.match(error.message, /Start-up stopped so that nothing overwrites it/);
    return true;
  });
  // Nothing was replaced with initialState.
  assert.equal(await readFile(path, 'utf8'), '{"items": [{"id": "tea"');
});
