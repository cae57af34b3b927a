// The PostgreSQL store's entry point (loaded, with pg, only by hosts given a database URL).
import type { Store } from '../types.js';
import { checkDatabaseUrl } from './connection.js';
import { PostgresStore, type PostgresStoreOptions } from './postgres-store.js';

export { PostgresStore, DatabaseUnavailableError } from './postgres-store.js';
export type { PostgresStoreOptions } from './postgres-store.js';
export { DATABASE_URL_ENV, describeDatabase } from './connection.js';

export async function openPostgresStore(options: PostgresStoreOptions): Promise<Store> {
  checkDatabaseUrl(options.url);
  const store = new PostgresStore(options);
  await store.open();
  return store;
}
