// The storage layer's entry point: createStore opens every connector of a manifest, in a data folder
// (lowdb files and a write-ahead log) or, given a database URL, in PostgreSQL.
import type { ConnectorConfig } from '../manifest/types.js';
import type { Store } from './types.js';
import { ConnectorStore, type StoreOptions } from './store.js';
import { RoutedStore } from './routed-store.js';

export * from './types.js';
export type { StoreOptions } from './store.js';
export { DurableJsonFile } from './durable-file.js';
export { connectorKinds, findKind } from './kinds.js';
export { DEFAULT_JOURNAL_VIEW } from './kinds/journal.js';
export { nodeFileSystem } from './file-system.js';
export { JournalQueryError } from './journal-query.js';

export interface CreateStoreOptions extends StoreOptions {
  /**
   * postgres://… : the app runs on PostgreSQL. Its connectors of type "postgres" are kept there and the
   * others stay in the data folder; an app without any keeps every stored connector there (configuration
   * only, the manifest unchanged). Memory connectors stay in each host's memory.
   */
  database?: string;
}

/** The connectors that go to the database: the `postgres` ones when the app names some, else every one. */
function databaseConnectors(connectors: Record<string, ConnectorConfig>): Record<string, ConnectorConfig> | null {
  const named = Object.entries(connectors).filter(([, config]) => (config as { type?: unknown })?.type === 'postgres');
  return named.length > 0 ? Object.fromEntries(named) : null;
}

/**
 * Opens the store. Files: creates `dataDir`, finishes a commit a crash interrupted, and loads every global
 * connector; rejects (so start-up stops) when a stored file is damaged and no good copy of it exists.
 * PostgreSQL: connects (a wrong URL or password stops start-up with the reason, never the password),
 * creates or migrates the tables, and loads every global connector.
 */
export async function createStore(options: CreateStoreOptions): Promise<Store> {
  const named = databaseConnectors(options.connectors);
  if (!options.database) {
    if (named) {
      throw new Error(
        `connector "${Object.keys(named)[0]}" has type "postgres": give the database with --database postgres://… ` +
          'or SERVEROKEY_DATABASE_URL',
      );
    }
    const store = new ConnectorStore(options);
    await store.open();
    return store;
  }
  const { openPostgresStore } = await import('./postgres/index.js');
  if (!named) return openPostgresStore({ connectors: options.connectors, url: options.database, log: options.log });
  const inFiles = Object.fromEntries(Object.entries(options.connectors).filter(([name]) => !Object.hasOwn(named, name)));
  const files = new ConnectorStore({ ...options, connectors: inFiles });
  await files.open();
  try {
    const database = await openPostgresStore({ connectors: named, url: options.database, log: options.log });
    return new RoutedStore(Object.keys(options.connectors), files, database);
  } catch (error) {
    await files.close();
    throw error;
  }
}
