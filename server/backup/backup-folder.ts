// A backup is a folder `serverokey-backup-<time>/` holding `data/` (the data folder's files) and
// `backup.json` (every file's size and SHA-256). It is written under a hidden temporary name
// (`.serverokey-backup-<time>.partial-<pid>`) and renamed only once every file and the manifest are on
// disk, so a backup cut short (a crash, a full disk, kill -9) never carries the name backups are listed
// and restored by.
import { mkdir, readdir, readFile, rename, rm, stat, writeFile, open } from 'node:fs/promises';
import path from 'node:path';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE, DISK_FULL_CODES, READ_ONLY_CODES } from '../store/file-system.js';
import { errorCode, rootErrorCode } from '../store/fs-durable.js';
import { copyHashed, fsyncFolder, fsyncTree, hashFile, safeRelativePath, type DataFile } from './data-files.js';

export const BACKUP_FORMAT = 'serverokey-backup';
export const BACKUP_MANIFEST = 'backup.json';
export const BACKUP_DATA = 'data';
const BACKUP_PREFIX = 'serverokey-backup-';
const PARTIAL_PREFIX = `.${BACKUP_PREFIX}`;

export interface BackupManifest {
  format: typeof BACKUP_FORMAT;
  version: 1;
  createdAt: string;
  /** the data folder it was taken from */
  source: string;
  /** taken from a running host (every connector at one commit point) or from a folder no host served */
  taken: 'from-running-host' | 'from-stopped-folder';
  files: Array<{ path: string; bytes: number; sha256: string }>;
}

export interface BackupResult {
  path: string;
  createdAt: string;
  files: number;
  bytes: number;
  ms: number;
}

/** A backup could not be written or read; `file` names what failed. */
export class BackupError extends Error {
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(message);
    this.name = 'BackupError';
  }
}

function stampOf(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
}

/** What a target folder's write error means to the person making the backup. */
function targetError(to: string, error: unknown): BackupError {
  const code = rootErrorCode(error);
  const why =
    code && DISK_FULL_CODES.has(code)
      ? 'the disk it is on is full'
      : code && READ_ONLY_CODES.has(code)
        ? 'it cannot be written (permissions, or a read-only disk)'
        : code === 'ENOENT' || code === 'ENOTDIR'
          ? 'it is not a folder that can be created'
          : (error as Error).message;
  return new BackupError(`the backup could not be written to ${to}: ${why}. Nothing was changed in the till's data; choose another folder or free space`, to);
}

/**
 * Writes `files` as a new backup inside `to` (created when missing). The result is complete and named,
 * or nothing named is left: a failure removes the temporary folder (a crash leaves it hidden and unnamed).
 */
export async function writeBackup(files: DataFile[], to: string, details: { source: string; taken: BackupManifest['taken'] }): Promise<BackupResult> {
  const started = Date.now();
  const createdAt = new Date();
  const target = path.resolve(to);
  const partial = path.join(target, `${PARTIAL_PREFIX}${stampOf(createdAt)}.partial-${process.pid}`);
  try {
    await mkdir(target, { recursive: true, mode: PRIVATE_DIR_MODE });
    // one level at a time: a recursive mkdir reports a read-only disk as ENOENT
    await mkdir(partial, { mode: PRIVATE_DIR_MODE });
    await mkdir(path.join(partial, BACKUP_DATA), { mode: PRIVATE_DIR_MODE });
  } catch (error) {
    throw targetError(target, error);
  }
  try {
    const listed: BackupManifest['files'] = [];
    let bytes = 0;
    for (const file of files) {
      const relative = safeRelativePath(file.path);
      const sha256 = await copyHashed(file.source, path.join(partial, BACKUP_DATA, relative), file.bytes);
      listed.push({ path: relative, bytes: file.bytes, sha256 });
      bytes += file.bytes;
    }
    const manifest: BackupManifest = {
      format: BACKUP_FORMAT,
      version: 1,
      createdAt: createdAt.toISOString(),
      source: details.source,
      taken: details.taken,
      files: listed,
    };
    const manifestFile = path.join(partial, BACKUP_MANIFEST);
    await writeFile(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`, { mode: PRIVATE_FILE_MODE });
    const handle = await open(manifestFile, 'r');
    await handle.sync().finally(() => handle.close());
    await fsyncTree(partial);
    const final = await freeName(target, `${BACKUP_PREFIX}${stampOf(createdAt)}`);
    await rename(partial, final);
    await fsyncFolder(target);
    return { path: final, createdAt: manifest.createdAt, files: listed.length, bytes, ms: Date.now() - started };
  } catch (error) {
    await rm(partial, { recursive: true, force: true }).catch(() => {});
    if (error instanceof BackupError) throw error;
    const code = rootErrorCode(error);
    if (code && (DISK_FULL_CODES.has(code) || READ_ONLY_CODES.has(code))) throw targetError(target, error);
    throw new BackupError(`the backup to ${target} failed: ${(error as Error).message}. Nothing was changed in the till's data`, target);
  }
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

async function freeName(dir: string, base: string): Promise<string> {
  for (let n = 1; ; n++) {
    const candidate = path.join(dir, n === 1 ? base : `${base}-${n}`);
    if (!(await exists(candidate))) return candidate;
  }
}

/** Reads and checks a backup's manifest; throws a BackupError saying what is wrong with it. */
export async function readBackupManifest(backup: string): Promise<BackupManifest> {
  const dir = path.resolve(backup);
  const name = path.basename(dir);
  if (name.startsWith(PARTIAL_PREFIX)) {
    throw new BackupError(`${dir} is an incomplete backup (its writing was interrupted); it cannot be restored. Use another backup`, dir);
  }
  const file = path.join(dir, BACKUP_MANIFEST);
  let manifest: unknown;
  try {
    manifest = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    const missing = errorCode(error) === 'ENOENT';
    throw new BackupError(
      missing ? `${dir} is not a Serverokey backup (it has no ${BACKUP_MANIFEST})` : `${file} is damaged (${(error as Error).message}); this backup cannot be restored`,
      file,
    );
  }
  const m = manifest as Partial<BackupManifest>;
  if (m?.format !== BACKUP_FORMAT || m.version !== 1 || !Array.isArray(m.files)) {
    throw new BackupError(`${file} is not a Serverokey backup manifest (format ${JSON.stringify(m?.format)}, version ${JSON.stringify(m?.version)})`, file);
  }
  for (const entry of m.files) {
    if (typeof entry?.path !== 'string' || typeof entry.sha256 !== 'string' || typeof entry.bytes !== 'number') {
      throw new BackupError(`${file} lists a file without path, size or checksum: ${JSON.stringify(entry)}`, file);
    }
    try {
      safeRelativePath(entry.path);
    } catch (error) {
      throw new BackupError(`${file}: ${(error as Error).message}`, file);
    }
  }
  return m as BackupManifest;
}

export interface VerifyResult {
  path: string;
  manifest: BackupManifest;
  files: number;
  bytes: number;
}

/** Checks every file of a backup against its size and SHA-256; throws a BackupError naming the first that fails. */
export async function verifyBackup(backup: string): Promise<VerifyResult> {
  const dir = path.resolve(backup);
  const manifest = await readBackupManifest(dir);
  let bytes = 0;
  for (const entry of manifest.files) {
    const file = path.join(dir, BACKUP_DATA, safeRelativePath(entry.path));
    let actual: { sha256: string; bytes: number };
    try {
      actual = await hashFile(file);
    } catch (error) {
      throw new BackupError(`the backup is damaged: ${file} is missing or unreadable (${(error as Error).message})`, file);
    }
    if (actual.bytes !== entry.bytes || actual.sha256 !== entry.sha256) {
      throw new BackupError(
        `the backup is damaged: ${file} does not match its checksum (${actual.bytes} bytes, expected ${entry.bytes}); this backup cannot be restored`,
        file,
      );
    }
    bytes += actual.bytes;
  }
  return { path: dir, manifest, files: manifest.files.length, bytes };
}

export interface ListedBackup {
  path: string;
  createdAt: string;
}

/** The complete backups in `dir`, newest first (temporary folders of unfinished backups are never listed). */
export async function listBackups(dir: string): Promise<ListedBackup[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const found: ListedBackup[] = [];
  for (const name of names) {
    if (!name.startsWith(BACKUP_PREFIX)) continue;
    try {
      const manifest = await readBackupManifest(path.join(dir, name));
      found.push({ path: path.join(dir, name), createdAt: manifest.createdAt });
    } catch {
      // not a backup, or damaged: not offered
    }
  }
  return found.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
}

/** Removes the oldest complete backups beyond `keep`, and temporary folders left by processes that ended. */
export async function rotateBackups(dir: string, keep: number): Promise<string[]> {
  const removed: string[] = [];
  for (const old of (await listBackups(dir)).slice(Math.max(1, keep))) {
    await rm(old.path, { recursive: true, force: true });
    removed.push(old.path);
  }
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    const pid = /^\.serverokey-backup-.*\.partial-(\d+)$/.exec(name)?.[1];
    if (pid && !processAlive(Number(pid))) await rm(path.join(dir, name), { recursive: true, force: true });
  }
  return removed;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
