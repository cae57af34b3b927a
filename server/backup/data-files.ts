// What of a data folder a backup holds, and the file steps backups and restores share: a copy that
// hashes what it writes and makes it durable, folder flushes, and a path check that keeps every file
// inside its folder.
import { createHash } from 'node:crypto';
import { open, readdir, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../store/file-system.js';
import { isLogFileName } from '../store/write-ahead-log.js';

/** One file to back up: where it is read from, its path inside the data folder, and how many bytes to take. */
export interface DataFile {
  /** relative to the data folder, with forward slashes */
  path: string;
  /** where to read it (the file itself, or a hard link to it taken at the snapshot) */
  source: string;
  /** bytes to copy: the size at the snapshot (a journal keeps growing after it; its earlier records never change) */
  bytes: number;
}

/** Sub-folders of a data folder that hold a running host's backup snapshot (hard links), never data. */
export const SNAPSHOT_FOLDER_PREFIX = '_backup-snapshot-';

/** Files that are not data: the host's lock, leftovers of writes, damaged copies kept for people to look at. */
export function isBackedUpName(name: string, options: { includeLog: boolean }): boolean {
  if (name === '.host-lock.json' || name === '_write-probe.tmp' || name === '.swap-ready') return false;
  if (name.endsWith('.tmp') || name.endsWith('.bak') || name.endsWith('.restore') || name.includes('.damaged-')) return false;
  if (isLogFileName(name)) return options.includeLog;
  return true;
}

/** Every data file of a folder (recursively), sorted. The write-ahead log only when `includeLog`. */
export async function listDataFiles(dataDir: string, options: { includeLog: boolean }): Promise<Array<{ path: string; full: string }>> {
  const found: Array<{ path: string; full: string }> = [];
  const walk = async (dir: string, prefix: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!prefix && entry.name.startsWith(SNAPSHOT_FOLDER_PREFIX)) continue;
        await walk(full, rel);
      } else if (entry.isFile() && isBackedUpName(entry.name, options)) {
        found.push({ path: rel, full });
      }
    }
  };
  await walk(dataDir, '');
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** A relative path that stays inside its folder, or an error naming it (`../`, absolute paths, drive letters). */
export function safeRelativePath(relative: string): string {
  if (typeof relative !== 'string' || relative === '' || relative.includes('\0')) throw new Error(`invalid file path ${JSON.stringify(relative)}`);
  const normal = path.posix.normalize(relative.replace(/\\/g, '/'));
  if (path.posix.isAbsolute(normal) || /^[A-Za-z]:/.test(normal) || normal === '..' || normal.startsWith('../') || normal === '.') {
    throw new Error(`the file path ${JSON.stringify(relative)} leaves its folder; refused`);
  }
  return normal;
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const CHUNK = 1024 * 1024;

/**
 * Copies the first `bytes` bytes of `source` to `target` (created 0600, folders 0700), fsynced; returns
 * their SHA-256. Read and written in 1 MiB chunks through the thread pool, so a large journal never
 * blocks the host that runs it.
 */
export async function copyHashed(source: string, target: string, bytes: number): Promise<string> {
  await mkdir(path.dirname(target), { recursive: true, mode: PRIVATE_DIR_MODE });
  const hash = createHash('sha256');
  const input = await open(source, 'r');
  try {
    const output = await open(target, 'w', PRIVATE_FILE_MODE);
    try {
      const buffer = Buffer.allocUnsafe(Math.min(CHUNK, Math.max(bytes, 1)));
      let done = 0;
      while (done < bytes) {
        const { bytesRead } = await input.read(buffer, 0, Math.min(buffer.length, bytes - done), done);
        if (bytesRead === 0) throw new Error(`${source} is shorter than expected (${done} of ${bytes} bytes)`);
        const chunk = buffer.subarray(0, bytesRead);
        hash.update(chunk);
        for (let written = 0; written < bytesRead; ) written += (await output.write(chunk, written, bytesRead - written)).bytesWritten;
        done += bytesRead;
      }
      await output.sync();
    } finally {
      await output.close();
    }
  } finally {
    await input.close();
  }
  return hash.digest('hex');
}

/** SHA-256 and size of a whole file, read in chunks. */
export async function hashFile(file: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash('sha256');
  const handle = await open(file, 'r');
  let bytes = 0;
  try {
    const buffer = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, bytes);
      if (bytesRead === 0) break;
      hash.update(buffer.subarray(0, bytesRead));
      bytes += bytesRead;
    }
  } finally {
    await handle.close();
  }
  return { sha256: hash.digest('hex'), bytes };
}

/** Makes creations and renames inside `dir` (and its sub-folders) durable. Windows journals folders itself. */
export async function fsyncTree(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  for (const entry of await readdir(dir, { withFileTypes: true })) if (entry.isDirectory()) await fsyncTree(path.join(dir, entry.name));
  await fsyncFolder(dir);
}

export async function fsyncFolder(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
