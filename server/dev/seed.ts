// `serverokey seed`: puts every stored connector of an app back to its initialState (the app's demo
// data lives there), by removing what the data folder holds for it. Memory connectors start from
// initialState anyway. Refuses while a host serves the folder: it would write its states back.
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { loadManifest } from '../manifest/load.js';
import type { Logger } from '../log.js';
import { createStore, findKind } from '../store/index.js';
import { connectorFile } from '../store/paths.js';
import { DataFolderBusyError, readDataLock } from '../data-lock.js';

export interface SeedResult {
  /** connectors whose stored data was removed */
  reset: string[];
}

const STORED_EXTENSIONS = ['.json', '.jsonl'];
const SIDE_FILES = ['', '.tmp', '.bak'];

export async function seedApp(options: { appDir: string; dataDir: string; log: Logger }): Promise<SeedResult> {
  const holder = readDataLock(options.dataDir);
  if (holder) throw new DataFolderBusyError(options.dataDir, holder);
  const { manifest } = await loadManifest(options.appDir);
  // Opening the store finishes a commit a crash interrupted, so nothing half-written survives the reset.
  const store = await createStore({ connectors: manifest.connectors, dataDir: options.dataDir, log: options.log });
  await store.close();
  const reset: string[] = [];
  for (const [name, config] of Object.entries(manifest.connectors)) {
    if (!findKind(config.type)?.persistent) continue;
    for (const ext of STORED_EXTENSIONS) {
      const file = connectorFile(options.dataDir, name, false, 'global', ext);
      for (const side of SIDE_FILES) await rm(file + side, { force: true });
    }
    // a scoped connector keeps one file per terminal or user in a folder named after it
    const folder = path.dirname(connectorFile(options.dataDir, name, true, 'any', '.json'));
    if (path.resolve(folder) !== path.resolve(options.dataDir)) await rm(folder, { recursive: true, force: true });
    reset.push(name);
  }
  return { reset };
}
