// The data folder holds password hashes, sessions and the sales journal: only the computer's user may read
// it. Files are created 0600 in 0700 folders, and a folder made by an older version (0755 / 0644) is
// tightened when the host starts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { projectRoot, startHost } from '../helpers/host.js';
import { TestTerminal } from '../helpers/http-client.js';
import { onCleanup } from '../helpers/cleanup.js';

async function modes(dir: string): Promise<Array<{ path: string; mode: number; folder: boolean }>> {
  const found = [{ path: dir, mode: (await stat(dir)).mode & 0o777, folder: true }];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await modes(full)));
    else found.push({ path: full, mode: (await stat(full)).mode & 0o777, folder: false });
  }
  return found;
}

test('every file of the data folder is readable by the computer\'s user only, old ones included', { skip: process.platform === 'win32' && 'POSIX permissions' }, async (t) => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sok-modes-'));
  onCleanup(t, () => rm(dataDir, { recursive: true, force: true }));
  // as an older version left it: world-readable folder and files
  await chmod(dataDir, 0o755);
  await mkdir(path.join(dataDir, 'receipt'), { mode: 0o755 });
  await writeFile(path.join(dataDir, 'receipt', 'old-terminal.json'), '{"items":[]}\n', { mode: 0o644 });
  await writeFile(path.join(dataDir, 'notes.txt'), 'left by hand\n', { mode: 0o644 });

  const host = await startHost(path.join(projectRoot, 'apps', 'kassa'), { dataDir });
  onCleanup(t, () => host.stop());
  const till = new TestTerminal(host.url);
  assert.equal((await till.login('kassir', '123')).status, 200);
  assert.equal((await till.action('/action/openShift', { float: '100' })).status, 200);
  assert.equal((await till.action('/action/scan', { code: '4607000010075' })).status, 200);
  assert.equal((await till.action('/action/completeSale', { method: 'card' })).status, 200);
  await host.flushed();

  const all = await modes(dataDir);
  assert.ok(all.some((entry) => entry.path.endsWith('sales.jsonl')), 'no sales journal was written');
  assert.ok(all.some((entry) => entry.path.endsWith(`${path.sep}session.json`)), 'no session file was written');
  const open = all.filter((entry) => (entry.folder ? entry.mode !== 0o700 : (entry.mode & 0o077) !== 0));
  assert.deepEqual(
    open.map((entry) => `${path.relative(dataDir, entry.path) || '.'} ${entry.mode.toString(8)}`),
    [],
    'files or folders others can read',
  );
});
