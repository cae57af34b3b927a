// A throwaway PostgreSQL cluster for tests: initdb into a temporary folder (as the `postgres` user when the
// tests run as root: initdb refuses root), pg_ctl start on a free port, a database per test, removed at
// the end. No mock: the tests run against the real server Debian's `postgresql` package installs.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

const CANDIDATE_DIRS = ['/usr/lib/postgresql'];

/** The folder holding initdb, pg_ctl and postgres, or null when PostgreSQL is not installed. */
export function postgresBinDir(): string | null {
  for (const base of CANDIDATE_DIRS) {
    if (!existsSync(base)) continue;
    const versions = readdirSync(base).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
    for (const version of versions) {
      const bin = path.join(base, version, 'bin');
      if (existsSync(path.join(bin, 'initdb')) && existsSync(path.join(bin, 'pg_ctl'))) return bin;
    }
  }
  const found = spawnSync('sh', ['-c', 'command -v pg_ctl'], { encoding: 'utf8' }).stdout.trim();
  return found && existsSync(path.join(path.dirname(found), 'initdb')) ? path.dirname(found) : null;
}

/**
 * Why PostgreSQL tests cannot run here, or undefined when they can. In CI (CI=true) a missing PostgreSQL
 * is a failure, not a skip: it is installed by `npm run setup`.
 */
export function postgresSkipReason(): string | undefined {
  if (postgresBinDir()) return undefined;
  const message = 'PostgreSQL is not installed (no initdb/pg_ctl): run `npm run setup` (it installs the Debian package postgresql)';
  if (process.env.CI === 'true') throw new Error(message);
  return message;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface PostgresCluster {
  port: number;
  /** postgres://postgres:<password>@127.0.0.1:<port>/<database> */
  url(database?: string): string;
  /** a new empty database; returns its URL */
  createDatabase(): Promise<string>;
  /** pg_ctl stop -m fast: connections are closed, the server is unreachable until start() */
  stop(): Promise<void>;
  start(): Promise<void>;
  destroy(): Promise<void>;
}

const asRoot = process.getuid?.() === 0;

function run(bin: string, args: string[]): void {
  const command = asRoot ? 'runuser' : bin;
  const argv = asRoot ? ['-u', 'postgres', '--', bin, ...args] : args;
  const result = spawnSync(command, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) throw new Error(`${path.basename(bin)} ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
}

/**
 * initdb + pg_ctl start on a free port. fsync is off unless asked for: the tests never crash the server's
 * machine (benchmarks turn it on, for the durability a real server has).
 */
export async function startPostgres(options: { fsync?: boolean } = {}): Promise<PostgresCluster> {
  const bin = postgresBinDir();
  if (!bin) throw new Error(postgresSkipReason() ?? 'PostgreSQL is not installed');
  const dir = await mkdtemp(path.join(os.tmpdir(), 'serverokey-pg-'));
  await chmod(dir, 0o700);
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    await chown(dir, uid, gid);
  }
  const password = randomBytes(12).toString('hex');
  const passwordFile = path.join(dir, 'password');
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  if (asRoot) await chown(passwordFile, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim()), 0);
  const data = path.join(dir, 'data');
  run(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', `--pwfile=${passwordFile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--no-locale', '-N']);
  const port = await freePort();
  const serverOptions = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=${options.fsync ? 'on' : 'off'} -c max_connections=200`;
  const pgCtl = path.join(bin, 'pg_ctl');
  const start = async () => run(pgCtl, ['-D', data, '-o', serverOptions, '-l', path.join(dir, 'server.log'), '-w', 'start']);
  await start();
  const url = (database = 'postgres') => `postgres://postgres:${password}@127.0.0.1:${port}/${database}`;
  let counter = 0;
  return {
    port,
    url,
    async createDatabase() {
      const name = `test_${process.pid}_${++counter}`;
      const client = new pg.Client({ connectionString: url() });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return url(name);
    },
    stop: async () => run(pgCtl, ['-D', data, '-m', 'fast', '-w', 'stop']),
    start,
    async destroy() {
      try {
        run(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop']);
      } catch {
        // already stopped
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** One statement on a database of the cluster (its own connection, closed after): the rows it returns. */
export async function queryDatabase<T extends pg.QueryResultRow>(database: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: database });
  await client.connect();
  try {
    return (await client.query<T>(sql, values)).rows;
  } finally {
    await client.end();
  }
}

/** A global connector's state as stored in the database (rows joined back), as JSON text; '' when none is stored. */
export async function storedStateText(database: string, connector: string): Promise<string> {
  const client = new pg.Client({ connectionString: database });
  await client.connect();
  try {
    const { rows } = await client.query<{ state: unknown; items: unknown[] | null }>(
      `SELECT s.state, CASE WHEN s.items_as_rows THEN (SELECT coalesce(json_agg(i.item ORDER BY i.position), '[]'::json)
         FROM serverokey_items i WHERE i.connector = s.connector AND i.scope_key = s.scope_key) END AS items
         FROM serverokey_state s WHERE s.connector = $1 AND s.scope_key = 'global'`,
      [connector],
    );
    if (!rows[0]) return '';
    const { state, items } = rows[0];
    return JSON.stringify(items === null ? state : { ...(state as object), items }, null, 2);
  } finally {
    await client.end();
  }
}

export interface HostBackend {
  /** '' for the file store, ' on PostgreSQL' */
  label: string;
  skip?: string;
  /** createHost options that put a host on this backend (a fresh database each call) */
  options(): Promise<{ database?: string }>;
}

/**
 * The two backends a host test can run on: files, and a throwaway PostgreSQL cluster started on first use
 * and removed when the test file ends (`after` is registered by the caller's file).
 */
export function hostBackends(registerAfter: (fn: () => Promise<void>) => void): HostBackend[] {
  let cluster: Promise<PostgresCluster> | undefined;
  registerAfter(async () => {
    if (cluster) await (await cluster).destroy();
  });
  const skip = postgresSkipReason();
  return [
    { label: '', options: async () => ({}) },
    {
      label: ' on PostgreSQL',
      skip,
      async options() {
        cluster ??= startPostgres();
        return { database: await (await cluster).createDatabase() };
      },
    },
  ];
}
