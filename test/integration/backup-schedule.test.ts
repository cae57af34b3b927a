// Automatic backups (launch.backup: { every, keep, to }): the schema explains a wrong setting, the host
// reports the schedule and an overdue backup, scheduled runs back up and rotate (keeping `keep`, removing
// unfinished folders of processes that ended), and a failing scheduled backup is reported, not fatal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fixtures, startHost } from '../helpers/host.js';
import { checkManifestShape } from '../../server/manifest/schema.js';
import { createStore } from '../../server/store/index.js';
import { HostBackups, parseEvery, scheduledFolder, type BackupStatus } from '../../server/backup/host-backups.js';
import { listBackups } from '../../server/backup/backup-folder.js';
import type { Manifest } from '../../server/manifest/types.js';
import { onCleanup } from '../helpers/cleanup.js';

async function tempDir(t: { after(fn: () => unknown): void }): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'backup-schedule-'));
  onCleanup(t, () => rm(dir, { recursive: true, force: true }));
  return dir;
}

const quiet = { info() {}, warn() {}, error() {} };

test('launch.backup: wrong settings are explained by the schema', () => {
  const base = { connectors: {}, components: {}, routes: {} };
  assert.deepEqual(checkManifestShape({ ...base, launch: { backup: { every: '6h', keep: 10, to: '/mnt/usb' } } }), []);
  const problems = (backup: unknown) => checkManifestShape({ ...base, launch: { backup } }).map((p) => `${p.path}: ${p.message}`);
  assert.deepEqual(problems({ every: 'daily' }), ['launch.backup.every: launch.backup.every is a duration like "30m", "6h" or "1d" (m: minutes, h: hours, d: days)']);
  assert.deepEqual(problems({ keep: 3 }), ["launch.backup.every: required key 'every' is missing"]);
  assert.deepEqual(problems({ every: '1d', keep: 0 }), ['launch.backup.keep: launch.backup.keep must be at least 1']);
  assert.equal(parseEvery('30m'), 30 * 60_000);
  assert.equal(parseEvery('1d'), 86_400_000);
  assert.throws(() => scheduledFolder('/data/till', { every: '1d', to: '/data/till/backups' }), /is inside the data folder/);
  assert.equal(scheduledFolder('/data/till', { every: '1d' }), '/data/till-backups');
  assert.equal(scheduledFolder('/data/till', { every: '1d', to: 'copies' }), '/data/copies');
});

test('scheduled backups run, rotate to `keep`, and a failure is reported without stopping anything', async (t) => {
  const work = await tempDir(t);
  const dataDir = path.join(work, 'data');
  const to = path.join(work, 'backups');
  const manifest = {
    connectors: { counter: { type: 'lowdb', initialState: { n: 0 } }, sales: { type: 'journal' } },
    components: {},
    routes: {},
    launch: { backup: { every: '1d', keep: 2, to } },
  } as unknown as Manifest;
  const store = await createStore({ connectors: manifest.connectors, dataDir, log: quiet });
  onCleanup(t, () => store.close());
  const backups = new HostBackups({ dataDir, store: () => store, manifest: () => manifest, log: quiet, firstRunDelayMs: 0 });
  onCleanup(t, () => backups.stop());
  assert.deepEqual(backups.status(), { last: null, schedule: { everyMs: 86_400_000, keep: 2, to }, overdue: true, error: null });

  // the first run is due at once: it comes by itself
  const firstRun = new Promise<BackupStatus>((resolve) => {
    const stop = backups.onChange((status) => {
      stop();
      resolve(status);
    });
  });
  await backups.start();
  const first = await firstRun;
  assert.ok(first.last, 'the due backup was made');
  assert.equal(first.overdue, false);

  await mkdir(path.join(to, '.serverokey-backup-2020-01-01T00-00-00Z.partial-999999999'));
  for (let n = 1; n <= 3; n++) {
    const release = await store.lock([{ name: 'counter', scopeKey: 'global' }]);
    await store.read('counter', 'global');
    await store.commit([{ name: 'counter', scopeKey: 'global', state: { n } }]);
    release();
    await backups.runScheduled();
  }
  const kept = await listBackups(to);
  assert.equal(kept.length, 2, 'rotation keeps 2');
  assert.equal(JSON.parse(await readFile(path.join(kept[0].path, 'data', 'counter.json'), 'utf8')).n, 3, 'the newest is kept');
  assert.deepEqual((await readdir(to)).filter((name) => name.includes('.partial-')), [], 'an unfinished folder of an ended process is removed');
  assert.equal(JSON.parse(await readFile(path.join(dataDir, 'last-backup.json'), 'utf8')).path, kept[0].path);

  // a target that cannot be written: reported in the status, the store unaffected
  await rm(to, { recursive: true, force: true });
  await writeFile(to, 'a file where the folder should be');
  await backups.runScheduled();
  assert.match(backups.status().error ?? '', /the backup could not be written to/);
  assert.ok(store.status().ok);
});

test('a host with launch.backup reports its schedule and a backup that is overdue', async (t) => {
  const work = await tempDir(t);
  const appDir = path.join(work, 'app');
  await cp(path.join(fixtures, 'backup-app'), appDir, { recursive: true });
  const manifestFile = path.join(appDir, 'manifest.mjs');
  const source = await readFile(manifestFile, 'utf8');
  await writeFile(manifestFile, source.replace('export default {', `export default {\n  launch: { backup: { every: '6h', keep: 3, to: ${JSON.stringify(path.join(work, 'copies'))} } },`));
  const host = await startHost(appDir, { dataDir: path.join(work, 'data') });
  onCleanup(t, () => host.stop());
  assert.equal(host.backupStatus().overdue, true);
  assert.deepEqual(host.backupStatus().schedule, { everyMs: 6 * 3_600_000, keep: 3, to: path.join(work, 'copies') });
  const told = new Promise<BackupStatus>((resolve) => host.onBackupStatus(resolve));
  await host.backup(path.join(work, 'copies'));
  const status = await told;
  assert.equal(status.overdue, false);
  assert.ok(status.last?.path.startsWith(path.join(work, 'copies')));
});
