// One host per data folder: two processes (or two hosts in one process) writing the same files would
// lose sales, and `serverokey seed` must not reset data a running host holds in memory. The lock file
// names its holder; a lock left by a process that no longer runs is taken over.
import { PRIVATE_DIR_MODE } from './store/file-system.js';
import { readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';

export const DATA_LOCK_FILE = '.host-lock.json';

export interface DataLockInfo {
  pid: number;
  url?: string;
  startedAt: string;
}

/** Whether a process with this id runs (one of another user counts: it exists). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const heldHere = new Set<string>();

/** The live holder of the folder's lock, or null (no lock, or left behind by a process that ended). */
export function readDataLock(dataDir: string): DataLockInfo | null {
  const file = path.join(path.resolve(dataDir), DATA_LOCK_FILE);
  let info: DataLockInfo;
  try {
    info = JSON.parse(readFileSync(file, 'utf8')) as DataLockInfo;
  } catch {
    return null;
  }
  if (typeof info?.pid !== 'number') return null;
  if (info.pid === process.pid) return heldHere.has(file) ? info : null;
  return processAlive(info.pid) ? info : null;
}

export class DataFolderBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: DataLockInfo,
  ) {
    super(
      `the data folder ${dataDir} is in use by another host (process ${holder.pid}${holder.url ? `, ${holder.url}` : ''}, since ${holder.startedAt}): ` +
        'stop that host first (Ctrl+C in its terminal, or quit the desktop app), or use another folder with --data',
    );
    this.name = 'DataFolderBusyError';
  }
}

export interface DataLock {
  update(url: string): void;
  release(): void;
}

/** Takes the folder's lock for this process. Throws DataFolderBusyError while another host holds it. */
export function acquireDataLock(dataDir: string, details: { url?: string } = {}): DataLock {
  mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const file = path.join(path.resolve(dataDir), DATA_LOCK_FILE);
  const holder = readDataLock(dataDir);
  if (holder) throw new DataFolderBusyError(dataDir, holder);
  const startedAt = new Date().toISOString();
  const write = (url?: string) => writeFileSync(file, `${JSON.stringify({ pid: process.pid, url, startedAt } satisfies DataLockInfo)}\n`);
  write(details.url);
  heldHere.add(file);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    heldHere.delete(file);
    process.off('exit', release);
    try {
      const current = JSON.parse(readFileSync(file, 'utf8')) as DataLockInfo;
      if (current.pid === process.pid) rmSync(file, { force: true });
    } catch {
      // already gone
    }
  };
  process.on('exit', release);
  return { update: (url) => !released && write(url), release };
}
