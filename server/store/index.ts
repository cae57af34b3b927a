// The storage layer's entry point: createStore opens every connector of a manifest in a data folder.
import type { Store } from './types.js';
import { ConnectorStore, type StoreOptions } from './store.js';

export * from './types.js';
export type { StoreOptions } from './store.js';
export { DurableJsonFile } from './durable-file.js';
export { connectorKinds, findKind } from './kinds.js';
export { DEFAULT_JOURNAL_VIEW } from './kinds/journal.js';
export { nodeFileSystem } from './file-system.js';

/**
 * Opens the store: creates `dataDir`, finishes a commit a crash interrupted, and loads every global
 * connector. Rejects (so start-up stops) when a stored file is damaged and no good copy of it exists.
 */
export async function createStore(options: StoreOptions): Promise<Store> {
  const store = new ConnectorStore(options);
  await store.open();
  return store;
}
