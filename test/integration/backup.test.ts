// Backups and restores over real hosts: a backup taken while terminals sell is consistent (every
// connector at one commit point) and verifies; restoring it into a fresh folder gives identical connector
// states; `serverokey backup` works through a running host (another process) and on a stopped folder;
// bad input (a full or read-only target, a damaged backup, a path leaving its folder, a served folder)
// gets a clear error and changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fixtures, startHost } from '../helpers/host.js';
import { TestTerminal } from '../helpers/http-client.js';
import { startHostChild } from '../helpers/host-child.js';
import { mountSmallDisk } from '../helpers/small-disk.js';
import { main } from '../../server/cli.js';
import { listBackups, verifyBackup, BACKUP_MANIFEST } from '../../server/backup/backup-folder.js';
import { connectorStates } from '../helpers/data-states.js';
import { onCleanup, type WithAfter } from '../helpers/cleanup.js';

const appDir = path.join(fixtures, 'backup-app');

async function tempDir(t: WithAfter, prefix = 'backup-test-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  onCleanup(t, () => rm(dir, { recursive: true, force: true }));
  return dir;
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(['node', 'serverokey', ...args], { out: (text) => (out += text), err: (text) => (err += text) });
  return { code, out, err };
}

/** The invariant every sale keeps: one counter step, one tab step, one journal record, in one commit. */
function assertConsistent(states: Record<string, unknown>): number {
  const counter = (states['counter.json'] as { n: number } | undefined)?.n ?? 0;
  const sales = (states['sales.jsonl'] as unknown[] | undefined) ?? [];
  const tabs = Object.entries(states)
    .filter(([file]) => file.startsWith('tab/'))
    .reduce((sum, [, state]) => sum + (state as { n: number }).n, 0);
  assert.equal(sales.length, counter, 'as many sales in the journal as the counter says');
  assert.equal(tabs, counter, "the terminals' tabs add up to the counter");
  return counter;
}

async function sellUntil(terminals: TestTerminal[], stop: () => boolean): Promise<number> {
  let sold = 0;
  await Promise.all(
    terminals.map(async (terminal) => {
      while (!stop()) {
        const result = await terminal.action('/action/sell', {});
        assert.equal(result.status, 200, JSON.stringify(result.body));
        sold++;
      }
    }),
  );
  return sold;
}

test('a backup taken while terminals sell is consistent, verifies, and restores into identical connector states', async (t) => {
  const work = await tempDir(t);
  const host = await startHost(appDir, { dataDir: path.join(work, 'data') });
  onCleanup(t, () => host.stop());
  const terminals = await Promise.all(Array.from({ length: 4 }, () => new TestTerminal(host.url).open('/')));
  for (const terminal of terminals) assert.equal((await terminal.action('/action/sell', {})).status, 200);

  // sales go on during the backup
  let backupDone = false;
  const selling = sellUntil(terminals, () => backupDone);
  const result = await host.backup(path.join(work, 'backups'));
  backupDone = true;
  await selling;

  assert.ok(path.basename(result.path).startsWith('serverokey-backup-'));
  const verified = await verifyBackup(result.path);
  const backedUp = await connectorStates(path.join(result.path, 'data'));
  const atBackup = assertConsistent(backedUp);
  assert.ok(atBackup >= 4);
  assert.deepEqual(verified.manifest.files.map((f) => f.path).filter((p) => p.endsWith('.log')), [], 'the log was applied, not copied');
  assert.equal(host.backupStatus().last?.path, result.path);

  // restore into a fresh folder: the host there serves exactly the backed-up states
  const restored = path.join(work, 'restored');
  const restore = await cli(['restore', result.path, '--data', restored]);
  assert.equal(restore.code, 0, restore.err);
  assert.match(restore.out, /restored \d+ files into/);
  assert.deepEqual(await connectorStates(restored), backedUp);
  const second = await startHost(appDir, { dataDir: restored });
  onCleanup(t, () => second.stop());
  const page = await new TestTerminal(second.url).open('/');
  assert.match((await page.get('/')).text, new RegExp(`sales: ${atBackup};`));

  // and after the host is idle, a backup is identical to the data folder itself
  await host.flushed();
  const idle = await host.backup(path.join(work, 'backups'));
  assert.deepEqual(await connectorStates(path.join(idle.path, 'data')), await connectorStates(host.dataDir));
  assert.equal((await listBackups(path.join(work, 'backups'))).length, 2);
});

test('serverokey backup: through the running host (another process), then on the stopped folder with its log', async (t) => {
  const work = await tempDir(t);
  const dataDir = path.join(work, 'data');
  const host = await startHostChild(appDir, dataDir);
  onCleanup(t, async () => {
    host.child.kill('SIGKILL');
    await host.exited;
  });
  const terminal = await new TestTerminal(host.url).open('/');
  for (let i = 0; i < 3; i++) assert.equal((await terminal.action('/action/sell', {})).status, 200);

  const live = await cli(['backup', '--data', dataDir, '--to', path.join(work, 'backups')]);
  assert.equal(live.code, 0, live.err);
  assert.match(live.out, /backup written: .*serverokey-backup-.* taken by the running host/);
  const livePath = /backup written: (\S+)/.exec(live.out)![1];
  assert.equal(assertConsistent(await connectorStates(path.join(livePath, 'data'))), 3);
  const verify = await cli(['backup', '--verify', livePath]);
  assert.equal(verify.code, 0, verify.err);
  assert.match(verify.out, /complete and intact/);

  // the admin endpoint needs the token from host-secret
  const refused = await fetch(`${host.url}/__admin/backup`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"to":"/tmp/x"}' });
  assert.equal(refused.status, 403);

  // restore is refused while the host serves the folder
  const busy = await cli(['restore', livePath, '--data', dataDir]);
  assert.equal(busy.code, 1);
  assert.match(busy.err, /in use by another host/);

  host.child.kill('SIGKILL');
  await host.exited;
  const stopped = await cli(['backup', '--data', dataDir, '--to', path.join(work, 'backups')]);
  assert.equal(stopped.code, 0, stopped.err);
  assert.doesNotMatch(stopped.out, /running host/);
  const stoppedPath = /backup written: (\S+)/.exec(stopped.out)![1];
  await verifyBackup(stoppedPath);
  // restored and started, the copy (log included) holds every acknowledged sale
  const restored = path.join(work, 'restored');
  assert.equal((await cli(['restore', stoppedPath, '--data', restored])).code, 0);
  const again = await startHost(appDir, { dataDir: restored });
  await again.flushed();
  await again.stop();
  assert.equal(assertConsistent(await connectorStates(restored)), 3);
});

test('a damaged backup, a path leaving its folder, an incomplete backup: restore refuses, naming the file; the data stays', async (t) => {
  const work = await tempDir(t);
  const host = await startHost(appDir, { dataDir: path.join(work, 'data') });
  const terminal = await new TestTerminal(host.url).open('/');
  assert.equal((await terminal.action('/action/sell', {})).status, 200);
  const { path: backup } = await host.backup(path.join(work, 'backups'));
  await host.stop();
  const target = path.join(work, 'target');
  await mkdir(target);
  await writeFile(path.join(target, 'counter.json'), '{"n": 42}\n');

  const counter = path.join(backup, 'data', 'counter.json');
  const good = await readFile(counter, 'utf8');
  await writeFile(counter, good.replace(/\d+/, '7'));
  const damaged = await cli(['restore', backup, '--data', target]);
  assert.equal(damaged.code, 1);
  assert.ok(damaged.err.includes(`${counter} does not match its checksum`), damaged.err);
  assert.match((await cli(['backup', '--verify', backup])).err, /the backup is damaged: .*counter\.json/);
  await writeFile(counter, good);

  const manifestFile = path.join(backup, BACKUP_MANIFEST);
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
  manifest.files[0].path = '../../escape.json';
  await writeFile(manifestFile, JSON.stringify(manifest));
  const escaping = await cli(['restore', backup, '--data', target]);
  assert.equal(escaping.code, 1);
  assert.match(escaping.err, /the file path "\.\.\/\.\.\/escape\.json" leaves its folder; refused/);

  const partial = path.join(work, 'backups', '.serverokey-backup-2026-01-01T00-00-00Z.partial-1');
  await mkdir(partial);
  assert.match((await cli(['restore', partial, '--data', target])).err, /is an incomplete backup/);
  assert.match((await cli(['restore', work, '--data', target])).err, /is not a Serverokey backup \(it has no backup\.json\)/);

  assert.equal(await readFile(path.join(target, 'counter.json'), 'utf8'), '{"n": 42}\n', 'the data folder is untouched');
  assert.deepEqual(await readdir(target), ['counter.json']);
  assert.deepEqual(await readdir(work).then((names) => names.filter((n) => n.includes('.staging') || n.includes('.replaced'))), []);
});

test('restore keeps the replaced data aside, never deleting it', async (t) => {
  const work = await tempDir(t);
  const host = await startHost(appDir, { dataDir: path.join(work, 'data') });
  const terminal = await new TestTerminal(host.url).open('/');
  assert.equal((await terminal.action('/action/sell', {})).status, 200);
  const { path: backup } = await host.backup(path.join(work, 'backups'));
  assert.equal((await terminal.action('/action/sell', {})).status, 200);
  await host.stop();
  const result = await cli(['restore', backup, '--data', path.join(work, 'data')]);
  assert.equal(result.code, 0, result.err);
  const aside = /kept in (\S+)/.exec(result.out)![1];
  assert.equal(assertConsistent(await connectorStates(aside)), 2, 'the replaced data (2 sales) is kept');
  assert.equal(assertConsistent(await connectorStates(path.join(work, 'data'))), 1, 'the backup (1 sale) is restored');
});

test('a full or read-only backup target: a clear error, nothing named left there, the till goes on selling', async (t) => {
  const small = mountSmallDisk('size=64k,mode=0700');
  const readOnly = mountSmallDisk('size=1m,mode=0700,ro');
  if (typeof small === 'string' || typeof readOnly === 'string') {
    t.skip(typeof small === 'string' ? small : (readOnly as string));
    return;
  }
  onCleanup(t, () => small.unmount());
  onCleanup(t, () => readOnly.unmount());
  const work = await tempDir(t);
  const host = await startHost(appDir, { dataDir: path.join(work, 'data') });
  onCleanup(t, () => host.stop());
  const terminal = await new TestTerminal(host.url).open('/');
  for (let i = 0; i < 200; i++) assert.equal((await terminal.action('/action/sell', { note: 'x'.repeat(400) })).status, 200);

  await assert.rejects(host.backup(small.dir), /the backup could not be written to .*: the disk it is on is full\. Nothing was changed in the till's data/);
  assert.deepEqual(await readdir(small.dir), [], 'the unfinished copy is removed');
  await assert.rejects(host.backup(readOnly.dir), /cannot be written \(permissions, or a read-only disk\)/);
  const notAFolder = path.join(work, 'file');
  await writeFile(notAFolder, 'x');
  const cliResult = await cli(['backup', '--data', path.join(work, 'elsewhere'), '--to', path.join(notAFolder, 'sub')]);
  assert.equal(cliResult.code, 1);

  assert.equal((await terminal.action('/action/sell', {})).status, 200, 'the till still sells');
  assert.ok(host.storeStatus().ok);
  assert.equal(host.backupStatus().last, null);
});
