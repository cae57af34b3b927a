// Where a host keeps its signing secret and its paired terminals: files in the data folder (one host per
// folder), or the database when the store is PostgreSQL (every host of one database shares them, so any
// host can serve any request of any client).
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, open, rename, writeFile } from 'node:fs/promises';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../store/file-system.js';
import path from 'node:path';
import type { TerminalInfo } from '../host-types.js';
import { loadHostSecret } from './secret.js';

export interface TerminalStorage {
  /** the paired terminals stored now (loaded before the registry is made, so this is synchronous) */
  load(): TerminalInfo[];
  /** stores these terminals (pairing adds one, revoking marks one; none is ever removed) */
  save(terminals: TerminalInfo[]): Promise<void>;
  /** another host paired or revoked a terminal: the whole list as stored now */
  onChange?(listener: (terminals: TerminalInfo[]) => void): () => void;
}

export interface HostStorage {
  /** signs terminal cookies and CSRF tokens */
  secret: Buffer;
  terminals: TerminalStorage;
}

/** terminals.json in the data folder. */
export class FileTerminalStorage implements TerminalStorage {
  private readonly file: string;

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'terminals.json');
  }

  load(): TerminalInfo[] {
    if (!existsSync(this.file)) return [];
    try {
      return JSON.parse(readFileSync(this.file, 'utf8')) as TerminalInfo[];
    } catch {
      // a damaged registry only means devices must pair again
      return [];
    }
  }

  async save(terminals: TerminalInfo[]): Promise<void> {
    await mkdir(path.dirname(this.file), { recursive: true, mode: PRIVATE_DIR_MODE });
    const tmp = `${this.file}.tmp`;
    await writeFile(tmp, JSON.stringify(terminals, null, 2), { mode: PRIVATE_FILE_MODE });
    const handle = await open(tmp, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, this.file);
  }
}

export function fileHostStorage(dataDir: string): HostStorage {
  return { secret: loadHostSecret(dataDir), terminals: new FileTerminalStorage(dataDir) };
}

/** A store that keeps the host's records itself (PostgreSQL). */
export interface HostStorageProvider {
  hostStorage(): Promise<HostStorage>;
}

export function providesHostStorage(store: unknown): store is HostStorageProvider {
  return typeof (store as Partial<HostStorageProvider> | null)?.hostStorage === 'function';
}
