// kill -9 in the middle of a backup and of a restore. A host killed while it writes a backup leaves either
// a complete backup that verifies or a hidden temporary folder that is never listed and that restore
// refuses; a restore killed at any point leaves the old or the new data, whole (a swap interrupted
// between its two renames is finished by the next start).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { mkdir, mkdtemp, readdir, rename, rm, writeFile, cp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fixtures, projectRoot, startHost } from '../helpers/host.js';
import { TestTerminal } from '../helpers/http-client.js';
import { startHostChild } from '../helpers/host-child.js';
import { backupCommand } from '../../server/data-commands.js';
import { listBackups, readBackupManifest, verifyBackup } from '../../server/backup/backup-folder.js';
import { finishInterruptedSwap, markStagingReady, stagingFolderOf } from '../../server/backup/swap.js';
import { restoreBackup } from '../../server/backup/restore.js';
import { connectorStates } from '../helpers/data-states.js';
import { onCleanup } from '../helpers/cleanup.js';

const appDir = path.join(fixtures, 'backup-app');
const SALES = 120_000;

async function tempDir(t: { after(fn: () => unknown): void }): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'backup-crash-'));
  onCleanup(t, () => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A data folder of the backup fixture holding `sales` sales (a journal of ~20 MB for 120,000). */
async function dataFolderWithSales(dir: string, sales: number): Promise<void> {
  await mkdir(path.join(dir, 'tab'), { recursive: true });
  const lines: string[] = [];
  for (let n = 1; n <= sales; n++) {
    lines.push(JSON.stringify({ number: n, terminal: 't1', day: '2026-12-06', at: '2026-12-06T10:00:00.000Z', total: 1050, note: 'a sale of the crash test, padded a little' }));
  }
  await writeFile(path.join(dir, 'sales.jsonl'), lines.length ? `${lines.join('\n')}\n` : '');
  await writeFile(path.join(dir, 'counter.json'), JSON.stringify({ n: sales }));
  await writeFile(path.join(dir, 'tab', 't1.json'), JSON.stringify({ n: sales }));
}

function counterOf(states: Record<string, unknown>): number {
  const n = (states['counter.json'] as { n: number }).n;
  assert.equal((states['sales.jsonl'] as unknown[]).length, n, 'whole: the journal matches the counter');
  return n;
}

/** Resolves once a name matching `pattern` appears in `dir` (a file-system event, no polling). */
function appears(dir: string, pattern: RegExp): Promise<string> {
  return new Promise((resolve) => {
    const watcher = watch(dir, (_event, name) => {
      if (name && pattern.test(String(name))) {
        watcher.close();
        resolve(String(name));
      }
    });
  });
}

test('kill -9 of the host while it writes a backup: complete and verifying, or incomplete and never offered', async (t) => {
  const work = await tempDir(t);
  const dataDir = path.join(work, 'data');
  await dataFolderWithSales(dataDir, SALES);
  const backups = path.join(work, 'backups');
  await mkdir(backups);
  const host = await startHostChild(appDir, dataDir);
  onCleanup(t, () => host.child.kill('SIGKILL'));
  const terminal = await new TestTerminal(host.url).open('/');
  assert.equal((await terminal.action('/action/sell', {})).status, 200);

  const started = appears(backups, /\.partial-/);
  const backup = backupCommand(dataDir, backups).then(
    () => 'finished',
    (error: Error) => error.message,
  );
  await started;
  host.child.kill('SIGKILL');
  await host.exited;
  const outcome = await backup;

  const offered = await listBackups(backups);
  for (const complete of offered) {
    const verified = await verifyBackup(complete.path);
    assert.equal(counterOf(await connectorStates(path.join(verified.path, 'data'))), SALES + 1);
  }
  const left = (await readdir(backups)).filter((name) => name.includes('.partial-'));
  if (offered.length === 0) {
    assert.match(outcome, /did not answer|fetch failed|socket|terminated/i, outcome);
    assert.equal(left.length, 1, 'the interrupted backup is only a hidden temporary folder');
  }
  for (const name of left) {
    await assert.rejects(readBackupManifest(path.join(backups, name)), /is an incomplete backup .* cannot be restored/);
    await assert.rejects(restoreBackup(path.join(backups, name), path.join(work, 'never')), /incomplete backup/);
  }

  // the folder serves again, and the next backup is complete
  const again = await startHost(appDir, { dataDir });
  onCleanup(t, () => again.stop());
  const next = await again.backup(backups);
  assert.equal(counterOf(await connectorStates(path.join((await verifyBackup(next.path)).path, 'data'))), SALES + 1);
  assert.deepEqual((await readdir(dataDir)).filter((name) => name.startsWith('_backup-snapshot-')), [], 'snapshot links are gone');
});

/** Runs `serverokey restore` in a child and kills it with SIGKILL when its output shows `step`. */
function restoreKilledAt(backup: string, dataDir: string, step: 'verified' | 'staged'): Promise<string> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(projectRoot, 'server', 'cli.ts'), 'restore', backup, '--data', dataDir], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      if (stdout.includes(`${step}:`)) child.kill('SIGKILL');
    });
    child.on('exit', (code, signal) => resolve(`${signal ?? code}: ${stdout}`));
  });
}

test('kill -9 during a restore leaves the old or the new data, whole', async (t) => {
  const work = await tempDir(t);
  const source = path.join(work, 'source');
  await dataFolderWithSales(source, SALES);
  const backup = (await backupCommand(source, path.join(work, 'backups'))).path;
  const old = path.join(work, 'old');
  await dataFolderWithSales(old, 3);

  for (const step of ['verified', 'staged'] as const) {
    const dataDir = path.join(work, `data-${step}`);
    await cp(old, dataDir, { recursive: true });
    const ended = await restoreKilledAt(backup, dataDir, step);
    assert.match(ended, /^(SIGKILL|0):/, ended);
    // the next start finishes or cleans up what the crash left (here: the same step a host takes first)
    await finishInterruptedSwap(dataDir);
    const n = counterOf(await connectorStates(dataDir));
    assert.ok(n === 3 || n === SALES, `old (3) or new (${SALES}) data, whole: got ${n}`);
    if (step === 'verified') assert.equal(n, 3, 'killed while staging: the old data was never touched');
    assert.deepEqual((await readdir(work)).filter((name) => name.endsWith('.staging')), []);
  }

  // the moment between the two renames: the old folder moved aside, the ready staging folder not yet in place
  const dataDir = path.join(work, 'data-between');
  await dataFolderWithSales(stagingFolderOf(dataDir), SALES);
  await markStagingReady(stagingFolderOf(dataDir));
  await cp(old, `${dataDir}.replaced-by-hand`, { recursive: true });
  const finished = await startHost(appDir, { dataDir });
  await finished.stop();
  assert.equal(counterOf(await connectorStates(dataDir)), SALES, 'the next start finished the swap');

  // an unfinished staging folder (no ready mark) is removed and the data left as it was
  await mkdir(stagingFolderOf(dataDir));
  await writeFile(path.join(stagingFolderOf(dataDir), 'counter.json'), '{"n": 1}');
  assert.match(String(await finishInterruptedSwap(dataDir)), /unfinished restore copy .* was removed/);
  assert.equal(counterOf(await connectorStates(dataDir)), SALES);
  await rename(`${dataDir}.replaced-by-hand`, path.join(work, 'kept'));
});
