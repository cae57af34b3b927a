// One host per data folder: two processes writing the same files would lose sales. The lock file holds
// the owner's pid; a lock left by a process that no longer runs is taken over.
import { mkdirSync, openSync, readFileSync, rmSync, writeSync, closeSync } from 'node:fs';
import path from 'node:path';

export const LOCK_FILE = 'host.lock';

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid holding the data folder, or null when it is free. */
export function dataFolderOwner(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(path.join(dataDir, LOCK_FILE), 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 && pid !== process.pid && running(pid) ? pid : null;
  } catch {
    return null;
  }
}

const heldHere = new Set<string>();

export function lockDataFolder(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  if (heldHere.has(file)) {
    throw new Error(`the data folder ${dataDir} is in use by another host in this process: close it first, or use another --data folder`);
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldHere.add(file);
      return () => {
        heldHere.delete(file);
        rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = dataFolderOwner(dataDir);
      if (owner !== null) {
        throw new Error(`the data folder ${dataDir} is in use by another host (pid ${owner}): stop it first, or start with another --data folder`);
      }
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not lock the data folder ${dataDir}`);
}
