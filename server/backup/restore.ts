// `serverokey restore <backup> --data DIR`: refused while a host serves the folder; the backup's
// checksums are verified first; its files are copied (and hashed again) into a staging folder beside the
// data folder, which is then swapped in (swap.ts): a crash at any point leaves the old or the new data,
// whole. The replaced data is kept as `<data>.replaced-<time>`, never deleted.
import { mkdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { acquireDataLock, DataFolderBusyError, readDataLock, type DataLock } from '../data-lock.js';
import { PRIVATE_DIR_MODE } from '../store/file-system.js';
import { BACKUP_DATA, BackupError, verifyBackup } from './backup-folder.js';
import { copyHashed, fsyncTree, safeRelativePath } from './data-files.js';
import { finishInterruptedSwap, markStagingReady, stagingFolderOf, swapIn } from './swap.js';

export interface RestoreResult {
  backup: string;
  dataDir: string;
  files: number;
  /** where the data that was replaced is kept, or null when the folder was empty or new */
  keptAside: string | null;
}

export interface RestoreProgress {
  (step: 'verified' | 'staged' | 'swapped', detail: string): void;
}

export async function restoreBackup(backup: string, dataDirArg: string, progress: RestoreProgress = () => {}): Promise<RestoreResult> {
  const dataDir = path.resolve(dataDirArg);
  const holder = readDataLock(dataDir);
  if (holder) throw new DataFolderBusyError(dataDir, holder);
  const verified = await verifyBackup(backup);
  progress('verified', `${verified.files} file(s), ${verified.bytes} bytes`);
  await finishInterruptedSwap(dataDir);

  const staging = stagingFolderOf(dataDir);
  const locks: DataLock[] = [];
  try {
    // the staging folder is locked (a host starting meanwhile refuses), and so is the data folder when it exists
    await mkdir(staging, { recursive: true, mode: PRIVATE_DIR_MODE });
    locks.push(acquireDataLock(staging));
    if (await folderExists(dataDir)) locks.push(acquireDataLock(dataDir)); // throws while a host has started meanwhile
    for (const entry of verified.manifest.files) {
      const relative = safeRelativePath(entry.path);
      const source = path.join(verified.path, BACKUP_DATA, relative);
      const sha256 = await copyHashed(source, path.join(staging, relative), entry.bytes);
      if (sha256 !== entry.sha256) throw new BackupError(`the backup changed while it was restored: ${source} no longer matches its checksum`, source);
    }
    await fsyncTree(staging);
    await markStagingReady(staging);
    progress('staged', staging);
    const keptAside = await swapIn(staging, dataDir);
    progress('swapped', keptAside ?? '(nothing replaced)');
    return { backup: verified.path, dataDir, files: verified.files, keptAside };
  } catch (error) {
    // the data folder is untouched until the swap; an unfinished staging copy is ours to remove
    if (!(await folderExists(path.join(staging, '.swap-ready')))) await rm(staging, { recursive: true, force: true }).catch(() => {});
    throw error;
  } finally {
    for (const lock of locks.reverse()) lock.release();
    // the staging folder's lock file came along with the swap into a folder that did not exist before
    const lockFile = path.join(dataDir, '.host-lock.json');
    const left = await readFile(lockFile, 'utf8').then((text) => JSON.parse(text) as { pid?: number }, () => null);
    if (left?.pid === process.pid) await rm(lockFile, { force: true });
  }
}

async function folderExists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}
