// The file-system steps that make a write survive a power cut: data fsynced before it is renamed into
// place, and the folder fsynced so the rename itself is on disk.
// Each asynchronous step waits for the event loop, which on a busy host is also rendering and answering
// requests. So the steps that only touch the page cache (open, a small write, close, unlink, link) run
// synchronously; the flushes and the rename go through the thread pool: three trips through the event
// loop per durable write instead of eleven. Large files are written asynchronously, so a big state never
// blocks the host while it is copied.
import fs, { closeSync, linkSync, mkdirSync, openSync, unlinkSync, writeSync, copyFileSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

const isWindows = process.platform === 'win32';

export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Bytes written synchronously at most; a larger file is written through the thread pool. */
const SYNC_WRITE_LIMIT = 256 * 1024;

/** fsync (data and metadata) or fdatasync (data, and the size it needs) of an open file, off the main thread. */
export function flushFd(fd: number, how: 'fsync' | 'fdatasync' = 'fsync'): Promise<void> {
  // looked up at call time, so a tool that watches fs.fsync / fs.fdatasync (the benchmarks time commits by them) sees it
  return new Promise((resolve, reject) => fs[how](fd, (error) => (error ? reject(error) : resolve())));
}

/** Makes renames, creations and removals inside a folder durable. Windows cannot open folders: NTFS journals them. */
export async function fsyncDir(dir: string): Promise<void> {
  if (isWindows) return;
  const fd = openSync(dir, 'r');
  try {
    await flushFd(fd);
  } finally {
    closeSync(fd);
  }
}

/** Opens `file` for writing, creating its folder first when it is missing. */
function openForWrite(file: string): number {
  try {
    return openSync(file, 'w');
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
    mkdirSync(dirname(file), { recursive: true });
    return openSync(file, 'w');
  }
}

export async function writeAndSync(file: string, data: string | Uint8Array): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data) : data;
  if (bytes.byteLength > SYNC_WRITE_LIMIT) {
    const handle = await open(file, 'w').catch(async (error: unknown) => {
      if (errorCode(error) !== 'ENOENT') throw error;
      mkdirSync(dirname(file), { recursive: true });
      return open(file, 'w');
    });
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return;
  }
  const fd = openForWrite(file);
  try {
    for (let written = 0; written < bytes.byteLength; ) written += writeSync(fd, bytes, written, bytes.byteLength - written);
    await flushFd(fd);
  } finally {
    closeSync(fd);
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

function unlinkIfExistsSync(file: string): void {
  try {
    unlinkSync(file);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
}

/** Points `backup` at the current content of `file` (a hard link: no copy), when `file` exists. */
function keepBackup(file: string, backup: string): void {
  unlinkIfExistsSync(backup);
  try {
    linkSync(file, backup);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return;
    // File systems without hard links (FAT, some network shares): fall back to a copy.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV' || code === 'ENOSYS' || code === 'EMLINK') {
      copyFileSync(file, backup);
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
  await writeAndSync(temp, data);
  if (options.backup) keepBackup(file, options.backup);
  await renameWithRetry(temp, file);
  await fsyncDir(dir);
}

