// The original engine's data comes along: both folders written by the original (stopped, and copied while
// it ran) are imported on the first start of an app that has wise-db-data/ beside its manifest; every user
// logs in over real HTTP with the old password; products and the open receipt are what the original
// itself reads back (expected-by-original.json); the source folder is not changed. The import command
// refuses a folder that holds data (unless --replace, which keeps it aside) and a folder that is not WiseJSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fixtures, startHost } from '../helpers/host.js';
import { TestTerminal } from '../helpers/http-client.js';
import { main } from '../../server/cli.js';
import { onCleanup } from '../helpers/cleanup.js';

const originalApp = path.join(fixtures, 'original-kassa');
const originalData = path.join(fixtures, 'original-wise-db');
const USERS = [
  { login: 'kassir', password: '123' },
  { login: 'petrov', password: 'qwerty' },
];
const WRITTEN_BY_THE_STORE = ['_id', 'createdAt', 'updatedAt'];

type Doc = Record<string, unknown>;

async function tempDir(t: { after(fn: () => unknown): void }, prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  onCleanup(t, () => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** The original-shaped app with one of the fixture folders as its wise-db-data/. */
async function appWithOriginalData(t: { after(fn: () => unknown): void }, fixture: string): Promise<string> {
  const dir = await tempDir(t, 'import-app-');
  await cp(originalApp, dir, { recursive: true });
  await cp(path.join(originalData, fixture, 'wise-db-data'), path.join(dir, 'wise-db-data'), { recursive: true });
  return dir;
}

async function treeHash(dir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const entry of (await readdir(dir, { recursive: true, withFileTypes: true })).sort((a, b) =>
    path.join(a.parentPath, a.name).localeCompare(path.join(b.parentPath, b.name)),
  )) {
    const full = path.join(entry.parentPath, entry.name);
    hash.update(path.relative(dir, full));
    if (entry.isFile()) hash.update(await readFile(full));
  }
  return hash.digest('hex');
}

function without(doc: Doc, keys: string[]): Doc {
  return Object.fromEntries(Object.entries(doc).filter(([key]) => !keys.includes(key)));
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'serverokey', ...args], { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

for (const fixture of ['after-stop', 'running-copy']) {
  test(`${fixture}: the first start imports the original's data; users log in with their old passwords`, async (t) => {
    const appDir = await appWithOriginalData(t, fixture);
    const expected = JSON.parse(await readFile(path.join(originalData, fixture, 'expected-by-original.json'), 'utf8')) as Record<string, Doc[]>;
    const sourceBefore = await treeHash(path.join(appDir, 'wise-db-data'));
    const host = await startHost(appDir);
    onCleanup(t, () => host.stop());

    for (const { login, password } of USERS) {
      const terminal = new TestTerminal(host.url);
      const result = await terminal.login(login, password);
      assert.deepEqual(result.body, { redirect: { url: '/', full: true } }, `${login} logs in with the old password`);
      const page = await terminal.get('/');
      assert.equal(page.status, 200);
      const user = expected.user.find((u) => u.login === login)!;
      assert.ok(page.text.includes(`${user.name} (${user.role})`), `${login}'s page greets them`);
    }
    const wrong = await new TestTerminal(host.url).login('kassir', 'not-the-password');
    assert.deepEqual(wrong.body, { redirect: '/login?error=1' });

    await host.flushed();
    const stored = async (name: string) => JSON.parse(await readFile(path.join(host.dataDir, `${name}.json`), 'utf8')) as Doc & { items: Doc[] };

    // products: every field the original reads back (the app's migration adds `active` on top)
    const positions = await stored('positions');
    assert.deepEqual(positions.items.map((item) => without(item, ['active'])), expected.positions);
    assert.ok(positions.items.every((item) => item.active === true));

    // the open receipt: its lines whole, its totals and message as meta fields
    const receipt = await stored('receipt');
    const meta = expected.receipt.find((doc) => doc._id === '_meta')!;
    assert.deepEqual(receipt.items, expected.receipt.filter((doc) => doc._id !== '_meta'));
    assert.deepEqual(without(receipt, ['items']), without(meta, [...WRITTEN_BY_THE_STORE, '_txn']));

    // users: every field, but a document the original gave its _id and times only when it read it back
    const users = await stored('user');
    assert.equal(users.items.length, expected.user.length);
    for (const [index, user] of users.items.entries()) {
      const original = expected.user[index];
      const generatedOnRead = original.createdAt !== user.createdAt;
      assert.deepEqual(generatedOnRead ? without(user, WRITTEN_BY_THE_STORE) : user, generatedOnRead ? without(original, WRITTEN_BY_THE_STORE) : original);
    }

    // the receipt page shows the imported lines
    const cashier = new TestTerminal(host.url);
    await cashier.login('kassir', '123');
    const page = await cashier.get('/');
    assert.match(page.text, /Сыр Российский/);

    assert.equal(await treeHash(path.join(appDir, 'wise-db-data')), sourceBefore, 'the source folder is unchanged');
  });
}

test('a second start does not import again (the data folder holds state)', async (t) => {
  const appDir = await appWithOriginalData(t, 'after-stop');
  const dataDir = await tempDir(t, 'import-data-');
  const first = await startHost(appDir, { dataDir });
  const cashier = new TestTerminal(first.url);
  await cashier.login('kassir', '123');
  assert.equal((await cashier.action('/action/clearReceipt')).status, 200);
  await first.stop();
  const second = await startHost(appDir, { dataDir });
  onCleanup(t, () => second.stop());
  await second.flushed();
  const receipt = JSON.parse(await readFile(path.join(dataDir, 'receipt.json'), 'utf8'));
  assert.deepEqual(receipt.items, [], 'the cleared receipt stays cleared');
});

test('serverokey import: into an empty folder, then refused without --replace, kept aside with it', async (t) => {
  const dataDir = path.join(await tempDir(t, 'import-cli-'), 'data');
  const from = path.join(originalData, 'after-stop', 'wise-db-data');
  const first = await cli(['import', originalApp, '--from', from, '--data', dataDir]);
  assert.equal(first.code, 0, first.err);
  assert.match(first.out, /user ← user: 2 item\(s\)/);
  assert.match(first.out, /positions ← positions: 5 item\(s\)/);
  assert.match(first.out, /not imported:\n {2}collection "sessions" \(connector "session"\): 1 login session/);

  const again = await cli(['import', originalApp, '--from', from, '--data', dataDir]);
  assert.equal(again.code, 1);
  assert.match(again.err, /already holds data; nothing was imported\. Add --replace/);

  await writeFile(path.join(dataDir, 'marker.txt'), 'the old data');
  const replaced = await cli(['import', originalApp, '--from', path.join(originalData, 'running-copy', 'wise-db-data'), '--data', dataDir, '--replace']);
  assert.equal(replaced.code, 0, replaced.err);
  const aside = /kept in (\S+)/.exec(replaced.out)?.[1];
  assert.ok(aside, replaced.out);
  assert.equal(await readFile(path.join(aside, 'marker.txt'), 'utf8'), 'the old data', 'the replaced data is kept');
  assert.ok((await readdir(dataDir)).includes('user.json'));
  assert.ok(!(await readdir(dataDir)).includes('marker.txt'));
});

test('serverokey import of a folder that is not WiseJSON: a clear error, nothing written', async (t) => {
  const dir = await tempDir(t, 'import-bad-');
  await writeFile(path.join(dir, 'notes.txt'), 'hello');
  const dataDir = path.join(dir, 'data');
  const result = await cli(['import', originalApp, '--from', dir, '--data', dataDir]);
  assert.equal(result.code, 1);
  assert.match(result.err, /is not a WiseJSON data folder \(no sub-folder holds _checkpoints\/ or a wal_<name>\.log\)/);
  const missing = await cli(['import', originalApp, '--from', path.join(dir, 'nope'), '--data', dataDir]);
  assert.match(missing.err, /is not a WiseJSON data folder \(it does not exist\)/);
  assert.deepEqual((await readdir(dir)).sort(), ['notes.txt']);
});
