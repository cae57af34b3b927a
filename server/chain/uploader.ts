// A shop's side of a chain: its journal records (sales, Z reports, …) reach head office exactly once.
// The shop dials out; nothing connects to a shop, and selling never waits for head office.
//
// An outbox over the journal files themselves: a cursor per journal (record number and byte offset) in
// `chain-state.json`. A batch is one PostgreSQL transaction, INSERT … ON CONFLICT (uid) DO NOTHING; only after
// its COMMIT is the cursor moved, durably. A crash or a cut link anywhere in between makes the next attempt
// send the same records again, which head office ignores by their ids: never a loss, never a duplicate.
// Each time the link is made, the cursor is checked against head office (a head office restored from an
// older backup is sent again what it lacks).
import { createHash } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../log.js';
import { writeFileDurably } from '../store/fs-durable.js';
import { UUID_PATTERN } from './uuid7.js';
import { CATALOGUE_CHANNEL, shopRole } from './head-office.js';
import type { Store } from '../store/types.js';

export interface ChainOptions {
  /** head office's database: postgres://shop_<id>:<password>@host/db (the password from the environment or a file) */
  url: string;
  shop: string;
  /** the global journal connectors to send (default: every one) */
  journals: string[];
  /** records per transaction; default 200 */
  batchSize?: number;
  /** how often to look for new records while idle; default 1000 ms */
  idleMs?: number;
  /** the longest wait between attempts while head office is unreachable; default 30 s */
  maxRetryMs?: number;
  /** the connector head office's catalogue is pulled into (its `items`, by `id`); none: no catalogue */
  catalogue?: string;
}

export interface ChainStatus {
  shop: string;
  online: boolean;
  /** records written at this shop and not yet acknowledged by head office */
  backlog: number;
  lastUpload: string | null;
  /** why the last attempt failed (wrong credentials, unreachable, refused by head office) */
  lastError: string | null;
  /** the newest catalogue version this shop holds (0: none yet) */
  catalogueVersion: number;
}

interface Cursor {
  /** records already at head office (the next one to send) */
  seq: number;
  /** the byte offset of record `seq` in the journal file */
  offset: number;
}

interface SavedState {
  journals: Record<string, Cursor>;
  lastUpload: string | null;
  catalogueVersion?: number;
}

const STATE_FILE = 'chain-state.json';
/** catalogue items pulled per round */
const CATALOGUE_BATCH = 1000;
const READ_CHUNK = 256 * 1024;
/** a shop with nothing new still tells head office it is there this often */
const REPORT_EVERY_MS = 15_000;

/** An id for a record written before its journal had `uid: true`: the same for the same shop, journal and position. */
function derivedUid(shop: string, journal: string, seq: number): string {
  const hex = createHash('sha256').update(`${shop}\u0000${journal}\u0000${seq}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/postgres(ql)?:\/\/[^@\s]*@/gi, 'postgres://…@'); // never a password in a log or a status
}

export class ChainUploader {
  private readonly stateFile: string;
  private state: SavedState = { journals: {}, lastUpload: null };
  private client: pg.Client | null = null;
  /** journals whose cursor was checked against head office since the link was made */
  private readonly confirmed = new Set<string>();
  private stopped = false;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private retryMs = 500;
  private readonly listeners = new Set<(status: ChainStatus) => void>();
  private current: ChainStatus;
  /** what the shop last told head office (backlog/catalogue version) and when */
  private lastReport = { said: '', at: 0 };
  private reportFailed = false;

  constructor(
    private readonly dataDir: string,
    private readonly options: ChainOptions,
    private readonly log: Logger,
    /** the shop's store, for the catalogue pulled from head office */
    private readonly store?: Store,
  ) {
    shopRole(options.shop); // checks the id
    this.stateFile = path.join(dataDir, STATE_FILE);
    this.current = { shop: options.shop, online: false, backlog: 0, lastUpload: null, lastError: null, catalogueVersion: 0 };
  }

  get status(): ChainStatus {
    return this.current;
  }

  onStatus(listener: (status: ChainStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async start(): Promise<void> {
    try {
      this.state = JSON.parse(await readFile(this.stateFile, 'utf8')) as SavedState;
    } catch {
      this.state = { journals: {}, lastUpload: null };
    }
    this.update({
      lastUpload: this.state.lastUpload,
      catalogueVersion: this.state.catalogueVersion ?? 0,
      backlog: await this.backlog().catch(() => 0),
    });
    this.schedule(0);
  }

  /** Sends what is waiting now (tests and `serverokey chain status` use it); resolves when a round ends. */
  async sendNow(): Promise<ChainStatus> {
    if (this.running) await this.running;
    await this.round();
    return this.current;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.running) await this.running.catch(() => {});
    await this.client?.end().catch(() => {});
    this.client = null;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.round().then((more) => this.schedule(more === 'more' ? 0 : more === 'idle' ? (this.options.idleMs ?? 1000) : this.retryMs));
    }, ms);
    this.timer.unref();
  }

  /** One attempt: every journal's waiting records, a batch each. 'more' when a batch was full. */
  private round(): Promise<'more' | 'idle' | 'failed'> {
    const run = (async (): Promise<'more' | 'idle' | 'failed'> => {
      try {
        const client = await this.connect();
        let more = false;
        let sent = 0;
        for (const journal of this.options.journals) {
          const batch = await this.sendBatch(client, journal);
          if (batch.full) more = true;
          sent += batch.sent;
        }
        if (await this.pullCatalogue(client)) more = true;
        // counting what waits reads the rest of each journal: once the backlog is sent, not after every batch of it
        const backlog = more ? Math.max(0, this.current.backlog - sent) : await this.backlog();
        await this.report(client, backlog);
        this.retryMs = 500;
        this.update({ online: true, backlog, lastError: null, lastUpload: this.state.lastUpload, catalogueVersion: this.state.catalogueVersion ?? 0 });
        return more ? 'more' : 'idle';
      } catch (error) {
        const reason = describe(error);
        if (this.current.online || this.current.lastError !== reason) {
          this.log.warn(`chain: head office not reached (${reason}); the shop sells on, records wait and are sent later`);
        }
        await this.client?.end().catch(() => {});
        this.client = null;
        this.confirmed.clear();
        this.retryMs = Math.min(this.retryMs * 2, this.options.maxRetryMs ?? 30_000);
        this.update({ online: false, lastError: reason, backlog: await this.backlog().catch(() => this.current.backlog) });
        return 'failed';
      }
    })();
    const done = run.then(() => undefined);
    this.running = done;
    void done.finally(() => {
      if (this.running === done) this.running = null;
    });
    return run;
  }

  /**
   * Tells head office this shop's state (serverokey_chain_contacts: when it was last heard from, what it
   * still has to send, the catalogue version it holds): when that changed, else every REPORT_EVERY_MS.
   * Head office's pages show it; a failure here (an older head office without the table) never stops uploads.
   */
  private async report(client: pg.Client, backlog: number): Promise<void> {
    const said = `${backlog}/${this.state.catalogueVersion ?? 0}`;
    if (said === this.lastReport.said && Date.now() - this.lastReport.at < REPORT_EVERY_MS) return;
    try {
      await client.query(
        `INSERT INTO serverokey_chain_contacts (shop, seen_at, backlog, catalogue_version) VALUES ($1, now(), $2, $3)
         ON CONFLICT (shop) DO UPDATE SET seen_at = now(), backlog = EXCLUDED.backlog, catalogue_version = EXCLUDED.catalogue_version`,
        [this.options.shop, backlog, this.state.catalogueVersion ?? 0],
      );
      this.lastReport = { said, at: Date.now() };
    } catch (error) {
      if (!this.reportFailed) this.log.warn(`chain: could not tell head office this shop's state (${describe(error)}); uploads go on`);
      this.reportFailed = true;
      this.lastReport = { said, at: Date.now() };
    }
  }

  private async connect(): Promise<pg.Client> {
    if (this.client) return this.client;
    const client = new pg.Client({ connectionString: this.options.url, connectionTimeoutMillis: 5000, query_timeout: 15_000, keepAlive: true });
    client.on('error', () => {
      // a dropped connection: the next query fails and the round reconnects
    });
    await client.connect();
    if (this.options.catalogue) {
      // a change at head office is pulled at once (and at every round, and after every reconnection)
      client.on('notification', () => this.schedule(0));
      await client.query(`LISTEN ${CATALOGUE_CHANNEL}`);
    }
    this.client = client;
    return client;
  }

  /** Sends the next batch of one journal; the cursor moves only after head office committed it. */
  private async sendBatch(client: pg.Client, journal: string): Promise<{ full: boolean; sent: number }> {
    const file = path.join(this.dataDir, `${encodeURIComponent(journal)}.jsonl`);
    let cursor = this.state.journals[journal] ?? { seq: 0, offset: 0 };
    if (!this.confirmed.has(journal)) cursor = await this.confirm(client, journal, file, cursor);
    const size = this.options.batchSize ?? 200;
    const { records, end } = await readRecords(file, cursor.offset, size);
    if (records.length === 0) return { full: false, sent: 0 };
    const rows = records.map((record, index) => {
      const seq = cursor.seq + index;
      const uid = typeof record.uid === 'string' && UUID_PATTERN.test(record.uid) ? record.uid : derivedUid(this.options.shop, journal, seq);
      const at = typeof record.at === 'string' && !Number.isNaN(Date.parse(record.at)) ? record.at : null;
      return [uid, this.options.shop, journal, seq, at, JSON.stringify(record)];
    });
    const values = rows.map((_, i) => `($${i * 6 + 1}, $${i * 6 + 2}, $${i * 6 + 3}, $${i * 6 + 4}, $${i * 6 + 5}, $${i * 6 + 6})`).join(', ');
    await client.query('BEGIN');
    try {
      await client.query(
        `INSERT INTO serverokey_chain_records (uid, shop, journal, seq, at, record) VALUES ${values} ON CONFLICT (uid) DO NOTHING`,
        rows.flat(),
      );
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
    // head office has them: the cursor moves, durably (a crash before this only sends them again)
    this.state.journals[journal] = { seq: cursor.seq + records.length, offset: end };
    this.state.lastUpload = new Date().toISOString();
    await writeFileDurably(this.stateFile, `${JSON.stringify(this.state, null, 2)}\n`);
    return { full: records.length === size, sent: records.length };
  }

  /**
   * The cursor as head office sees it: never past what it holds (restored from an older backup, it is sent
   * again what it lacks). Checked once per connection.
   */
  private async confirm(client: pg.Client, journal: string, file: string, cursor: Cursor): Promise<Cursor> {
    const { rows } = await client.query('SELECT coalesce(max(seq) + 1, 0) AS next FROM serverokey_chain_records WHERE shop = $1 AND journal = $2', [
      this.options.shop,
      journal,
    ]);
    const next = Number(rows[0]?.next ?? 0);
    this.confirmed.add(journal);
    if (next >= cursor.seq) return cursor;
    this.log.warn(`chain: head office holds ${next} records of "${journal}" where ${cursor.seq} were sent; sending the rest again`);
    const offset = await offsetOfRecord(file, next);
    const back = { seq: next, offset };
    this.state.journals[journal] = back;
    return back;
  }

  /**
   * The catalogue changes after the version this shop holds, each item as this shop sees it (its own
   * override, else the chain's), applied to the catalogue connector in one commit; the version is saved
   * after that commit (applying the same changes again changes nothing). True when there may be more.
   */
  private async pullCatalogue(client: pg.Client): Promise<boolean> {
    const name = this.options.catalogue;
    if (!name || !this.store) return false;
    const since = this.state.catalogueVersion ?? 0;
    const { rows: changed } = await client.query(
      'SELECT item_id, max(version) AS version FROM serverokey_chain_catalogue WHERE version > $1 GROUP BY item_id ORDER BY max(version) LIMIT $2',
      [since, CATALOGUE_BATCH],
    );
    if (changed.length === 0) return false;
    const ids = changed.map((row) => String(row.item_id));
    const top = Math.max(...changed.map((row) => Number(row.version)));
    const { rows: versions } = await client.query(
      `SELECT item_id, shop, item FROM serverokey_chain_catalogue WHERE item_id = ANY($1) AND shop IN ('', $2)`,
      [ids, this.options.shop],
    );
    // the shop's override (a price) over the chain's item; without a chain item, the shop's own product
    const chainItems = new Map<string, Record<string, unknown> | null>();
    const overrides = new Map<string, Record<string, unknown> | null>();
    for (const row of versions) (row.shop === '' ? chainItems : overrides).set(String(row.item_id), row.item as Record<string, unknown> | null);
    const byId = new Map<string, Record<string, unknown> | null>(
      ids.map((id) => {
        const base = chainItems.get(id) ?? null;
        const own = overrides.get(id) ?? null;
        return [id, base && own ? { ...base, ...own } : (base ?? own)];
      }),
    );
    const release = await this.store.lock([{ name, scopeKey: 'global' }]);
    let durable: Promise<void>;
    try {
      const state = (await this.store.snapshot(name, 'global', { latest: true })) as { items?: unknown[] } | null;
      const items = [...(Array.isArray(state?.items) ? state.items : [])];
      const at = new Map(items.map((item, index) => [String((item as { id?: unknown })?.id), index]));
      const removed = new Set<number>();
      for (const id of ids) {
        const item = byId.get(id) ?? null;
        const index = at.get(id);
        if (item === null) {
          if (index !== undefined) removed.add(index);
        } else if (index !== undefined) {
          // head office's fields replace the shop's; fields only the shop keeps (stock) stay
          items[index] = { ...(items[index] as Record<string, unknown>), ...item };
        } else {
          at.set(id, items.length);
          items.push(item);
        }
      }
      const next = removed.size ? items.filter((_, index) => !removed.has(index)) : items;
      durable = this.store.commit([{ name, scopeKey: 'global', state: { ...(state ?? {}), items: next } }]);
    } finally {
      release();
    }
    await durable;
    this.state.catalogueVersion = top;
    await writeFileDurably(this.stateFile, `${JSON.stringify(this.state, null, 2)}\n`);
    this.log.info(`chain: catalogue version ${top} from head office (${ids.length} product(s))`);
    return changed.length === CATALOGUE_BATCH;
  }

  private async backlog(): Promise<number> {
    let total = 0;
    for (const journal of this.options.journals) {
      const cursor = this.state.journals[journal] ?? { seq: 0, offset: 0 };
      total += await countLines(path.join(this.dataDir, `${encodeURIComponent(journal)}.jsonl`), cursor.offset);
    }
    return total;
  }

  private update(change: Partial<ChainStatus>): void {
    const next = { ...this.current, ...change };
    const changed = JSON.stringify(next) !== JSON.stringify(this.current);
    this.current = next;
    if (changed) for (const listener of this.listeners) listener(next);
  }
}

/** Up to `count` whole records from `offset`, and the offset after the last one read. */
async function readRecords(file: string, offset: number, count: number): Promise<{ records: Array<Record<string, unknown>>; end: number }> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return { records: [], end: offset };
  }
  try {
    const records: Array<Record<string, unknown>> = [];
    let position = offset;
    let pending = Buffer.alloc(0);
    while (records.length < count) {
      const chunk = Buffer.alloc(READ_CHUNK);
      const { bytesRead } = await handle.read(chunk, 0, READ_CHUNK, position + pending.length);
      if (bytesRead === 0) break;
      pending = Buffer.concat([pending, chunk.subarray(0, bytesRead)]);
      let newline;
      while (records.length < count && (newline = pending.indexOf(10)) !== -1) {
        records.push(JSON.parse(pending.subarray(0, newline).toString('utf8')) as Record<string, unknown>);
        position += newline + 1;
        pending = pending.subarray(newline + 1);
      }
    }
    return { records, end: position };
  } finally {
    await handle.close();
  }
}

/** Whole records after `offset` (a last line without its newline is not one yet). */
async function countLines(file: string, offset: number): Promise<number> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch {
    return 0;
  }
  try {
    let lines = 0;
    let position = offset;
    const chunk = Buffer.alloc(READ_CHUNK);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, READ_CHUNK, position);
      if (bytesRead === 0) return lines;
      for (let i = 0; i < bytesRead; i++) if (chunk[i] === 10) lines++;
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
}

/** The byte offset of record number `seq` (counted from 0). */
async function offsetOfRecord(file: string, seq: number): Promise<number> {
  if (seq === 0) return 0;
  const handle = await open(file, 'r');
  try {
    let seen = 0;
    let position = 0;
    const chunk = Buffer.alloc(READ_CHUNK);
    for (;;) {
      const { bytesRead } = await handle.read(chunk, 0, READ_CHUNK, position);
      if (bytesRead === 0) throw new Error(`the journal has fewer than ${seq} records`);
      for (let i = 0; i < bytesRead; i++) {
        if (chunk[i] === 10 && ++seen === seq) return position + i + 1;
      }
      position += bytesRead;
    }
  } finally {
    await handle.close();
  }
}
