// Durability over real HTTP: concurrent callers lose no update, a host killed with SIGKILL in the middle of
// a stream of writes keeps every acknowledged write in a file that parses, and a truncated file found at
// start is reported and replaced by its last good copy.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, truncate } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fixtures, startHost } from '../helpers/host.js';
import { TestTerminal } from '../helpers/http-client.js';
import { startHostChild, type ChildHost } from '../helpers/host-child.js';
import { onCleanup } from '../helpers/cleanup.js';

const appDir = path.join(fixtures, 'durability-app');

async function tempData(t: { after(fn: () => unknown): void }): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'durability-'));
  onCleanup(t, () => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function stopChild(host: ChildHost): Promise<void> {
  host.child.kill('SIGTERM');
  assert.equal(await host.exited, 0, host.stderr());
}

test('8 concurrent terminals × 50 "add one" actions over HTTP end with exactly 400, in memory and on disk', async (t) => {
  const host = await startHost(appDir);
  onCleanup(t, () => host.stop());
  const terminals = await Promise.all(Array.from({ length: 8 }, () => new TestTerminal(host.url).open('/')));
  await Promise.all(
    terminals.map(async (terminal) => {
      for (let i = 0; i < 50; i++) {
        const result = await terminal.action('/action/add-one');
        assert.equal(result.status, 200, JSON.stringify(result.body));
      }
    }),
  );
  await host.flushed();
  const onDisk = JSON.parse(await readFile(path.join(host.dataDir, 'stock.json'), 'utf8'));
  assert.equal(onDisk.items[0].quantity, 400);
  const page = await terminals[0].get('/');
  assert.match(page.text, /tea: 400/);
});

test('SIGKILL during a stream of writes: after a restart the file parses and holds every acknowledged write', async (t) => {
  const dataDir = await tempData(t);
  const first = await startHostChild(appDir, dataDir);
  onCleanup(t, () => first.child.kill('SIGKILL'));
  const acknowledged: string[] = [];
  let killed = false;
  const writers = Array.from({ length: 4 }, async (_, w) => {
    const terminal = await new TestTerminal(first.url).open('/');
    for (let i = 0; !killed; i++) {
      const id = `w${w}-${i}`;
      let result;
      try {
        result = await terminal.action('/action/record', { id });
      } catch {
        return; // the connection died with the host
      }
      if (result.status !== 200) return;
      acknowledged.push(id);
      if (acknowledged.length >= 80 && !killed) {
        killed = true;
        first.child.kill('SIGKILL');
      }
    }
  });
  await Promise.all(writers);
  assert.equal(await first.exited, 'SIGKILL');
  assert.ok(acknowledged.length >= 80);

  // restart in this process on the same folder: the stale lock of the killed host is taken over
  const second = await startHost(appDir, { dataDir });
  onCleanup(t, () => second.stop());
  const text = await readFile(path.join(dataDir, 'ledger.json'), 'utf8');
  const ledger = JSON.parse(text) as { ids: string[]; n: number };
  const stored = new Set(ledger.ids);
  const lost = acknowledged.filter((id) => !stored.has(id));
  assert.deepEqual(lost, [], 'every acknowledged write survived');
  assert.equal(ledger.n, ledger.ids.length, 'no half-applied action');
  assert.equal(stored.size, ledger.ids.length);
  assert.deepEqual(
    (await readdir(dataDir)).filter((name) => name.includes('.damaged-')),
    [],
    'no damaged file had to be recovered',
  );

  const terminal = await new TestTerminal(second.url).open('/');
  assert.equal((await terminal.action('/action/record', { id: 'after-restart' })).status, 200);
  await second.stop();
  const after = JSON.parse(await readFile(path.join(dataDir, 'ledger.json'), 'utf8'));
  assert.equal(after.ids.at(-1), 'after-restart');
  assert.equal(after.n, ledger.n + 1);
});

test('a truncated file at start is reported and the last good copy is used', async (t) => {
  const dataDir = await tempData(t);
  const first = await startHost(appDir, { dataDir });
  onCleanup(t, () => first.stop());
  const terminal = await new TestTerminal(first.url).open('/');
  for (const id of ['a1', 'a2', 'a3', 'a4']) assert.equal((await terminal.action('/action/record', { id })).status, 200);
  // written into the file now, so the next write keeps this content as the last good copy
  await first.flushed();
  assert.equal((await terminal.action('/action/record', { id: 'a5' })).status, 200);
  await first.stop();

  const file = path.join(dataDir, 'ledger.json');
  const full = await readFile(file, 'utf8');
  assert.deepEqual(JSON.parse(full).ids, ['a1', 'a2', 'a3', 'a4', 'a5']);
  await truncate(file, Math.floor(full.length / 2));

  const second = await startHostChild(appDir, dataDir);
  onCleanup(t, () => second.child.kill('SIGKILL'));
  const report = second.stderr();
  assert.match(report, /ledger\.json was damaged/, report);
  assert.match(report, /restored from .*ledger\.json\.bak/, report);
  const restored = JSON.parse(await readFile(file, 'utf8'));
  assert.deepEqual(restored, { ids: ['a1', 'a2', 'a3', 'a4'], n: 4 }, 'the copy before the last write');
  assert.ok((await readdir(dataDir)).some((name) => name.startsWith('ledger.json.damaged-')), 'the damaged file is kept');

  const again = await new TestTerminal(second.url).open('/');
  assert.equal((await again.action('/action/record', { id: 'a6' })).status, 200);
  await stopChild(second);
  assert.deepEqual(JSON.parse(await readFile(file, 'utf8')).ids, ['a1', 'a2', 'a3', 'a4', 'a6']);
});
