// The tables the engine keeps in PostgreSQL, created and migrated by the engine itself at start (under an
// advisory lock, so hosts starting together do it once). serverokey_schema holds the layout's version: an
// older database is migrated, a newer one is refused (an older engine must not write a layout it does
// not know). The layout is documented for people who query it in docs/postgres.md.
import { createHash } from 'node:crypto';
import type { PoolClient } from 'pg';

/** The layout this engine writes. Bump it with a new entry in MIGRATIONS. */
export const SCHEMA_VERSION = 2;

/** pg_advisory_xact_lock key for creating and migrating the tables ("serverokey" as a number). */
const SCHEMA_LOCK = 0x5345_5256;

/** MIGRATIONS[n] brings a database from version n to n + 1 (0: an empty database). */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE serverokey_state (
    connector     text        NOT NULL,
    scope_key     text        NOT NULL,
    version       bigint      NOT NULL,
    state         json        NOT NULL,
    items_as_rows boolean     NOT NULL DEFAULT false,
    count         bigint      NOT NULL DEFAULT 0,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connector, scope_key)
  );
  CREATE TABLE serverokey_items (
    connector text    NOT NULL,
    scope_key text    NOT NULL,
    position  integer NOT NULL,
    item      json    NOT NULL,
    PRIMARY KEY (connector, scope_key, position)
  );
  CREATE TABLE serverokey_journal (
    connector   text        NOT NULL,
    scope_key   text        NOT NULL,
    seq         bigint      NOT NULL,
    record      json        NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (connector, scope_key, seq)
  );
  CREATE TABLE serverokey_terminals (
    id         text        PRIMARY KEY,
    info       json        NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE serverokey_secrets (
    name  text  PRIMARY KEY,
    value bytea NOT NULL
  );
  `,
  // 1 → 2: each item row says which commit of its state last wrote it, so a host whose copy is at version v
  // loads only the rows written after v (row-level invalidation) instead of the whole collection
  `
  ALTER TABLE serverokey_items ADD COLUMN version bigint NOT NULL DEFAULT 0;
  CREATE INDEX serverokey_items_written ON serverokey_items (connector, scope_key, version);
  `,
];

export class SchemaTooNewError extends Error {
  constructor(found: number) {
    super(
      `the database holds tables of schema version ${found}, written by a newer engine (this one knows version ${SCHEMA_VERSION}); ` +
        'update the engine, or point --database at another database',
    );
    this.name = 'SchemaTooNewError';
  }
}

/** Creates or migrates the tables; returns the version found before (0: none) for the start-up log. */
export async function migrateSchema(client: PoolClient): Promise<number> {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    await client.query(`
      CREATE TABLE IF NOT EXISTS serverokey_schema (
        singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
        version    integer     NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    const found = Number((await client.query<{ version: number }>('SELECT version FROM serverokey_schema')).rows[0]?.version ?? 0);
    if (found > SCHEMA_VERSION) throw new SchemaTooNewError(found);
    for (let version = found; version < SCHEMA_VERSION; version++) await client.query(MIGRATIONS[version]);
    if (found < SCHEMA_VERSION) {
      await client.query(
        `INSERT INTO serverokey_schema (singleton, version) VALUES (true, $1)
         ON CONFLICT (singleton) DO UPDATE SET version = EXCLUDED.version, updated_at = now()`,
        [SCHEMA_VERSION],
      );
    }
    await client.query('COMMIT');
    return found;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
}

/** pg_advisory_xact_lock key for creating the journal field indexes ("jidx"). */
const JOURNAL_INDEX_LOCK = 0x6a69_6478;

/** A field path (`cashier.login`) as a text[] literal, for an expression that must be written the same everywhere. */
function pathLiteral(field: string): string {
  const array = `{${field.split('.').map((part) => `"${part.replace(/["\\]/g, '\\$&')}"`).join(',')}}`;
  return `'${array.replace(/'/g, "''")}'`;
}

/**
 * A journal field's text as the field indexes hold it (the C collation: byte order, so `LIKE '[%'` is a
 * range too). Queries must write it exactly so for PostgreSQL to use the index.
 */
export function fieldText(field: string, alias = 'j'): string {
  return `((${alias}.record #>> ${pathLiteral(field)}::text[]) COLLATE "C")`;
}

/**
 * One expression index per journal `index` field (shared by every connector with that field), so a
 * journal:read filter reads the matching rows, not the journal. Created once (IF NOT EXISTS), under an
 * advisory lock so hosts starting together do not race; returns the fields it created indexes for.
 */
export async function createJournalFieldIndexes(client: PoolClient, fields: string[]): Promise<string[]> {
  const wanted = [...new Set(fields)];
  if (wanted.length === 0) return [];
  const created: string[] = [];
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [JOURNAL_INDEX_LOCK]);
    for (const field of wanted) {
      const name = `serverokey_journal_f_${createHash('sha256').update(field).digest('hex').slice(0, 16)}`;
      const exists = await client.query('SELECT 1 FROM pg_class WHERE relname = $1', [name]);
      if (exists.rowCount) continue;
      await client.query(`CREATE INDEX ${name} ON serverokey_journal (connector, scope_key, ${fieldText(field, 'serverokey_journal').replace(/serverokey_journal\.record/, 'record')})`);
      created.push(field);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
  return created;
}
