// Connecting to PostgreSQL: the URL (never printed with its password), the pools, and which failures mean
// "the database cannot be reached" (an outage the host rides out) rather than a refused statement.
import type { Client, Pool, PoolConfig } from 'pg';
import { importModule } from '../../manifest/import-module.js';

export const DATABASE_URL_ENV = 'SERVEROKEY_DATABASE_URL';

/** What the store uses of pg (its CommonJS module: Pool and Client). */
export interface PgModule {
  Pool: typeof Pool;
  Client: typeof Client;
}

/** pg is loaded only by hosts that use PostgreSQL (a till on lowdb never pays for it). */
export async function loadPg(): Promise<PgModule> {
  const loaded = await importModule<PgModule & { default?: PgModule }>('pg');
  return loaded.default ?? loaded;
}

/** The URL as it may be shown: user, host, port and database, never the password. */
export function describeDatabase(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    parsed.search = '';
    return parsed.toString();
  } catch {
    return 'the database (the URL could not be parsed)';
  }
}

/** Refuses what cannot be a PostgreSQL URL before anything connects. */
export function checkDatabaseUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`the database URL is not a URL; write it as postgres://user:password@host:5432/database`);
  }
  if (parsed.protocol !== 'postgres:' && parsed.protocol !== 'postgresql:') {
    throw new Error(`the database URL must start with postgres:// (got ${parsed.protocol}//…); write it as postgres://user:password@host:5432/database`);
  }
}

/** How long a new connection may take before the attempt counts as "unreachable". */
const CONNECT_TIMEOUT_MS = 3000;

export interface Pools {
  /** transactions: every lock() holds one client until its commit or release */
  writes: Pool;
  /** loading states: never waits for a row lock, so readers progress while writers queue */
  reads: Pool;
}

export function createPools(pg: PgModule, url: string, onIdleError: (error: Error) => void, size = { writes: 10, reads: 4 }): Pools {
  const config = (max: number): PoolConfig => ({
    connectionString: url,
    max,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    idleTimeoutMillis: 30_000,
    application_name: 'serverokey',
  });
  const writes = new pg.Pool(config(size.writes));
  const reads = new pg.Pool(config(size.reads));
  for (const pool of [writes, reads]) {
    // an idle client whose connection drops reports here; a checked-out one on itself (then its query fails):
    // either way the pool discards it, and without a listener the event would end the process
    pool.on('error', onIdleError);
    pool.on('connect', (client) => client.on('error', onIdleError));
  }
  return { writes, reads };
}

/** SQLSTATE classes of a lost or refused connection: 08 connection exception, 57P admin shutdown / cannot connect now, 53 out of resources. */
const UNREACHABLE_STATES = /^(08|57P|53)/;
const UNREACHABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/** Whether an error means the database cannot be reached (as opposed to a statement it refused). */
export function isUnreachable(error: unknown): boolean {
  const err = error as { code?: unknown; message?: unknown } | null;
  const code = typeof err?.code === 'string' ? err.code : '';
  if (UNREACHABLE_CODES.has(code) || UNREACHABLE_STATES.test(code)) return true;
  const message = typeof err?.message === 'string' ? err.message : '';
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable|terminating connection/i.test(message);
}

/** The one line a database failure is described with (pg errors carry no password; the URL is never added). */
export function describeDbError(error: unknown): string {
  const err = error as { code?: unknown; message?: unknown } | null;
  const message = typeof err?.message === 'string' && err.message ? err.message : String(error);
  const code = typeof err?.code === 'string' ? ` (${err.code})` : '';
  return `${message}${code}`;
}
