// Which process serves a data folder: a host started by the CLI writes a small lock file there, so
// that `serverokey seed` (which deletes stored states) and a second host refuse to touch data that a
// running host holds in memory and would write back.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';

export const DATA_LOCK_FILE = '.host-lock.json';

export interface DataLockInfo {
  pid: number;
  url?: string;
  startedAt: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live holder of the folder's lock, or null (no lock, or left behind by a process that ended). */
export function readDataLock(dataDir: string): DataLockInfo | null {
  let info: DataLockInfo;
  try {
    info = JSON.parse(readFileSync(path.join(dataDir, DATA_LOCK_FILE), 'utf8')) as DataLockInfo;
  } catch {
    return null;
  }
  if (typeof info?.pid !== 'number' || info.pid === process.pid || !alive(info.pid)) return null;
  return info;
}

export class DataFolderBusyError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: DataLockInfo,
  ) {
    super(
      `the data folder ${dataDir} is in use by a running host (process ${holder.pid}${holder.url ? `, ${holder.url}` : ''}, since ${holder.startedAt}): ` +
        'stop that host first (Ctrl+C in its terminal), or use another folder with --data',
    );
    this.name = 'DataFolderBusyError';
  }
}

/**
 * Takes the folder's lock for this process; returns its release function (also run on exit).
 * Throws DataFolderBusyError while another live process holds it.
 */
export async function acquireDataLock(dataDir: string, details: { url?: string } = {}): Promise<{ update(url: string): void; release(): void }> {
  await mkdir(dataDir, { recursive: true });
  const holder = readDataLock(dataDir);
  if (holder) throw new DataFolderBusyError(dataDir, holder);
  const file = path.join(dataDir, DATA_LOCK_FILE);
  const startedAt = new Date().toISOString();
  const write = (url?: string) => writeFileSync(file, `${JSON.stringify({ pid: process.pid, url, startedAt } satisfies DataLockInfo)}\n`);
  write(details.url);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
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
