// The Store on PostgreSQL: several hosts, one database. Each host keeps a copy of the states it has read
// (what peek/read serve, so pages need no round trip); the database is the truth.
//
// Transactions take row locks in a fixed order, not SERIALIZABLE with retries: an action runs steps
// between its read and its commit that the store cannot run again (handlers, http:get), so a
// serialization failure at COMMIT could only be refused, never retried transparently. lock() therefore
// opens a transaction and locks the scope rows of every target with one SELECT … ORDER BY … FOR UPDATE
// (the same order on every host, so no deadlock), then brings this host's copy of each locked state up to
// date when another host changed it (the row's version says so). commit() writes in that transaction and
// COMMITs; readers never wait (MVCC). Within one host the KeyedLocks queue writers first, so a pool
// connection is held only by the writer whose turn it is.
//
// Every commit also sends one NOTIFY (in the transaction, so it is delivered exactly when the commit is
// visible) naming what changed — connector, scope key, version and the initiating socket, never the state:
// the other hosts reload those states and tell their subscribers (see onRemoteCommit). A host that loses
// its LISTEN connection reconnects, compares the versions of everything it holds, and reloads and
// announces what it missed.
import { deepFreeze, EntryTable, entryIdOf, frozenView, initialStateOf, scopeText, VALID_SCOPES } from '../entries.js';
import { randomBytes } from 'node:crypto';
import type { Client, Pool, PoolClient, QueryResult } from 'pg';
import type { ConnectorConfig, ConnectorScope } from '../../manifest/types.js';
import type {
  Change,
  CommitOptions,
  CommitOrigin,
  ConnectorBackend,
  ConnectorInfo,
  JournalPage,
  JournalQuery,
  JournalState,
  JsonValue,
  Logger,
  PreparedState,
  RemoteCommit,
  ScopeTarget,
  Store,
} from '../types.js';
import { InvalidChangeError, StoreWriteError } from '../types.js';
import { findKind, knownTypes } from '../kinds.js';
import { journalKind, DEFAULT_JOURNAL_VIEW } from '../kinds/journal.js';
import { nodeFileSystem } from '../file-system.js';
import { KeyedLocks } from '../locks.js';
import { copyAsJson, isPlainRecord } from '../json-value.js';
import { applyMigrations } from '../migrations.js';
import { applyComputed, removeDerived } from '../computed.js';
import { GLOBAL_SCOPE_KEY } from '../paths.js';
import { listDerived } from '../item-index.js';
import { PROBLEMS, StoreHealth, type StoreStatus } from '../health.js';
import { createPools, describeDatabase, describeDbError, isUnreachable, loadPg, type Pools } from './connection.js';
import { createJournalFieldIndexes, fieldText, migrateSchema, SCHEMA_VERSION } from './schema.js';
import { conditionsOf, indexFieldsOf, JournalQueryError, orderOf, pageSizeOf, pageWindow, type JournalCondition } from '../journal-query.js';
import { commitTexts, diffItems, isStoredItem, itemTexts, joinState, mergeRows, rememberItems, splitState, type ChangedRows } from './rows.js';
import { ChangeListener, CHANGES_CHANNEL, encodeNotifications, type ChangeNotice } from './listener.js';
import type { HostStorage, HostStorageProvider } from '../../auth/host-storage.js';
import type { TerminalInfo } from '../../host-types.js';

/** While the database cannot be reached, how often the store checks whether it is back. */
const RETRY_WHILE_FAILING_MS = 1000;
/** The name a notification gives the paired terminals (no connector can be called this: names are manifest keys, '@' is reserved here). */
const TERMINALS_NOTICE = '@terminals';
/** No row position ever reaches this: "delete nothing". */
const NO_DELETE = 2_147_483_647;

export interface PostgresStoreOptions {
  connectors: Record<string, ConnectorConfig>;
  /** postgres://user:password@host:port/database */
  url: string;
  log: Logger;
  /** default 1000 ms */
  retryWhileFailingMs?: number;
  /** pool sizes (writes: connections held by writers; reads: loading states) */
  poolSize?: { writes: number; reads: number };
}

type Mode = 'whole' | 'journal' | 'memory';

interface Connector {
  name: string;
  config: ConnectorConfig;
  scope: ConnectorScope;
  mode: Mode;
  /** the type info() reports */
  type: string;
  /** journals: the journal kind's own rules for what a commit may change (no file is ever opened) */
  journal?: ConnectorBackend;
  /** journals: how many of the newest records readers see */
  last: number;
}

interface Entry {
  id: string;
  connector: Connector;
  scopeKey: string;
  /** the latest state (what the writer holding the lock builds on); replaced, never mutated */
  state: JsonValue | undefined;
  /** the last committed state: what readers see */
  durable: JsonValue | undefined;
  /** the row's version in the database that `durable` is */
  dbVersion: number;
  /** whole-state connectors with items as rows: the JSON text of each stored item row of `durable` */
  texts: string[] | null;
  /** the newest version whose item rows this host knows (objects and texts): what row-level loads build on */
  rows: RowsBase | null;
  version: number;
  latestVersion: number;
  /** latestVersion of the commit `durable` came from (commits finishing out of order never go back) */
  durableSeq: number;
  view: { version: number; state: JsonValue } | null;
  latestView: { version: number; state: JsonValue } | null;
  loading: Promise<void> | null;
  /** this host's commit of this state that is on its way (the next writer waits for it) */
  pending: Promise<void> | null;
}

interface Loaded {
  version: number;
  state: JsonValue;
  texts: string[] | null;
  /** a row-level load: the items it was made from and the positions read (the lists' caches are carried over) */
  derived?: { from: readonly JsonValue[]; changed: number[] };
}

/** The items of a stored version as this host holds them, with the JSON text of each row. */
interface RowsBase {
  version: number;
  items: readonly JsonValue[];
  texts: readonly string[];
}

/** What the store has read from the database since it opened (tests and the bench check that big collections are not read whole). */
export interface ReadCounters {
  /** item rows read, by whole loads and by row-level ones */
  itemRows: number;
  /** loads of a whole items-as-rows state (every row) */
  wholeLoads: number;
  /** loads of only the rows written since this host's copy */
  rowLoads: number;
}

/** A lock(): one transaction holding the rows' locks until its commit (or the release) ends it. */
interface Held {
  client: PoolClient;
  ids: Set<string>;
  /** set by the commit made under this lock: that commit ends the transaction */
  committing: boolean;
  /** the locked rows' versions when locked */
  versions: Map<string, number>;
}

interface LockedRow {
  connector: string;
  scope_key: string;
  version: string;
}

interface Plan {
  entry: Entry;
  prepared: PreparedState;
  seq: number;
}

/** The database cannot be reached: the change was not saved (503, with the message the client shows). */
export class DatabaseUnavailableError extends StoreWriteError {
  readonly storeProblem = 'database-unavailable';
  constructor(message: string, cause: unknown) {
    super(message, { cause, problem: 'write-failed', status: 503, userMessage: PROBLEMS['database-unavailable'].refused });
    this.name = 'DatabaseUnavailableError';
  }
}




export class PostgresStore implements Store, HostStorageProvider {
  readonly shared = true;
  private readonly connectors = new Map<string, Connector>();
  private readonly table = new EntryTable<Connector, Entry>(this.connectors, (id, connector, scopeKey) => ({
    id,
    connector,
    scopeKey,
    state: undefined,
    durable: undefined,
    dbVersion: 0,
    texts: null,
    rows: null,
    version: 0,
    latestVersion: 0,
    durableSeq: 0,
    view: null,
    latestView: null,
    loading: null,
    pending: null,
  }));
  private readonly locks = new KeyedLocks();
  private readonly heldBy = new Map<string, Held>();
  private readonly pendingCommits = new Set<Promise<void>>();
  private readonly remoteListeners = new Set<(commit: RemoteCommit) => void>();
  private readonly hostId = randomBytes(8).toString('hex');
  private readonly log: Logger;
  private readonly where: string;
  readonly health: StoreHealth;
  /** what was read so far (see ReadCounters) */
  readonly reads: ReadCounters = { itemRows: 0, wholeLoads: 0, rowLoads: 0 };
  private pools!: Pools;
  private listener: ChangeListener | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private notices: Promise<void> = Promise.resolve();
  private terminals: TerminalInfo[] = [];
  private readonly terminalListeners = new Set<(terminals: TerminalInfo[]) => void>();
  private readonly retryWhileFailingMs: number;
  private closed = false;
  private closing = false;

  constructor(private readonly options: PostgresStoreOptions) {
    this.log = options.log;
    this.where = describeDatabase(options.url);
    this.retryWhileFailingMs = options.retryWhileFailingMs ?? RETRY_WHILE_FAILING_MS;
    this.health = new StoreHealth(options.log, `the database ${this.where}`);
    this.health.onChange((status) => this.retryWhileFailing(status));
    for (const [name, config] of Object.entries(options.connectors)) this.connectors.set(name, this.openConnector(name, config));
  }

  private openConnector(name: string, config: ConnectorConfig): Connector {
    const type = (config as { type?: unknown } | undefined)?.type;
    const kind = typeof type === 'string' ? findKind(type) : undefined;
    if (!kind) throw new Error(`connector "${name}": unknown type ${JSON.stringify(type)} (one of: ${knownTypes().join(', ')})`);
    const scope = config.scope ?? 'global';
    if (!VALID_SCOPES.includes(scope)) {
      throw new Error(`connector "${name}": unknown scope ${JSON.stringify(scope)} (one of: ${VALID_SCOPES.join(', ')})`);
    }
    const last = config.view?.last ?? DEFAULT_JOURNAL_VIEW;
    if (!kind.persistent) return { name, config, scope, mode: 'memory', type: kind.type, last };
    if (kind.type === 'journal') {
      const journal = journalKind.open({ name, config, dataDir: '', log: this.log, fs: nodeFileSystem, rulesOnly: true });
      return { name, config, scope, mode: 'journal', type: 'journal', journal, last };
    }
    return { name, config, scope, mode: 'whole', type: 'postgres', last };
  }

  /** Connects (a wrong URL or password stops start-up here, with the reason), creates or migrates the tables, loads the global states. */
  async open(): Promise<void> {
    const pg = await loadPg();
    this.pools = createPools(pg, this.options.url, (error) => this.connectionLost(error), this.options.poolSize);
    try {
      let client: PoolClient;
      try {
        client = await this.pools.writes.connect();
      } catch (error) {
        throw new Error(`cannot connect to PostgreSQL at ${this.where}: ${describeDbError(error)}`, { cause: error });
      }
      try {
        const found = await migrateSchema(client);
        if (found === 0) this.log.info(`store: created the engine's tables in ${this.where} (schema version ${SCHEMA_VERSION})`);
        else if (found < SCHEMA_VERSION) this.log.info(`store: migrated the tables in ${this.where} from schema version ${found} to ${SCHEMA_VERSION}`);
        const fields = [...this.connectors.values()].filter((c) => c.mode === 'journal').flatMap((c) => indexFieldsOf(c.config));
        const created = await createJournalFieldIndexes(client, fields);
        if (created.length > 0) this.log.info(`store: indexed the journal rows by ${created.join(', ')} in ${this.where}`);
      } finally {
        client.release();
      }
      this.listener = new ChangeListener(pg, this.options.url, {
        log: this.log,
        // one at a time, in the order the database delivered them, so subscribers hear of commits in order
        notice: (notice) => {
          this.notices = this.notices.then(() => this.remoteNotice(notice)).catch(() => {});
        },
        reconnected: () => void this.resync(),
      });
      await this.listener.start();
      const globals = [...this.connectors.values()].filter((connector) => connector.scope === 'global');
      for (const connector of globals) await this.load(this.entry(connector.name, GLOBAL_SCOPE_KEY));
    } catch (error) {
      this.closed = true;
      await this.listener?.close();
      await Promise.allSettled([this.pools.writes.end(), this.pools.reads.end()]);
      throw error;
    }
  }

  names(): string[] {
    return [...this.connectors.keys()];
  }

  info(name: string): ConnectorInfo {
    const connector = this.connector(name);
    return { name, type: connector.type, scope: connector.scope, persistent: connector.mode !== 'memory' };
  }

  async read(name: string, scopeKey: string, options: { durable?: boolean } = {}): Promise<JsonValue> {
    this.assertOpen();
    const entry = this.entry(name, scopeKey);
    if (entry.state === undefined) await this.load(entry);
    const copy = structuredClone(options.durable ? entry.durable : entry.state);
    applyComputed(copy, entry.connector.config.computed);
    return copy;
  }

  async snapshot(name: string, scopeKey: string, options: { latest?: boolean } = {}): Promise<JsonValue> {
    this.assertOpen();
    const entry = this.entry(name, scopeKey);
    if (entry.state === undefined) await this.load(entry);
    return this.peek(name, scopeKey, options);
  }

  peek(name: string, scopeKey: string, options: { latest?: boolean } = {}): JsonValue | undefined {
    this.assertOpen();
    const entry = this.entry(name, scopeKey);
    if (entry.state === undefined) return undefined;
    if (options.latest) {
      if (entry.latestView?.version !== entry.latestVersion) entry.latestView = frozenView(entry.connector, entry.state, entry.latestVersion);
      return entry.latestView.state;
    }
    if (entry.view?.version !== entry.version) entry.view = frozenView(entry.connector, entry.durable, entry.version);
    return entry.view.state;
  }

  /** A journal's records by SQL over its rows: the same rules as the file store's index (journal-query.ts). */
  async queryJournal(name: string, scopeKey: string, query: JournalQuery): Promise<JournalPage> {
    this.assertOpen();
    const entry = this.entry(name, scopeKey);
    const { connector } = entry;
    if (connector.mode !== 'journal') throw new JournalQueryError(`connector "${name}" is ${connector.type}, not a journal: only journals are read by journal:read`);
    const conditions = conditionsOf(query.where, indexFieldsOf(connector.config), name);
    const size = pageSizeOf(query.size);
    const order = orderOf(query.order);
    if (entry.state === undefined) await this.load(entry);
    // what readers see: the records of this host's last committed state (rows below it never change)
    const count = (entry.durable as JournalState).count;
    const { sql, params } = journalWhere(conditions, [name, entry.scopeKey, count]);
    try {
      const counted = await this.pools.reads.query<{ total: string }>(`SELECT count(*) AS total FROM serverokey_journal j WHERE ${sql}`, params);
      const total = Number(counted.rows[0].total);
      const window = pageWindow(total, query.page, size);
      const rows = await this.pools.reads.query<{ record: JsonValue }>(
        `SELECT j.record FROM serverokey_journal j WHERE ${sql}
          ORDER BY j.seq ${order === 'newest' ? 'DESC' : 'ASC'} OFFSET $${params.length + 1} LIMIT $${params.length + 2}`,
        [...params, window.skip, size],
      );
      this.health.succeeded('database');
      return { items: rows.rows.map((row) => row.record), page: window.page, pages: window.pages, total, size };
    } catch (error) {
      throw this.failure([entry], error, 'could not be read');
    }
  }

  status(): StoreStatus {
    return this.health.status;
  }

  onStatus(listener: (status: StoreStatus) => void): () => void {
    return this.health.onChange(listener);
  }

  onRemoteCommit(listener: (commit: RemoteCommit) => void): () => void {
    this.remoteListeners.add(listener);
    return () => this.remoteListeners.delete(listener);
  }

  // --- locks --------------------------------------------------------------------------------------

  async lock(targets: ScopeTarget[]): Promise<() => void> {
    this.assertOpen();
    const entries = [...new Map(targets.map((target) => {
      const entry = this.entry(target.name, target.scopeKey);
      return [entry.id, entry] as const;
    })).values()];
    const releaseLocal = await this.locks.acquireAll(entries.map((entry) => entry.id));
    try {
      const stored = entries.filter((entry) => entry.connector.mode !== 'memory');
      if (stored.length === 0) return releaseLocal;
      // this host's last commits of these states still hold their rows: they end first
      await Promise.all(stored.map((entry) => entry.pending?.catch(() => {})));
      for (const entry of stored) if (entry.state === undefined) await this.load(entry);
      const held = await this.lockRows(stored);
      for (const id of held.ids) this.heldBy.set(id, held);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        for (const id of held.ids) if (this.heldBy.get(id) === held) this.heldBy.delete(id);
        releaseLocal();
        if (!held.committing) void this.endTransaction(held.client, 'ROLLBACK');
      };
    } catch (error) {
      releaseLocal();
      throw error;
    }
  }

  /** BEGIN and lock the rows (sorted); copies another host changed meanwhile are loaded again in the transaction. */
  private async lockRows(entries: Entry[]): Promise<Held> {
    const client = await this.connect(entries);
    try {
      const versions = await this.beginAndLock(client, entries);
      for (const entry of entries) {
        const version = versions.get(entry.id);
        if (version !== undefined && version !== entry.dbVersion) this.applyLoaded(entry, await this.fetchNewer(entry, client), true);
        // nothing of this host is in flight on it any more: the latest state is the committed one
        entry.state = entry.durable;
        entry.latestVersion++;
      }
      this.health.succeeded('database');
      return { client, ids: new Set(entries.map((entry) => entry.id)), committing: false, versions };
    } catch (error) {
      client.release(error as Error);
      throw this.failure(entries, error, 'could not be locked');
    }
  }

  /**
   * BEGIN and the row locks in one round trip (a simple query of two statements, the names as escaped
   * literals): every round trip of a writer is time its commit, and the other hosts' events, wait for.
   */
  private async beginAndLock(client: PoolClient, entries: Entry[]): Promise<Map<string, number>> {
    const results = (await client.query(`BEGIN; ${this.lockStatement(client, entries)}`)) as unknown as Array<QueryResult<LockedRow>>;
    return this.lockedVersions(entries, results[1].rows);
  }

  /** The rows of `entries` locked in one order on every host (so two actions never wait on each other in a cycle). */
  private lockStatement(client: PoolClient, entries: Entry[]): string {
    const pairs = entries.map((entry) => `(${client.escapeLiteral(entry.connector.name)}, ${client.escapeLiteral(entry.scopeKey)})`);
    return `SELECT connector, scope_key, version FROM serverokey_state
             WHERE (connector, scope_key) IN (${pairs.join(', ')})
             ORDER BY connector COLLATE "C", scope_key COLLATE "C"
             FOR UPDATE`;
  }

  private lockedVersions(entries: Entry[], rows: LockedRow[]): Map<string, number> {
    const versions = new Map<string, number>();
    for (const row of rows) versions.set(this.entryId(this.connector(row.connector), row.scope_key), Number(row.version));
    const missing = entries.filter((entry) => !versions.has(entry.id));
    if (missing.length > 0) {
      throw new Error(
        `${missing.map((entry) => `connector "${entry.connector.name}"${scopeText(entry)}`).join(', ')}: its row in serverokey_state is gone ` +
          '(deleted by hand?); restart the host to create it again',
      );
    }
    return versions;
  }

  /** ROLLBACK, or COMMIT (preceded by the commit's NOTIFYs, in the same round trip); the client goes back to the pool. */
  private async endTransaction(client: PoolClient, statement: 'ROLLBACK' | 'COMMIT', notify: string[] = []): Promise<void> {
    const notifies = notify.map((payload) => `SELECT pg_notify('${CHANGES_CHANNEL}', ${client.escapeLiteral(payload)}); `).join('');
    try {
      await client.query(notifies + statement);
      client.release();
    } catch (error) {
      client.release(error as Error);
      if (statement === 'COMMIT') throw error;
    }
  }

  // --- commit -------------------------------------------------------------------------------------

  commit(changes: Change[], options: CommitOptions = {}): Promise<void> {
    let plans: Plan[];
    try {
      plans = this.plan(changes);
    } catch (error) {
      return Promise.reject(error);
    }
    // the new states are the latest at once (synchronously), like the file store's
    for (const plan of plans) {
      plan.entry.state = plan.prepared.state;
      plan.seq = ++plan.entry.latestVersion;
    }
    const writes = plans.filter((plan) => plan.entry.connector.mode !== 'memory' && plan.prepared.write !== undefined);
    const held = this.heldFor(writes);
    if (held) held.committing = true;
    const done = (writes.length === 0 ? Promise.resolve() : this.write(writes, held, options.origin)).then(
      () => {
        for (const plan of plans) this.committed(plan);
      },
      (error: unknown) => {
        for (const plan of plans) {
          const { entry } = plan;
          if (entry.latestVersion !== plan.seq) continue; // a later commit built on it decides
          entry.state = entry.durable;
          entry.latestVersion++;
        }
        throw error;
      },
    );
    for (const plan of writes) plan.entry.pending = done;
    this.pendingCommits.add(done);
    const forget = () => {
      this.pendingCommits.delete(done);
      for (const plan of writes) if (plan.entry.pending === done) plan.entry.pending = null;
    };
    done.then(forget, forget);
    return done;
  }

  /** The lock() transaction holding every written row, or null (then the commit locks them itself). */
  private heldFor(writes: Plan[]): Held | null {
    if (writes.length === 0) return null;
    const held = this.heldBy.get(writes[0].entry.id);
    if (!held || held.committing) return null;
    return writes.every((plan) => this.heldBy.get(plan.entry.id) === held) ? held : null;
  }

  private committed(plan: Plan): void {
    const { entry, prepared } = plan;
    if (plan.seq <= entry.durableSeq) return;
    entry.durableSeq = plan.seq;
    entry.durable = prepared.state;
    entry.version++;
  }

  /** Checks every change and works out what each one stores; throws before anything is changed. */
  private plan(changes: Change[]): Plan[] {
    this.assertOpen();
    if (!Array.isArray(changes)) throw new InvalidChangeError('commit expects a list of changes ({ name, scopeKey, state })');
    const seen = new Set<string>();
    return changes.map((change) => {
      const entry = this.entry(change.name, change.scopeKey);
      const where = `connector "${entry.connector.name}"${scopeText(entry)}`;
      if (seen.has(entry.id)) throw new InvalidChangeError(`${where} appears twice in one commit; pass one state per connector`);
      seen.add(entry.id);
      if (entry.state === undefined && entry.connector.mode !== 'memory') {
        throw new InvalidChangeError(
          `${where} was committed before it was read; read it (under its lock) first, ` +
            'so that its stored data is checked and never overwritten unseen',
        );
      }
      const whole = entry.connector.mode === 'whole';
      // the items of the state this commit was built on: the ones it did not change are the same objects
      const base = whole && isPlainRecord(entry.state) && Array.isArray(entry.state.items) && Object.isFrozen(entry.state.items) ? (entry.state.items as JsonValue[]) : null;
      const state = whole ? copySharingItems(change.state, where, base) : copyAsJson(change.state, where);
      removeDerived(state, entry.connector.config.computed);
      // frozen now (readers get it frozen anyway): its items can be shared by the next commit and their texts remembered
      if (whole) {
        const changed = freezeSharing(state, base);
        // the lookup index and search texts of the list built on are carried to the new one (only the changed items cost)
        if (base && changed && isPlainRecord(state)) listDerived(base, state.items as JsonValue[], changed);
      }
      const { journal } = entry.connector;
      const prepared = journal?.prepare ? journal.prepare(entry.scopeKey, entry.state as JsonValue, state) : { state, write: state };
      return { entry, prepared, seq: 0 };
    });
  }

  /** One transaction: the rows (locked by lock(), or here), the NOTIFY, COMMIT. */
  private async write(plans: Plan[], held: Held | null, origin: CommitOrigin | undefined): Promise<void> {
    const entries = plans.map((plan) => plan.entry);
    let client: PoolClient;
    let versions: Map<string, number>;
    if (held) {
      client = held.client;
      versions = held.versions;
    } else {
      client = await this.connect(entries);
      try {
        versions = await this.beginAndLock(client, entries);
      } catch (error) {
        client.release(error as Error);
        throw this.failure(entries, error, 'was not saved');
      }
    }
    const written: Array<{ entry: Entry; version: number; texts: string[] | null; fresh: number[]; state: JsonValue }> = [];
    let notices: string[];
    try {
      for (const { entry, prepared } of plans) {
        const version = (versions.get(entry.id) ?? entry.dbVersion) + 1;
        written.push({ entry, version, ...(await this.writeRows(client, entry, prepared.write as JsonValue, version)), state: prepared.state });
      }
      notices = encodeNotifications(this.hostId, written.map(({ entry, version }) => [entry.connector.name, entry.scopeKey, version]), origin);
    } catch (error) {
      await this.endTransaction(client, 'ROLLBACK');
      throw this.failure(entries, error, 'was not saved and was undone');
    }
    try {
      // the NOTIFY goes with the COMMIT (delivered when it commits): one round trip fewer before the other hosts hear of it
      await this.endTransaction(client, 'COMMIT', notices);
    } catch (error) {
      // a COMMIT whose answer was lost may have been applied: the copies are loaded again before anyone builds on them
      for (const entry of entries) {
        entry.dbVersion = -1;
        entry.rows = null;
      }
      throw this.failure(entries, error, 'may not have been saved (the database did not confirm it)');
    }
    for (const { entry, version, texts, fresh, state } of written) {
      entry.dbVersion = version;
      entry.texts = texts;
      const items = texts && isPlainRecord(state) && Array.isArray(state.items) ? (state.items as JsonValue[]) : null;
      entry.rows = items && texts ? { version, items, texts } : null;
      if (items && texts) rememberItems(items, texts, fresh);
    }
    this.health.succeeded('database');
  }

  /** Writes one state's rows at `version`; returns the item texts now stored (whole-state connectors) and which were new. */
  private async writeRows(client: PoolClient, entry: Entry, write: JsonValue, version: number): Promise<{ texts: string[] | null; fresh: number[] }> {
    const { name } = entry.connector;
    if (entry.connector.mode === 'journal') {
      const { from, records } = write as { from: number; records: JsonValue[] };
      await client.query(
        `WITH appended AS (
           INSERT INTO serverokey_journal (connector, scope_key, seq, record)
           SELECT $1, $2, u.s, u.r::json FROM unnest($3::bigint[], $4::text[]) AS u(s, r)
         )
         UPDATE serverokey_state SET version = $5, count = $6, updated_at = now() WHERE connector = $1 AND scope_key = $2`,
        [name, entry.scopeKey, records.map((_, index) => from + index), itemTexts(records), version, from + records.length],
      );
      return { texts: null, fresh: [] };
    }
    const { head, items } = splitState(write);
    // a migrated item's text is not its stored row's until written: with migrations every text is computed
    const { texts: after, fresh } = items ? commitTexts(items, entry.connector.config.migrations?.length ? null : entry.rows) : { texts: [], fresh: [] };
    const { upsert, deleteFrom } = diffItems(entry.texts ?? [], after);
    await client.query(
      `WITH upserted AS (
         INSERT INTO serverokey_items (connector, scope_key, position, item, version)
         SELECT $1, $2, u.p, u.i::json, $6 FROM unnest($3::int[], $4::text[]) AS u(p, i)
         ON CONFLICT (connector, scope_key, position) DO UPDATE SET item = EXCLUDED.item, version = EXCLUDED.version
       ), deleted AS (
         DELETE FROM serverokey_items WHERE connector = $1 AND scope_key = $2 AND position >= $5
       )
       UPDATE serverokey_state SET version = $6, state = $7::json, items_as_rows = $8, count = $9, updated_at = now()
        WHERE connector = $1 AND scope_key = $2`,
      [name, entry.scopeKey, upsert.positions, upsert.texts, deleteFrom ?? NO_DELETE, version, JSON.stringify(head), items !== null, after.length],
    );
    return { texts: items ? after : null, fresh };
  }

  /** Every commit acknowledged so far is committed in the database. */
  async flush(): Promise<void> {
    while (this.pendingCommits.size > 0) await Promise.allSettled([...this.pendingCommits]);
  }

  async close(): Promise<void> {
    if (this.closed || this.closing) return;
    this.closing = true;
    try {
      await this.flush();
    } finally {
      this.closed = true;
      if (this.retryTimer) clearInterval(this.retryTimer);
      await this.listener?.close();
      await Promise.allSettled([this.pools.writes.end(), this.pools.reads.end()]);
    }
  }

  // --- loading ------------------------------------------------------------------------------------

  private load(entry: Entry): Promise<void> {
    entry.loading ??= this.loadEntry(entry).catch((error: unknown) => {
      entry.loading = null;
      throw error;
    });
    return entry.loading;
  }

  private async loadEntry(entry: Entry): Promise<void> {
    const { connector } = entry;
    if (connector.mode === 'memory') {
      const state = initialStateOf(connector);
      if (entry.state !== undefined) return; // a commit got there first
      this.applyLoaded(entry, { version: 0, state, texts: null }, true);
      return;
    }
    let loaded: Loaded;
    try {
      loaded = (await this.fetch(entry, this.pools.reads)) ?? (await this.create(entry));
      if (connector.mode === 'whole' && applyMigrations(loaded.state, connector.config.migrations)) {
        loaded = await this.saveMigrated(entry, loaded);
      }
      this.health.succeeded('database');
    } catch (error) {
      throw this.failure([entry], error, 'could not be loaded');
    }
    if (entry.state !== undefined) return;
    this.applyLoaded(entry, loaded, true);
  }

  /**
   * Takes a state loaded from the database when it is newer than the copy (a lock refresh and a
   * notification may race; the older never wins). `latestToo`: the latest state follows (nothing of this
   * host is in flight on it).
   */
  private applyLoaded(entry: Entry, loaded: Loaded | null, latestToo: boolean): boolean {
    if (!loaded) return false;
    if (entry.state !== undefined && loaded.version <= entry.dbVersion && entry.dbVersion !== -1) return false;
    entry.dbVersion = loaded.version;
    entry.texts = loaded.texts;
    const items = loaded.texts && isPlainRecord(loaded.state) && Array.isArray(loaded.state.items) ? (loaded.state.items as JsonValue[]) : null;
    entry.rows = items && loaded.texts ? { version: loaded.version, items, texts: loaded.texts } : null;
    if (items && loaded.texts && entry.connector.mode === 'whole') {
      deepFreeze(loaded.state);
      if (loaded.derived) listDerived(loaded.derived.from, items, loaded.derived.changed);
      // a migrated item's text is not its row's until saved: only remembered when no migration may have changed it
      if (!entry.connector.config.migrations?.length) rememberItems(items, loaded.texts);
    }
    const followLatest = latestToo || entry.state === entry.durable;
    entry.durable = loaded.state;
    entry.version++;
    entry.durableSeq = entry.latestVersion;
    if (followLatest || entry.state === undefined) {
      entry.state = loaded.state;
      entry.latestVersion++;
      entry.durableSeq = entry.latestVersion;
    }
    return true;
  }

  /** The stored state (one statement: one snapshot), or null when the row does not exist yet. */
  private async fetch(entry: Entry, db: Pool | PoolClient): Promise<Loaded | null> {
    const { name, mode, last } = entry.connector;
    if (mode === 'journal') {
      const result = await db.query<{ version: string; count: string; items: JsonValue[] }>(
        `SELECT s.version, s.count,
                (SELECT coalesce(json_agg(j.record ORDER BY j.seq), '[]'::json) FROM serverokey_journal j
                  WHERE j.connector = s.connector AND j.scope_key = s.scope_key AND j.seq >= s.count - $3) AS items
           FROM serverokey_state s WHERE s.connector = $1 AND s.scope_key = $2`,
        [name, entry.scopeKey, last],
      );
      const row = result.rows[0];
      if (!row) return null;
      const items = last <= 0 ? [] : row.items;
      return { version: Number(row.version), state: { items, count: Number(row.count) } satisfies JournalState, texts: null };
    }
    const result = await db.query<{ version: string; state: JsonValue; items: JsonValue[] | null }>(
      `SELECT s.version, s.state,
              CASE WHEN s.items_as_rows THEN
                (SELECT coalesce(json_agg(i.item ORDER BY i.position), '[]'::json) FROM serverokey_items i
                  WHERE i.connector = s.connector AND i.scope_key = s.scope_key)
              END AS items
         FROM serverokey_state s WHERE s.connector = $1 AND s.scope_key = $2`,
      [name, entry.scopeKey],
    );
    const row = result.rows[0];
    if (!row) return null;
    if (row.items) {
      this.reads.itemRows += row.items.length;
      this.reads.wholeLoads++;
    }
    return { version: Number(row.version), state: joinState(row.state, row.items), texts: row.items ? row.items.map((item) => JSON.stringify(item)) : null };
  }

  /**
   * The stored state, for a copy this host holds already (a notification or a lock found it older): only the
   * item rows written after the copy's version are read (row-level invalidation; a write of one product of
   * 50,000 costs the other hosts one row), the rest is shared with the copy. The whole state when this host
   * knows no rows of it. Migrations applied.
   */
  private async fetchNewer(entry: Entry, db: Pool | PoolClient): Promise<Loaded | null> {
    const base = entry.rows;
    const { name, config } = entry.connector;
    if (entry.connector.mode === 'whole' && base) {
      const result = await db.query<{ version: string; state: JsonValue; count: string; changed: ChangedRows | null }>(
        `SELECT s.version, s.state, s.count,
                CASE WHEN s.items_as_rows THEN
                  (SELECT coalesce(json_agg(json_build_array(i.position, i.item) ORDER BY i.position), '[]'::json) FROM serverokey_items i
                    WHERE i.connector = s.connector AND i.scope_key = s.scope_key AND i.version > $3)
                END AS changed
           FROM serverokey_state s WHERE s.connector = $1 AND s.scope_key = $2`,
        [name, entry.scopeKey, base.version],
      );
      const row = result.rows[0];
      if (!row) return null;
      const version = Number(row.version);
      if (row.changed === null) return { version, state: row.state, texts: null };
      this.reads.itemRows += row.changed.length;
      this.reads.rowLoads++;
      const merged = mergeRows(base, row.changed, Number(row.count));
      if (merged) {
        const state = joinState(row.state, merged.items);
        applyMigrations({ items: row.changed.map(([, item]) => item) }, config.migrations);
        return { version, state, texts: merged.texts, derived: { from: base.items, changed: row.changed.map(([position]) => position) } };
      }
      // a row the copy lacks and no newer write stamped: read it whole
    }
    const loaded = await this.fetch(entry, db);
    if (loaded && entry.connector.mode === 'whole') applyMigrations(loaded.state, config.migrations);
    return loaded;
  }

  /** The first read of a scope: its row (initialState, a journal's initial records) is created, once among all hosts. */
  private async create(entry: Entry): Promise<Loaded> {
    const { name, config, mode } = entry.connector;
    const client = await this.pools.writes.connect();
    try {
      await client.query('BEGIN');
      if (mode === 'journal') {
        const initial = config.initialState;
        const seed = isPlainRecord(initial) && Array.isArray(initial.items) ? initial.items : [];
        const records = copyAsJson(seed, `connector "${name}" initialState`, 'items') as JsonValue[];
        const inserted = await client.query(
          `INSERT INTO serverokey_state (connector, scope_key, version, state, count) VALUES ($1, $2, 1, 'null'::json, $3)
           ON CONFLICT DO NOTHING RETURNING version`,
          [name, entry.scopeKey, records.length],
        );
        if (inserted.rowCount && records.length > 0) {
          await client.query(
            `INSERT INTO serverokey_journal (connector, scope_key, seq, record)
             SELECT $1, $2, u.s, u.r::json FROM unnest($3::bigint[], $4::text[]) AS u(s, r)`,
            [name, entry.scopeKey, records.map((_, index) => index), itemTexts(records)],
          );
        }
      } else {
        const state = initialStateOf(entry.connector, { migrated: false });
        const { head, items } = splitState(state);
        const texts = items ? itemTexts(items) : [];
        const inserted = await client.query(
          `INSERT INTO serverokey_state (connector, scope_key, version, state, items_as_rows, count) VALUES ($1, $2, 1, $3::json, $4, $5)
           ON CONFLICT DO NOTHING RETURNING version`,
          [name, entry.scopeKey, JSON.stringify(head), items !== null, texts.length],
        );
        if (inserted.rowCount && texts.length > 0) {
          await client.query(
            `INSERT INTO serverokey_items (connector, scope_key, position, item, version)
             SELECT $1, $2, u.p, u.i::json, 1 FROM unnest($3::int[], $4::text[]) AS u(p, i)`,
            [name, entry.scopeKey, texts.map((_, index) => index), texts],
          );
        }
      }
      await client.query('COMMIT');
      client.release();
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      client.release(error as Error);
      throw error;
    }
    const loaded = await this.fetch(entry, this.pools.reads);
    if (!loaded) throw new Error(`connector "${name}"${scopeText(entry)}: its row was created but cannot be read back`);
    return loaded;
  }

  /** Migrations added fields: saved once (unless another host saved a newer state meanwhile: that one is loaded). */
  private async saveMigrated(entry: Entry, loaded: Loaded): Promise<Loaded> {
    const client = await this.pools.writes.connect();
    try {
      const versions = await this.beginAndLock(client, [entry]);
      if (versions.get(entry.id) !== loaded.version) {
        await this.endTransaction(client, 'ROLLBACK');
        const again = await this.fetch(entry, this.pools.reads);
        if (again) applyMigrations(again.state, entry.connector.config.migrations);
        return again ?? loaded;
      }
      const before = entry.texts;
      entry.texts = loaded.texts;
      const { texts } = await this.writeRows(client, entry, loaded.state, loaded.version + 1);
      entry.texts = before;
      await client.query('SELECT pg_notify($1, $2)', [CHANGES_CHANNEL, encodeNotifications(this.hostId, [[entry.connector.name, entry.scopeKey, loaded.version + 1]], undefined)[0]]);
      await this.endTransaction(client, 'COMMIT');
      this.log.info(`store: connector "${entry.connector.name}"${scopeText(entry)}: migrations added missing fields; saved once`);
      return { version: loaded.version + 1, state: loaded.state, texts };
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      client.release(error as Error);
      throw error;
    }
  }

  // --- other hosts --------------------------------------------------------------------------------

  /** Another host committed: bring the copies this host holds up to date, then tell the listeners. */
  private async remoteNotice(notice: ChangeNotice): Promise<void> {
    if (notice.host === this.hostId || this.closed) return;
    const changes: ScopeTarget[] = [];
    for (const [name, scopeKey, version] of notice.changes) {
      if (name === TERMINALS_NOTICE) {
        await this.reloadTerminals().catch((error) => this.log.warn(`store: could not load the paired terminals: ${describeDbError(error)}`));
        continue;
      }
      const connector = this.connectors.get(name);
      if (!connector || connector.mode === 'memory') continue;
      const entry = this.table.find(this.entryId(connector, scopeKey));
      if (entry) await this.catchUpTo(entry, version);
      changes.push({ name, scopeKey: connector.scope === 'global' ? GLOBAL_SCOPE_KEY : scopeKey });
    }
    if (changes.length > 0) this.tell({ changes, origin: notice.origin });
  }

  async catchUp(name: string, scopeKey: string): Promise<void> {
    this.assertOpen();
    const entry = this.entry(name, scopeKey);
    if (entry.connector.mode === 'memory') return;
    try {
      if (entry.state === undefined) await this.load(entry);
      else {
        if (entry.loading) await entry.loading.catch(() => {});
        await this.refresh(entry);
      }
    } catch (error) {
      this.log.warn(`store: could not bring connector "${name}" up to date: ${describeDbError(error)}`);
    }
  }

  /**
   * Read-your-writes across hosts: one round trip for the versions of the states a request reads, and the
   * copies another host changed since (its notification still on the way) loaded again before the request
   * reads them — a client whose next request lands on another host sees what it just stored there. States
   * not loaded yet are read fresh anyway; while the database is unreachable the copies are read as they are
   * (a page that reads data still loads, from what this host holds).
   */
  async freshen(targets: ScopeTarget[]): Promise<void> {
    this.assertOpen();
    if (!this.health.status.ok) return;
    const entries = [
      ...new Map(
        targets
          .map((target) => this.entry(target.name, target.scopeKey))
          .filter((entry) => entry.connector.mode !== 'memory' && entry.state !== undefined)
          .map((entry) => [entry.id, entry] as const),
      ).values(),
    ];
    if (entries.length === 0) return;
    let rows: LockedRow[];
    try {
      rows = (
        await this.pools.reads.query<LockedRow>(
          `SELECT connector, scope_key, version FROM serverokey_state
            WHERE (connector, scope_key) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
          [entries.map((entry) => entry.connector.name), entries.map((entry) => entry.scopeKey)],
        )
      ).rows;
    } catch (error) {
      this.log.warn(`store: could not check the copies against the database: ${describeDbError(error)}`);
      return;
    }
    const versions = this.lockedVersions([], rows);
    for (const entry of entries) {
      const version = versions.get(entry.id);
      if (version !== undefined) await this.catchUpTo(entry, version);
    }
  }

  /** Another host stored `version` of this state: a copy this host holds that is older is loaded again (row by row). */
  private async catchUpTo(entry: Entry, version: number): Promise<void> {
    // a load on its way may have read the row before that commit: compare once it is done
    if (entry.loading) await entry.loading.catch(() => {});
    if (entry.state === undefined || entry.dbVersion >= version) return;
    try {
      await this.refresh(entry);
    } catch (error) {
      this.log.warn(`store: could not load connector "${entry.connector.name}" changed by another host: ${describeDbError(error)}`);
    }
  }

  /** Loads a copy again (outside any lock); the latest follows unless this host has a commit of it on the way. */
  private async refresh(entry: Entry): Promise<boolean> {
    const loaded = await this.fetchNewer(entry, this.pools.reads);
    if (this.heldBy.has(entry.id) || entry.pending) {
      // the writer holding it has the newest state already (its lock loaded it)
      return false;
    }
    return this.applyLoaded(entry, loaded, false);
  }

  /** After the LISTEN connection came back: whatever changed meanwhile is loaded again and announced. */
  private async resync(): Promise<void> {
    if (this.terminalListeners.size > 0) await this.reloadTerminals().catch(() => {});
    const held = [...this.table.values()].filter((entry) => entry.connector.mode !== 'memory' && entry.state !== undefined);
    if (held.length === 0) return;
    try {
      const result = await this.pools.reads.query<{ connector: string; scope_key: string; version: string }>(
        `SELECT connector, scope_key, version FROM serverokey_state
          WHERE (connector, scope_key) IN (SELECT * FROM unnest($1::text[], $2::text[]))`,
        [held.map((entry) => entry.connector.name), held.map((entry) => entry.scopeKey)],
      );
      const changes: ScopeTarget[] = [];
      for (const row of result.rows) {
        const entry = this.table.find(this.entryId(this.connector(row.connector), row.scope_key));
        if (!entry || Number(row.version) === entry.dbVersion) continue;
        await this.refresh(entry);
        changes.push({ name: entry.connector.name, scopeKey: entry.scopeKey });
      }
      this.health.succeeded('database');
      this.log.info(`store: listening to ${this.where} again; ${changes.length} state(s) changed meanwhile were loaded again`);
      this.tell({ changes, resync: true });
    } catch (error) {
      this.log.warn(`store: catching up after the lost database connection failed (${describeDbError(error)}); trying again`);
      this.listener?.lost(error);
    }
  }

  private tell(commit: RemoteCommit): void {
    for (const listener of this.remoteListeners) {
      try {
        listener(commit);
      } catch (error) {
        this.log.warn(`store: a listener of other hosts' commits failed: ${(error as Error).message}`);
      }
    }
  }

  // --- the hosts' own records: signing secret, paired terminals ------------------------------------

  /** The secret every host of this database signs with (created by the first), and the paired terminals. */
  async hostStorage(): Promise<HostStorage> {
    this.assertOpen();
    await this.pools.writes.query(
      `INSERT INTO serverokey_secrets (name, value) VALUES ('host-secret', $1) ON CONFLICT (name) DO NOTHING`,
      [randomBytes(32)],
    );
    const secret = (await this.pools.reads.query<{ value: Buffer }>(`SELECT value FROM serverokey_secrets WHERE name = 'host-secret'`)).rows[0].value;
    await this.reloadTerminals();
    return {
      secret,
      terminals: {
        load: () => this.terminals.map((terminal) => ({ ...terminal })),
        save: (terminals) => this.saveTerminals(terminals),
        onChange: (listener) => {
          this.terminalListeners.add(listener);
          return () => this.terminalListeners.delete(listener);
        },
      },
    };
  }

  private async reloadTerminals(): Promise<void> {
    const result = await this.pools.reads.query<{ info: TerminalInfo }>('SELECT info FROM serverokey_terminals ORDER BY id');
    this.terminals = result.rows.map((row) => row.info);
    for (const listener of this.terminalListeners) listener(this.terminals.map((terminal) => ({ ...terminal })));
  }

  /** Upserts (terminals are never deleted, only revoked) and tells the other hosts, in one statement. */
  private async saveTerminals(terminals: TerminalInfo[]): Promise<void> {
    try {
      await this.pools.writes.query(
        `WITH saved AS (
           INSERT INTO serverokey_terminals (id, info)
           SELECT u.id, u.info::json FROM unnest($1::text[], $2::text[]) AS u(id, info)
           ON CONFLICT (id) DO UPDATE SET info = EXCLUDED.info, updated_at = now()
           RETURNING 1
         )
         SELECT pg_notify($3, $4) FROM (SELECT count(*) FROM saved) AS done`,
        [terminals.map((terminal) => terminal.id), terminals.map((terminal) => JSON.stringify(terminal)), CHANGES_CHANNEL,
          encodeNotifications(this.hostId, [[TERMINALS_NOTICE, GLOBAL_SCOPE_KEY, 0]], undefined)[0]],
      );
      this.terminals = terminals.map((terminal) => ({ ...terminal }));
      this.health.succeeded('database');
    } catch (error) {
      if (!isUnreachable(error)) throw error;
      const unavailable = this.unavailable(`the paired terminals were not saved: ${describeDbError(error)}`, error);
      this.health.failed('database', unavailable);
      throw unavailable;
    }
  }

  // --- failures -----------------------------------------------------------------------------------

  /** A pooled connection dropped while idle (the database stopped or restarted). */
  private connectionLost(error: Error): void {
    if (this.closing) return;
    if (isUnreachable(error)) this.health.failed('database', this.unavailable('the database connection was lost', error));
  }

  private async connect(entries: Entry[]): Promise<PoolClient> {
    try {
      return await this.pools.writes.connect();
    } catch (error) {
      throw this.failure(entries, error, 'was not saved');
    }
  }

  /** The error a caller gets: the database unreachable (503, the status goes red) or a refused statement. */
  private failure(entries: Entry[], error: unknown, what: string): Error {
    if (error instanceof StoreWriteError || error instanceof InvalidChangeError) return error;
    const where = entries.map((entry) => `connector "${entry.connector.name}"${scopeText(entry)}`).join(', ');
    const message = `${where}: the change ${what}: ${describeDbError(error)}`;
    if (isUnreachable(error)) {
      const unavailable = this.unavailable(message, error);
      this.health.failed('database', unavailable);
      return unavailable;
    }
    return new StoreWriteError(message, { cause: error, userMessage: 'База данных отклонила изменение: оно не сохранено. Подробности в журнале хоста.' });
  }

  private unavailable(message: string, cause: unknown): DatabaseUnavailableError {
    return new DatabaseUnavailableError(message, cause);
  }

  private retryWhileFailing(status: StoreStatus): void {
    if (status.ok) {
      if (this.retryTimer) clearInterval(this.retryTimer);
      this.retryTimer = null;
      return;
    }
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setInterval(() => {
      this.pools.reads.query('SELECT 1').then(
        () => this.health.succeeded('database'),
        () => {},
      );
    }, this.retryWhileFailingMs);
    this.retryTimer.unref();
  }

  // --- entries ------------------------------------------------------------------------------------

  private assertOpen(): void {
    if (this.closed) throw new Error('the store is closed');
  }

  private connector(name: string): Connector {
    return this.table.connector(name);
  }

  private entryId(connector: Connector, scopeKey: string): string {
    return entryIdOf(connector, scopeKey);
  }

  private entry(name: string, scopeKey: string): Entry {
    return this.table.get(name, scopeKey);
  }

}

export type { Client };

/**
 * The WHERE of a journal query: the connector's rows below `count`, and each condition over each value of
 * the field (a list's values, or the value itself), as journal-query.ts compares them.
 */
export function journalWhere(conditions: JournalCondition[], params: unknown[]): { sql: string; params: unknown[] } {
  const clauses = ['j.connector = $1', 'j.scope_key = $2', 'j.seq < $3'];
  const param = (value: unknown) => `$${params.push(value)}`;
  for (const condition of conditions) {
    const path = param(condition.field.split('.'));
    const values = `json_array_elements(CASE WHEN json_typeof(j.record #> ${path}::text[]) = 'array' THEN j.record #> ${path}::text[] ELSE json_build_array(j.record #> ${path}::text[]) END)`;
    let test: string;
    if (condition.kind === 'equals') {
      const texts = param(condition.texts);
      test = `json_typeof(v.x) IN ('string', 'number', 'boolean') AND (v.x #>> '{}') = ANY(${texts}::text[])`;
      // what the field's expression index can answer (schema.ts): the value's text, or a list (its JSON text
      // starts with "["), which the exact test below then looks into
      const field = fieldText(condition.field);
      clauses.push(`(${field} = ANY(${texts}::text[]) OR ${field} LIKE '[%')`);
    } else {
      const { from, to } = condition;
      // a number field compares numbers: a bound that is no number matches nothing
      const numeric = [from, to].every((bound) => bound === undefined || !Number.isNaN(Number(bound)));
      const number = (bound: string | number | undefined) => (bound === undefined ? null : Number(bound));
      const text = (bound: string | number | undefined) => (bound === undefined ? null : String(bound));
      test =
        `(json_typeof(v.x) = 'number' AND ${param(numeric)}::boolean` +
        ` AND (${param(number(from))}::float8 IS NULL OR (v.x #>> '{}')::float8 >= ${param(number(from))}::float8)` +
        ` AND (${param(number(to))}::float8 IS NULL OR (v.x #>> '{}')::float8 <= ${param(number(to))}::float8))` +
        ` OR (json_typeof(v.x) IN ('string', 'boolean')` +
        ` AND (${param(text(from))}::text IS NULL OR (v.x #>> '{}') COLLATE "C" >= ${param(text(from))}::text COLLATE "C")` +
        ` AND (${param(text(to))}::text IS NULL OR (v.x #>> '{}') COLLATE "C" <= ${param(text(to))}::text COLLATE "C"))`;
    }
    clauses.push(`EXISTS (SELECT 1 FROM ${values} AS v(x) WHERE ${test})`);
  }
  return { sql: clauses.join(' AND '), params };
}

/**
 * copyAsJson for a whole state, except that items the store made itself (frozen, already plain JSON: the
 * unchanged items of the state the commit was built on) are shared instead of copied.
 */
function copySharingItems(value: unknown, where: string, base: readonly JsonValue[] | null): JsonValue {
  if (!isPlainRecord(value) || !Array.isArray(value.items)) return copyAsJson(value, where);
  const { items } = value;
  const head = copyAsJson({ ...value, items: [] }, where) as Record<string, JsonValue>;
  const copied: JsonValue[] = new Array(items.length);
  for (let index = 0; index < items.length; index++) {
    const item: unknown = items[index];
    // the same object at the same place as in the (frozen) state built on, or another the store made: shared
    copied[index] = (base !== null && base[index] === item && item !== undefined) || isStoredItem(item) ? (item as JsonValue) : copyAsJson(item, where, `state.items[${index}]`);
  }
  head.items = copied;
  return head;
}

/**
 * deepFreeze, skipping the items still at their place in the frozen state built on (50,000 checks fewer for a
 * commit of one); returns the positions of the other items (null when there is no list built on).
 */
function freezeSharing(state: JsonValue, base: readonly JsonValue[] | null): number[] | null {
  if (!isPlainRecord(state) || !Array.isArray(state.items) || !base) {
    deepFreeze(state);
    return null;
  }
  const items = state.items as JsonValue[];
  const changed: number[] = [];
  for (let index = 0; index < items.length; index++) {
    if (base[index] === items[index] && index < base.length) continue;
    deepFreeze(items[index]);
    changed.push(index);
  }
  Object.freeze(items);
  deepFreeze(state); // the head (deepFreeze stops at the items, frozen already)
  return changed;
}
