// The file-system steps that make a write survive a power cut: data fsynced before it is renamed into
// place, and the folder fsynced so the rename itself is on disk.
import { link, mkdir, open, rename, unlink, copyFile } from 'node:fs/promises';
import { dirname } from 'node:path';

const isWindows = process.platform === 'win32';

export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Makes renames, creations and removals inside a folder durable. Windows cannot open folders: NTFS journals them. */
export async function fsyncDir(dir: string): Promise<void> {
  if (isWindows) return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function writeAndSync(file: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

// Virus scanners and indexers on Windows briefly hold files open; a rename then fails with EPERM/EBUSY.
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (error) {
      const code = errorCode(error);
      if (attempt >= 8 || !(code === 'EPERM' || code === 'EACCES' || code === 'EBUSY')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt));
    }
  }
}

export async function unlinkIfExists(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
}

/** Points `backup` at the current content of `file` (a hard link: no copy), when `file` exists. */
async function keepBackup(file: string, backup: string): Promise<void> {
  await unlinkIfExists(backup);
  try {
    await link(file, backup);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return;
    // File systems without hard links (FAT, some network shares): fall back to a copy.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV' || code === 'ENOSYS' || code === 'EMLINK') {
      await copyFile(file, backup);
      return;
    }
    throw error;
  }
}

export interface AtomicWriteOptions {
  /** where the new content is staged before the rename; default `<file>.tmp` */
  temp?: string;
  /** keep the replaced content at this path */
  backup?: string;
}

/** Replaces `file` with `data` so that after a crash it holds either the old or the new content, whole. */
export async function writeFileDurably(file: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const dir = dirname(file);
  const temp = options.temp ?? `${file}.tmp`;
  await mkdir(dir, { recursive: true });
  await writeAndSync(temp, data);
  if (options.backup) await keepBackup(file, options.backup);
  await renameWithRetry(temp, file);
  await fsyncDir(dir);
}

export async function removeDurably(file: string): Promise<void> {
  await unlinkIfExists(file);
  await fsyncDir(dirname(file));
}

export { renameWithRetry };
