// `postgres`: a whole-state connector kept in PostgreSQL (the database of --database or
// SERVEROKEY_DATABASE_URL) while the app's other connectors stay where they are. The PostgreSQL store
// (store/postgres/) serves it; this entry only makes the type known to the manifest and the validator.
import type { ConnectorKind } from '../types.js';

export const postgresKind: ConnectorKind = {
  type: 'postgres',
  persistent: true,
  open({ name }) {
    throw new Error(`connector "${name}" (type "postgres") is kept in PostgreSQL: the store for it is opened with a database URL (--database or SERVEROKEY_DATABASE_URL)`);
  },
};
