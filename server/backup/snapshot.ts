// A consistent view of a running host's data folder, taken through the public Store interface: every
// stored connector state is locked (so no action can commit), the store is flushed (every acknowledged
// commit is in the connector files and the write-ahead log is emptied), and each file is hard-linked into
// a snapshot folder. That takes milliseconds even for a large journal; the locks are then released and
// the till goes on while the backup copies from the links. A file the store replaces later is a new file
// (atomic rename), so its link keeps the snapshot's content; a journal only grows, so its snapshot is its
// size at that moment.
//
// Limit (asked of the store in the report): a brand-new terminal's or user's scoped state that is first
// committed during the few milliseconds of linking is not locked (its scope key is not known yet); such a
// commit may or may not be in the backup. Commits that also write a global connector (every sale) are
// always held.
import { copyFile, link, mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Manifest } from '../manifest/types.js';
import type { ScopeTarget, Store } from '../store/types.js';
import { findKind } from '../store/kinds.js';
import { errorCode } from '../store/fs-durable.js';
import { PRIVATE_DIR_MODE } from '../store/file-system.js';
import { listDataFiles, SNAPSHOT_FOLDER_PREFIX, type DataFile } from './data-files.js';

let counter = 0;

/** Every stored state of the manifest's persistent connectors: global ones, and scoped ones found on disk. */
async function stateTargets(dataDir: string, manifest: Manifest): Promise<ScopeTarget[]> {
  const targets: ScopeTarget[] = [];
  for (const [name, config] of Object.entries(manifest.connectors)) {
    if (!findKind(config.type)?.persistent) continue;
    if ((config.scope ?? 'global') === 'global') {
      targets.push({ name, scopeKey: 'global' });
      continue;
    }
    const folder = path.join(dataDir, encodeURIComponent(name));
    for (const file of await readdir(folder).catch(() => [] as string[])) {
      const match = /^(.+)\.(json|jsonl)$/.exec(file);
      if (match) targets.push({ name, scopeKey: decodeURIComponent(match[1]) });
    }
  }
  return targets;
}

const key = (target: ScopeTarget) => `${target.name}\u0000${target.scopeKey}`;

/**
 * Holds every commit while `inside` runs on a data folder whose files hold every acknowledged commit.
 * Scoped states that appear meanwhile are added and the whole set locked again (never while holding).
 */
async function whileNothingCommits<T>(store: Store, dataDir: string, manifest: Manifest, inside: () => Promise<T>): Promise<T> {
  let targets = await stateTargets(dataDir, manifest);
  for (let attempt = 0; ; attempt++) {
    const release = await store.lock(targets);
    try {
      await store.flush();
      const now = await stateTargets(dataDir, manifest);
      const known = new Set(targets.map(key));
      const added = now.filter((target) => !known.has(key(target)));
      if (added.length === 0 || attempt >= 4) return await inside();
      targets = [...targets, ...added];
    } finally {
      release();
    }
  }
}

export interface Snapshot {
  files: DataFile[];
  /** removes the snapshot's links */
  dispose(): Promise<void>;
}

/** Removes snapshot folders a host that ended left behind (this host holds the folder's lock, so none is live). */
export async function removeStaleSnapshots(dataDir: string): Promise<void> {
  for (const name of await readdir(dataDir).catch(() => [] as string[])) {
    if (name.startsWith(SNAPSHOT_FOLDER_PREFIX) && !name.startsWith(`${SNAPSHOT_FOLDER_PREFIX}${process.pid}-`)) {
      await rm(path.join(dataDir, name), { recursive: true, force: true });
    }
  }
}

/** Takes a consistent snapshot of a running host's data folder (see the header). */
export async function takeSnapshot(store: Store, dataDir: string, manifest: Manifest): Promise<Snapshot> {
  await removeStaleSnapshots(dataDir);
  const folder = path.join(dataDir, `${SNAPSHOT_FOLDER_PREFIX}${process.pid}-${++counter}`);
  const dispose = () => rm(folder, { recursive: true, force: true });
  try {
    const files = await whileNothingCommits(store, dataDir, manifest, async () => {
      await mkdir(folder, { mode: PRIVATE_DIR_MODE });
      // the log was emptied by the flush; what it may still hold is a commit not held by the locks (see the header)
      const listed = await listDataFiles(dataDir, { includeLog: false });
      const taken: DataFile[] = [];
      for (const [index, file] of listed.entries()) {
        const linked = path.join(folder, String(index));
        try {
          await link(file.full, linked);
        } catch (error) {
          const code = errorCode(error);
          if (code === 'ENOENT') continue; // removed meanwhile (never a connector file while commits are held)
          // file systems without hard links (FAT, some network shares): copied while commits are held
          if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV' || code === 'ENOSYS' || code === 'EMLINK') await copyFile(file.full, linked);
          else throw error;
        }
        taken.push({ path: file.path, source: linked, bytes: (await stat(linked)).size });
      }
      return taken;
    });
    return { files, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
