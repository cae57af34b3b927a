// Replacing a whole data folder so that a crash at any moment leaves either the old or the new data,
// whole: the new content is staged in a sibling folder `<data>.staging`, marked complete with
// `.swap-ready` once every file is on disk, and then swapped in by two renames (old → `<data>.replaced-
// <time>`, kept, never deleted; staging → `<data>`). A crash between the two renames leaves no `<data>`
// but a complete staging folder: the next start (host, restore or import) finishes the swap. A staging
// folder without its mark is an unfinished copy and is removed; the old data was never touched.
import { readdir, rename, rm, rmdir, stat, writeFile, open } from 'node:fs/promises';
import path from 'node:path';
import { readDataLock } from '../data-lock.js';
import { PRIVATE_FILE_MODE } from '../store/file-system.js';
import { fsyncFolder } from './data-files.js';

export const SWAP_READY = '.swap-ready';

export function stagingFolderOf(dataDir: string): string {
  return `${path.resolve(dataDir)}.staging`;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

export class RestoreUnderWayError extends Error {
  constructor(dataDir: string, pid: number) {
    super(`a restore or import into ${dataDir} is under way (process ${pid}); wait for it to finish`);
    this.name = 'RestoreUnderWayError';
  }
}

/** Marks a fully written, fsynced staging folder as ready to be swapped in. */
export async function markStagingReady(staging: string): Promise<void> {
  const marker = path.join(staging, SWAP_READY);
  await writeFile(marker, `${new Date().toISOString()}\n`, { mode: PRIVATE_FILE_MODE });
  const handle = await open(marker, 'r');
  await handle.sync().finally(() => handle.close());
  await fsyncFolder(staging);
}

/** Where the replaced data goes: `<data>.replaced-<time>` (a free name). */
async function asideName(dataDir: string): Promise<string> {
  const base = `${path.resolve(dataDir)}.replaced-${new Date().toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-')}`;
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    if (!(await exists(candidate))) return candidate;
  }
}

/**
 * Swaps a ready staging folder in: the current data folder (when there is one) is renamed aside and
 * returned, the staging folder becomes the data folder. An aside folder that held nothing but a lock file
 * (the folder was created for the restore) is removed again.
 */
export async function swapIn(staging: string, dataDir: string): Promise<string | null> {
  const target = path.resolve(dataDir);
  let aside: string | null = null;
  if (await exists(target)) {
    aside = await asideName(target);
    await rename(target, aside);
  }
  await rename(staging, target);
  await fsyncFolder(path.dirname(target));
  await rm(path.join(target, SWAP_READY), { force: true });
  if (aside) {
    const left = await readdir(aside).catch(() => ['?']);
    if (left.every((name) => name === '.host-lock.json')) {
      await rm(path.join(aside, '.host-lock.json'), { force: true });
      await rmdir(aside).catch(() => {});
      aside = null;
    } else {
      // the lock this process held on the old folder went with it
      const lockFile = path.join(aside, '.host-lock.json');
      const holder = readDataLock(aside);
      if (!holder || holder.pid === process.pid) await rm(lockFile, { force: true });
    }
  }
  return aside;
}

/**
 * Finishes or cleans up a swap a crash interrupted (see the header). Throws RestoreUnderWayError while
 * another live process is restoring into this folder. Returns what it did, for the log.
 */
export async function finishInterruptedSwap(dataDir: string): Promise<string | null> {
  const staging = stagingFolderOf(dataDir);
  if (!(await exists(staging))) {
    await rm(path.join(path.resolve(dataDir), SWAP_READY), { force: true }).catch(() => {});
    return null;
  }
  const holder = readDataLock(staging);
  if (holder && holder.pid !== process.pid) throw new RestoreUnderWayError(path.resolve(dataDir), holder.pid);
  if (await exists(path.join(staging, SWAP_READY))) {
    const aside = await swapIn(staging, dataDir);
    return `a restore was interrupted after its data was complete: it was finished${aside ? ` (the data it replaced is in ${aside})` : ''}`;
  }
  await rm(staging, { recursive: true, force: true });
  return `an unfinished restore copy (${staging}) was removed; the data folder was not touched`;
}
