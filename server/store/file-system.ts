// The one seam between the store and the disk. Every file operation of a commit, a checkpoint, a journal
// append and the write-ahead log goes through a StoreFileSystem, so tests can make any step fail the way a
// full or broken disk does (ENOSPC, EACCES, EIO, a write cut short) and check that nothing refused stays.
//
// Small steps are synchronous on purpose (see fs-durable.ts): open, a small write, close, unlink and link
// only touch the page cache; flushes, renames and large writes go through the thread pool.
//
// Files the store creates are readable by the computer's user only (0600, folders 0700): they hold
// password hashes, sessions and the sales journal.
import fs from 'node:fs';
import { link, readdir, readFile, rename, stat, unlink } from 'node:fs/promises';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

export type OpenFlags = 'r' | 'r+' | 'w' | 'a';

export interface StoreFileSystem {
  /** Opens (creating with PRIVATE_FILE_MODE where the flags create) and returns a descriptor. */
  open(path: string, flags: OpenFlags): number;
  /** Writes up to `length` bytes at the descriptor's position; returns how many were written. */
  write(fd: number, bytes: Uint8Array, offset: number, length: number): number;
  /** The same through the thread pool, for large writes that must not block the host. */
  writeAsync(fd: number, bytes: Uint8Array, offset: number, length: number): Promise<number>;
  /** fsync (data and metadata) or fdatasync (data and the size it needs). */
  flush(fd: number, how: 'fsync' | 'fdatasync'): Promise<void>;
  truncate(fd: number, length: number): void;
  close(fd: number): void;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): void;
  /**
   * The same through the thread pool (optional; without it the store unlinks synchronously). Removing a log
   * file the disk has just flushed can take milliseconds of the file system's journal: off the main thread.
   */
  unlinkAsync?(path: string): Promise<void>;
  /**
   * open and link through the thread pool (optional, like unlinkAsync): a checkpoint creates, links and
   * opens folders for every file it replaces, and on a busy disk each such step can wait for the file
   * system's journal for milliseconds — seconds of a busy host's main thread per minute (bench/profiles/
   * shop-checkpoints.md). A file system without them is used synchronously.
   */
  openAsync?(path: string, flags: OpenFlags): Promise<number>;
  linkAsync?(existing: string, newPath: string): Promise<void>;
  link(existing: string, newPath: string): void;
  copyFile(from: string, to: string): void;
  /** Creates a folder and its parents (PRIVATE_DIR_MODE). */
  mkdir(path: string): void;
  readFile(path: string): Promise<Buffer>;
  /** Up to `length` bytes at `position` (fewer at the end of the file), through the thread pool. */
  readAt(fd: number, length: number, position: number): Promise<Buffer>;
  readdir(path: string): Promise<string[]>;
  modifiedAt(path: string): Promise<Date>;
}

/** The real disk. */
export const nodeFileSystem: StoreFileSystem = {
  open: (path, flags) => fs.openSync(path, flags, PRIVATE_FILE_MODE),
  write: (fd, bytes, offset, length) => fs.writeSync(fd, bytes, offset, length),
  writeAsync: (fd, bytes, offset, length) =>
    new Promise((resolve, reject) => fs.write(fd, bytes, offset, length, null, (error, written) => (error ? reject(error) : resolve(written)))),
  // looked up at call time, so a tool that watches fs.fsync / fs.fdatasync (the benchmarks time commits by them) sees it
  flush: (fd, how) => new Promise((resolve, reject) => fs[how](fd, (error) => (error ? reject(error) : resolve()))),
  truncate: (fd, length) => fs.ftruncateSync(fd, length),
  close: (fd) => fs.closeSync(fd),
  rename: (from, to) => rename(from, to),
  unlink: (path) => fs.unlinkSync(path),
  unlinkAsync: (path) => unlink(path),
  openAsync: (path, flags) =>
    new Promise((resolve, reject) => fs.open(path, flags, PRIVATE_FILE_MODE, (error, fd) => (error ? reject(error) : resolve(fd)))),
  linkAsync: (existing, newPath) => link(existing, newPath),
  link: (existing, newPath) => fs.linkSync(existing, newPath),
  copyFile: (from, to) => fs.copyFileSync(from, to),
  mkdir: (path) => void fs.mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE }),
  readFile: (path) => readFile(path),
  readAt: (fd, length, position) =>
    new Promise((resolve, reject) => {
      const buffer = Buffer.allocUnsafe(length);
      fs.read(fd, buffer, 0, length, position, (error, read) => (error ? reject(error) : resolve(buffer.subarray(0, read))));
    }),
  readdir: (path) => readdir(path),
  modifiedAt: async (path) => (await stat(path)).mtime,
};

/** The error codes that mean "the disk has no room": the store answers them as a known condition. */
export const DISK_FULL_CODES: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT', 'EFBIG']);
/** The codes that mean "this folder cannot be written": permissions changed, a read-only mount. */
export const READ_ONLY_CODES: ReadonlySet<string> = new Set(['EACCES', 'EPERM', 'EROFS']);
