// The file-system steps that make a write survive a power cut: data fsynced before it is renamed into
// place, and the folder fsynced so the rename itself is on disk. Every step goes through the store's
// file-system seam (file-system.ts), so a test can make any one of them fail.
// Each asynchronous step waits for the event loop, which on a busy host is also rendering and answering
// requests. So small writes and closes run synchronously; the flushes and the rename go through the thread
// pool. Creating, linking and removing names (and opening a folder to flush it) go through the thread pool
// too where the file system offers it: they only touch the page cache on a quiet disk, but on a busy one
// each can wait milliseconds for the file system's journal, and a checkpoint does them for every file it
// replaces (bench/profiles/shop-checkpoints.md). Checkpoints are off the answers' path, so the extra trips
// cost no answer anything. Large files are written asynchronously, so a big state never blocks the host.
import { chmod, readdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { nodeFileSystem, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, type StoreFileSystem } from './file-system.js';

const isWindows = process.platform === 'win32';

export function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
}

/** The first error code found on an error or along its causes. */
export function rootErrorCode(error: unknown): string | undefined {
  for (let at: unknown = error, depth = 0; at && depth < 8; at = (at as { cause?: unknown }).cause, depth++) {
    const code = errorCode(at);
    if (code) return code;
  }
  return undefined;
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Bytes written synchronously at most; a larger file is written through the thread pool. */
const SYNC_WRITE_LIMIT = 256 * 1024;

/** fsync (data and metadata) or fdatasync (data, and the size it needs) of an open file, off the main thread. */
export function flushFd(fd: number, how: 'fsync' | 'fdatasync' = 'fsync', fs: StoreFileSystem = nodeFileSystem): Promise<void> {
  return fs.flush(fd, how);
}

/** Makes renames, creations and removals inside a folder durable. Windows cannot open folders: NTFS journals them. */
export async function fsyncDir(dir: string, fs: StoreFileSystem = nodeFileSystem): Promise<void> {
  if (isWindows) return;
  const fd = fs.openAsync ? await fs.openAsync(dir, 'r') : fs.open(dir, 'r');
  try {
    await fs.flush(fd, 'fsync');
  } finally {
    fs.close(fd);
  }
}

/** Opens `file` with `flags`, creating its folder first when it is missing. */
export function openCreatingFolder(fs: StoreFileSystem, file: string, flags: 'w' | 'a'): number {
  try {
    return fs.open(file, flags);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
    fs.mkdir(dirname(file));
    return fs.open(file, flags);
  }
}

/** openCreatingFolder through the thread pool where the file system can (a checkpoint's files). */
async function openCreatingFolderAsync(fs: StoreFileSystem, file: string, flags: 'w' | 'a'): Promise<number> {
  if (!fs.openAsync) return openCreatingFolder(fs, file, flags);
  try {
    return await fs.openAsync(file, flags);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
    fs.mkdir(dirname(file));
    return fs.openAsync(file, flags);
  }
}

/** Writes all of `bytes` at the descriptor's position (synchronously, or through the thread pool when large). */
export async function writeAll(fs: StoreFileSystem, fd: number, bytes: Uint8Array): Promise<void> {
  if (bytes.byteLength > SYNC_WRITE_LIMIT) {
    for (let written = 0; written < bytes.byteLength; ) written += await fs.writeAsync(fd, bytes, written, bytes.byteLength - written);
    return;
  }
  for (let written = 0; written < bytes.byteLength; ) written += fs.write(fd, bytes, written, bytes.byteLength - written);
}

/**
 * A file's content: its text or bytes, or its text in pieces made while it is written (a large connector's
 * checkpoint), so the whole text never has to be in memory at once.
 */
export type FileContent = string | Uint8Array | AsyncIterable<string>;

function inPieces(data: FileContent): data is AsyncIterable<string> {
  return typeof data !== 'string' && !(data instanceof Uint8Array);
}

export async function writeAndSync(file: string, data: FileContent, fs: StoreFileSystem = nodeFileSystem): Promise<void> {
  const fd = await openCreatingFolderAsync(fs, file, 'w');
  try {
    if (inPieces(data)) for await (const piece of data) await writeAll(fs, fd, Buffer.from(piece));
    else await writeAll(fs, fd, typeof data === 'string' ? Buffer.from(data) : data);
    await fs.flush(fd, 'fsync');
  } finally {
    fs.close(fd);
  }
}

// Virus scanners and indexers on Windows briefly hold files open; a rename then fails with EPERM/EBUSY.
async function renameWithRetry(fs: StoreFileSystem, from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.rename(from, to);
      return;
    } catch (error) {
      const code = errorCode(error);
      if (!isWindows || attempt >= 8 || !(code === 'EPERM' || code === 'EACCES' || code === 'EBUSY')) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10 * 2 ** attempt));
    }
  }
}

async function unlinkIfExists(fs: StoreFileSystem, file: string): Promise<void> {
  try {
    if (fs.unlinkAsync) await fs.unlinkAsync(file);
    else fs.unlink(file);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw error;
  }
}

/** Points `backup` at the current content of `file` (a hard link: no copy), when `file` exists. */
async function keepBackup(fs: StoreFileSystem, file: string, backup: string): Promise<void> {
  await unlinkIfExists(fs, backup);
  try {
    if (fs.linkAsync) await fs.linkAsync(file, backup);
    else fs.link(file, backup);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT') return;
    // File systems without hard links (FAT, some network shares): fall back to a copy.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV' || code === 'ENOSYS' || code === 'EMLINK') {
      fs.copyFile(file, backup);
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
  fs?: StoreFileSystem;
}

/** Replaces `file` with `data` so that after a crash it holds either the old or the new content, whole. */
export async function writeFileDurably(file: string, data: FileContent, options: AtomicWriteOptions = {}): Promise<void> {
  const fs = options.fs ?? nodeFileSystem;
  const dir = dirname(file);
  const temp = options.temp ?? `${file}.tmp`;
  try {
    await writeAndSync(temp, data, fs);
  } catch (error) {
    // a half-written temp file only takes room the disk may be short of; the old file is untouched
    try {
      await unlinkIfExists(fs, temp);
    } catch {
      // nothing more to do: the next write truncates it
    }
    throw error;
  }
  if (options.backup) await keepBackup(fs, file, options.backup);
  await renameWithRetry(fs, temp, file);
  await fsyncDir(dir, fs);
}

/**
 * Makes a data folder private to the computer's user: the folder and its sub-folders 0700, every file
 * 0600. Folders made by older versions were world-readable (password hashes, the sales journal).
 */
export async function makeFolderPrivate(dir: string): Promise<void> {
  if (isWindows) return; // NTFS permissions come from the user's profile folder
  // (a file may go away meanwhile: a temporary file renamed into place)
  const ignoreGone = (error: unknown) => {
    if (errorCode(error) !== 'ENOENT') throw error;
  };
  await chmod(dir, PRIVATE_DIR_MODE).catch(ignoreGone);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await makeFolderPrivate(path).catch(ignoreGone);
    else if (entry.isFile()) await chmod(path, PRIVATE_FILE_MODE).catch(ignoreGone);
  }
}
