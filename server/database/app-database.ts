// The app's own SQL on the host's PostgreSQL database (`serve --database`): what the `sql` step runs and
// what a socket channel's `listen` hears. Apps use it for tables the engine does not manage (a chain's
// central tables, tables other programs write). Each statement is its own transaction — READ ONLY in a
// view — with a time limit; the connections are made on first use, so an app that never runs SQL never
// connects for it. (The store keeps its own pools: an app's slow report never holds up a sale's commit.)
import type { Client, Pool } from 'pg';
import type { Logger } from '../log.js';
import { describeDbError, isUnreachable, loadPg, type PgModule } from '../store/postgres/connection.js';

/** How long one statement may run before it is cancelled (a forgotten WHERE must not hold a connection). */
const STATEMENT_TIMEOUT_MS = 15_000;
const RECONNECT_MS = 1000;
/** a PostgreSQL identifier: what LISTEN accepts unquoted (the manifest's `listen` names are checked against it) */
export const CHANNEL_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface SqlResult {
  rows: Array<Record<string, unknown>>;
  rowCount: number;
}

/** A failed statement with the HTTP status it means for the request that ran it. */
export class SqlError extends Error {
  constructor(
    readonly status: number,
    message: string,
    override readonly cause?: unknown,
    /** the message may be shown outside debug mode too (it names no internals the user could not act on) */
    readonly shown = status < 500 || status === 503,
  ) {
    super(message);
    this.name = 'SqlError';
  }
}

/**
 * What a PostgreSQL error means for the request: the database cannot be reached (503), a value it refused
 * (22…: 400), a row that breaks a constraint (23…: 409), or the app's own mistake (500).
 */
function sqlError(error: unknown): SqlError {
  const code = String((error as { code?: unknown })?.code ?? '');
  const reason = describeDbError(error);
  if (isUnreachable(error)) return new SqlError(503, `Нет связи с базой данных: ${reason}`, error);
  if (code.startsWith('22')) return new SqlError(400, `Неверное значение: ${reason}`, error);
  if (code.startsWith('23')) return new SqlError(409, `Изменение отклонено базой данных: ${reason}`, error);
  // a table the app expects is not there: the set-up step was skipped (apps/hq: `serverokey chain setup`)
  if (code === '42P01') return new SqlError(500, `В базе данных нет таблицы: ${reason}`, error, true);
  return new SqlError(500, `SQL failed: ${reason}`, error);
}

export class AppDatabase {
  private pg: PgModule | null = null;
  private pool: Pool | null = null;
  private listener: Client | null = null;
  private listenTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly url: string,
    private readonly log: Logger,
  ) {}

  private async ready(): Promise<Pool> {
    if (this.closed) throw new SqlError(503, 'the host is stopping');
    this.pg ??= await loadPg();
    if (!this.pool) {
      this.pool = new this.pg.Pool({ connectionString: this.url, max: 4, connectionTimeoutMillis: 3000, idleTimeoutMillis: 30_000, application_name: 'serverokey-sql' });
      // an idle connection that drops is discarded by the pool; without a listener the event would end the process
      this.pool.on('error', () => {});
      this.pool.on('connect', (client) => client.on('error', () => {}));
    }
    return this.pool;
  }

  /** One statement in its own transaction (READ ONLY when `readOnly`), with bound parameters ($1, $2, …). */
  async query(text: string, params: unknown[], options: { readOnly: boolean }): Promise<SqlResult> {
    const pool = await this.ready();
    let client;
    try {
      client = await pool.connect();
    } catch (error) {
      throw sqlError(error);
    }
    try {
      await client.query(options.readOnly ? 'BEGIN READ ONLY' : 'BEGIN');
      await client.query(`SET LOCAL statement_timeout = ${STATEMENT_TIMEOUT_MS}`);
      const result = await client.query(text, params);
      await client.query('COMMIT');
      return { rows: result.rows as Array<Record<string, unknown>>, rowCount: result.rowCount ?? 0 };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw sqlError(error);
    } finally {
      client.release();
    }
  }

  /**
   * Hears PostgreSQL notifications on `channels` (written by anyone: a trigger, another program) on a
   * connection of its own, reconnecting every second while the database is away; after a reconnection
   * every channel is announced once, since what was sent meanwhile was missed.
   */
  async listen(channels: string[], heard: (channel: string, payload: string) => void): Promise<void> {
    for (const channel of channels) if (!CHANNEL_NAME.test(channel)) throw new Error(`"${channel}" cannot be LISTENed to: use lower-case letters, digits and _`);
    if (channels.length === 0) return;
    this.pg ??= await loadPg();
    const connect = async (again: boolean): Promise<void> => {
      if (this.closed) return;
      const client = new this.pg!.Client({ connectionString: this.url, keepAlive: true, connectionTimeoutMillis: 3000, application_name: 'serverokey-listen-app' });
      const lost = (error: unknown) => {
        if (this.listener !== client || this.closed) return;
        this.log.warn(`sockets: lost the database connection that hears ${channels.join(', ')} (${describeDbError(error)}); reconnecting`);
        this.listener = null;
        client.removeAllListeners('end');
        void client.end().catch(() => {});
        retry();
      };
      const retry = () => {
        if (this.closed) return;
        this.listenTimer = setTimeout(() => void connect(true), RECONNECT_MS);
        this.listenTimer.unref();
      };
      client.on('notification', (message) => heard(message.channel, message.payload ?? ''));
      client.on('error', lost);
      client.on('end', () => lost(new Error('the connection ended')));
      try {
        await client.connect();
        for (const channel of channels) await client.query(`LISTEN ${channel}`);
      } catch (error) {
        client.removeAllListeners('end');
        client.on('error', () => {});
        await client.end().catch(() => {});
        if (!again) throw new Error(`cannot LISTEN on the database: ${describeDbError(error)}`);
        retry();
        return;
      }
      if (this.closed) {
        await client.end().catch(() => {});
        return;
      }
      this.listener = client;
      if (again) {
        this.log.info(`sockets: hearing ${channels.join(', ')} again`);
        for (const channel of channels) heard(channel, '');
      }
    };
    await connect(false);
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.listenTimer) clearTimeout(this.listenTimer);
    const listener = this.listener;
    this.listener = null;
    listener?.removeAllListeners('end');
    await listener?.end().catch(() => {});
    await this.pool?.end().catch(() => {});
  }
}
