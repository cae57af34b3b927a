// LISTEN for the other hosts' commits, on a connection of its own (a pooled one would be handed to a
// writer). A notification names what changed — connector, scope key, the row's new version, and the
// socket that caused it — never the state itself (NOTIFY payloads are limited to 8,000 bytes; a commit
// naming more is split into several). When the connection is lost the listener reconnects every second,
// LISTENs again and tells its owner, who catches up on what it missed.
import type { Client } from 'pg';
import type { CommitOrigin, Logger } from '../types.js';
import { describeDbError, type PgModule } from './connection.js';

export const CHANGES_CHANNEL = 'serverokey_changes';
/** below NOTIFY's 8,000-byte limit, with room for the JSON around the list */
const MAX_PAYLOAD_BYTES = 7000;
const RECONNECT_MS = 1000;

/** [connector, scope key, version] */
export type ChangedRow = [string, string, number];

export interface ChangeNotice {
  host: string;
  changes: ChangedRow[];
  origin?: CommitOrigin;
}

/** The NOTIFY payloads of one commit: usually one, more when its changes do not fit in one. */
export function encodeNotifications(host: string, changes: ChangedRow[], origin: CommitOrigin | undefined): string[] {
  const payloads: string[] = [];
  const encode = (part: ChangedRow[]) => JSON.stringify({ h: host, c: part, ...(origin ? { o: { s: origin.socketId, t: origin.terminalId } } : {}) });
  let part: ChangedRow[] = [];
  for (const change of changes) {
    const next = [...part, change];
    if (part.length > 0 && Buffer.byteLength(encode(next)) > MAX_PAYLOAD_BYTES) {
      payloads.push(encode(part));
      part = [change];
    } else part = next;
    if (Buffer.byteLength(encode(part)) > MAX_PAYLOAD_BYTES) {
      throw new Error(`a connector name or scope key is too long to be announced to other hosts (${Buffer.byteLength(encode(part))} bytes)`);
    }
  }
  if (part.length > 0) payloads.push(encode(part));
  return payloads;
}

export function parseNotification(payload: string | undefined): ChangeNotice | null {
  if (!payload) return null;
  try {
    const value = JSON.parse(payload) as { h?: unknown; c?: unknown; o?: { s?: unknown; t?: unknown } };
    if (typeof value.h !== 'string' || !Array.isArray(value.c)) return null;
    const changes = value.c.filter(
      (row): row is ChangedRow => Array.isArray(row) && typeof row[0] === 'string' && typeof row[1] === 'string' && typeof row[2] === 'number',
    );
    const origin =
      value.o && typeof value.o.s === 'string'
        ? { socketId: value.o.s, terminalId: typeof value.o.t === 'string' ? value.o.t : null }
        : undefined;
    return { host: value.h, changes, origin };
  } catch {
    return null;
  }
}

export interface ListenerHooks {
  log: Logger;
  notice(notice: ChangeNotice): void;
  /** the connection was lost and is back (LISTENing again): notifications of the gap were missed */
  reconnected(): void;
}

export class ChangeListener {
  private client: Client | null = null;
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private down = false;

  constructor(
    private readonly pg: PgModule,
    private readonly url: string,
    private readonly hooks: ListenerHooks,
  ) {}

  /** The first connection: a failure here stops start-up. */
  async start(): Promise<void> {
    await this.connect();
  }

  get listening(): boolean {
    return this.client !== null && !this.down;
  }

  private async connect(): Promise<void> {
    const client = new this.pg.Client({ connectionString: this.url, keepAlive: true, connectionTimeoutMillis: 3000, application_name: 'serverokey-listen' });
    client.on('notification', (message) => {
      if (message.channel !== CHANGES_CHANNEL) return;
      const notice = parseNotification(message.payload);
      if (notice) this.hooks.notice(notice);
    });
    client.on('error', (error) => this.lost(error, client));
    client.on('end', () => this.lost(new Error('the connection ended'), client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (error) {
      client.removeAllListeners('end');
      client.on('error', () => {});
      await client.end().catch(() => {});
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
  }

  /** The connection failed (or catching up did): drop it and reconnect. */
  lost(error: unknown, client: Client | null = this.client): void {
    if (this.closed || (client !== this.client && client !== null)) return;
    if (!this.down) this.hooks.log.warn(`store: lost the database connection that hears other hosts' changes (${describeDbError(error)}); reconnecting`);
    this.down = true;
    const old = this.client;
    this.client = null;
    if (old) {
      old.removeAllListeners('end');
      old.on('error', () => {});
      void old.end().catch(() => {});
    }
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(async () => {
      this.timer = null;
      try {
        await this.connect();
        this.down = false;
        this.hooks.reconnected();
      } catch {
        this.schedule();
      }
    }, RECONNECT_MS);
    this.timer.unref();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    const client = this.client;
    this.client = null;
    if (client) {
      client.removeAllListeners('end');
      client.on('error', () => {});
      await client.end().catch(() => {});
    }
  }
}
