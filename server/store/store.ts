// The Store: connectors by name and scope key, cached in memory, with locks and all-or-nothing commits:
// a commit is one line of the write-ahead log, and a checkpoint shortly after writes the connector files
// (each replaced atomically).
//
// Each state is kept twice: the latest (what the next writer under the lock builds on) and the last
// durable one (what everyone else reads). A commit is applied to the latest at once, so writers never wait
// for each other's flushes, and reaches the durable state, in commit order, once its log line is on disk.
// When a log write fails, every commit not yet durable is refused together (later ones may be built on
// it) and every state returns to its last durable value before any other code runs: a refused change
// leaves no trace, in memory, in the log or in the files.
import { deepFreeze, EntryTable, entryIdOf, frozenView, initialStateOf, scopeText, VALID_SCOPES } from './entries.js';
import type { ConnectorConfig, ConnectorScope } from '../manifest/types.js';
import type {
  Change,
  ConnectorBackend,
  ConnectorInfo,
  ConnectorKind,
  JournalPage,
  JournalQuery,
  JournalState,
  JsonValue,
  Logger,
  PreparedState,
  ScopeTarget,
  Store,
} from './types.js';
import { InvalidChangeError, StoreWriteError } from './types.js';
import { JournalQueryError } from './journal-query.js';
import { findKind, knownTypes } from './kinds.js';
import { KeyedLocks } from './locks.js';
import { copyAsJson } from './json-value.js';
import { applyMigrations } from './migrations.js';
import { applyComputed, removeDerived } from './computed.js';
import { GLOBAL_SCOPE_KEY } from './paths.js';
import { describeError, makeFolderPrivate } from './fs-durable.js';
import { isLogFileName, WriteAheadLog, type LoggedChange } from './write-ahead-log.js';
import { nodeFileSystem, type StoreFileSystem } from './file-system.js';
import { applyOps, copyOpValues, diffStates, type ChangeOp } from './change-ops.js';
import { isPlainRecord } from './json-value.js';
import { PROBLEMS, problemOf, StoreHealth, type StoreStatus } from './health.js';

/** How long committed changes may stay only in the log before the connector files are brought up to date. */
const CHECKPOINT_DELAY_MS = 1000;
/** While writing fails, how often the store tries again by itself (a checkpoint and a small probe write). */
const RETRY_WHILE_FAILING_MS = 2000;
/** The probe file written to learn whether the disk takes writes again. */
const PROBE_FILE = '_write-probe.tmp';
const PROBE_BYTES = 16 * 1024;
/** Log bytes after which the files are brought up to date at once (bounds the log and replay after a crash). */
const CHECKPOINT_BYTES = 4 * 1024 * 1024;

export interface StoreOptions {
  connectors: Record<string, ConnectorConfig>;
  dataDir: string;
  log: Logger;
  /** the disk; tests pass one that fails on purpose */
  fileSystem?: StoreFileSystem;
  /** default 1000 ms */
  checkpointDelayMs?: number;
  /** while writing fails, how often to try again; default 2000 ms */
  retryWhileFailingMs?: number;
}

interface Connector {
  name: string;
  config: ConnectorConfig;
  kind: ConnectorKind;
  scope: ConnectorScope;
  backend: ConnectorBackend;
  /** whole-state kinds rewrite the full state per save; the others (journal) save what prepare() returned */
  wholeState: boolean;
}

/** One connector state: a connector's global state, or one terminal's / user's state of a scoped connector. */
interface Entry {
  id: string;
  connector: Connector;
  scopeKey: string;
  /** the latest state, maybe not durable yet: what the next writer builds on. undefined until loaded; replaced (never mutated) */
  state: JsonValue | undefined;
  /** the last durable state: what readers see */
  durable: JsonValue | undefined;
  /** counts changes of the durable state */
  version: number;
  /** counts changes of the latest state */
  latestVersion: number;
  /** what peek() hands out (the state with computed fields applied, when it has any), per version */
  view: { version: number; state: JsonValue } | null;
  latestView: { version: number; state: JsonValue } | null;
  loading: Promise<void> | null;
}

interface PlannedWrite {
  entry: Entry;
  /** what the backend saves at a checkpoint: the whole state, or a journal append */
  write: JsonValue;
  /** whole states: what the log holds instead (what changed) */
  ops?: ChangeOp[];
}

/** A commit on its way to the disk. */
interface InFlightCommit {
  states: Array<{ entry: Entry; state: JsonValue }>;
  writes: PlannedWrite[];
  /** its log line is on disk (or it needed none) */
  logged: boolean;
  resolve(): void;
  reject(error: unknown): void;
}



export class ConnectorStore implements Store {
  private readonly connectors = new Map<string, Connector>();
  private readonly table = new EntryTable<Connector, Entry>(this.connectors, (id, connector, scopeKey) => ({
    id,
    connector,
    scopeKey,
    state: undefined,
    durable: undefined,
    version: 0,
    latestVersion: 0,
    view: null,
    latestView: null,
    loading: null,
  }));
  private readonly locks = new KeyedLocks();
  private readonly pending = new Set<Promise<void>>();
  private readonly wal: WriteAheadLog;
  /** durable writes in the log that the connector files do not hold yet, in commit order */
  private readonly unsaved = new UnsavedWrites();
  /** commits not durable yet, in commit order */
  private inFlight: InFlightCommit[] = [];
  private checkpointTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private lastCheckpoint: Promise<void> = Promise.resolve();
  private queuedCheckpoint: Promise<void> | null = null;
  private readonly dataDir: string;
  private readonly log: Logger;
  private readonly fs: StoreFileSystem;
  private readonly checkpointDelayMs: number;
  private readonly retryWhileFailingMs: number;
  readonly health: StoreHealth;
  private closed = false;

  constructor(options: StoreOptions) {
    this.dataDir = options.dataDir;
    this.log = options.log;
    this.fs = options.fileSystem ?? nodeFileSystem;
    this.checkpointDelayMs = options.checkpointDelayMs ?? CHECKPOINT_DELAY_MS;
    this.retryWhileFailingMs = options.retryWhileFailingMs ?? RETRY_WHILE_FAILING_MS;
    this.health = new StoreHealth(options.log, options.dataDir);
    this.health.onChange((status) => this.retryWhileFailing(status));
    this.wal = new WriteAheadLog(options.dataDir, options.log, this.fs);
    for (const [name, config] of Object.entries(options.connectors)) this.connectors.set(name, this.openConnector(name, config));
  }

  private openConnector(name: string, config: ConnectorConfig): Connector {
    const type = (config as { type?: unknown } | undefined)?.type;
    const kind = typeof type === 'string' ? findKind(type) : undefined;
    if (!kind) {
      throw new Error(`connector "${name}": unknown type ${JSON.stringify(type)} (one of: ${knownTypes().join(', ')})`);
    }
    const scope = config.scope ?? 'global';
    if (!VALID_SCOPES.includes(scope)) {
      throw new Error(`connector "${name}": unknown scope ${JSON.stringify(scope)} (one of: ${VALID_SCOPES.join(', ')})`);
    }
    if (isLogFileName(encodeURIComponent(name))) {
      throw new Error(`connector "${name}": names like this are reserved for the store's write-ahead log; rename the connector`);
    }
    if (type !== kind.type && kind.aliasNotice) this.log.info(`connector "${name}": type "${type}" ${kind.aliasNotice}`);
    const backend = kind.open({ name, config, dataDir: this.dataDir, log: this.log, fs: this.fs });
    return { name, config, kind, scope, backend, wholeState: !backend.prepare };
  }

  /** Creates the data folder, finishes an interrupted commit, and loads every global state (a damaged file stops here). */
  async open(): Promise<void> {
    try {
      this.fs.mkdir(this.dataDir);
      await makeFolderPrivate(this.dataDir);
      await this.replayLog();
      const globals = [...this.connectors.values()].filter((connector) => connector.scope === 'global');
      const results = await Promise.allSettled(globals.map((connector) => this.load(this.entry(connector.name, GLOBAL_SCOPE_KEY))));
      const failures = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
      if (failures.length === 1) throw failures[0].reason;
      if (failures.length > 1) {
        throw new Error(`the store could not start:\n${failures.map((failure) => `- ${describeError(failure.reason)}`).join('\n')}`);
      }
    } catch (error) {
      this.closed = true;
      await Promise.allSettled([...this.connectors.values()].map((connector) => connector.backend.close()));
      throw error;
    }
  }

  /** Writes the commits a crash left only in the log into the connector files, then drops those log files. */
  private async replayLog(): Promise<void> {
    const { commits, files } = await this.wal.recover();
    const known: LoggedChange[] = [];
    for (const change of commits.flat()) {
      if (this.connectors.get(change.connector)?.kind.persistent) known.push(change);
      else {
        this.log.warn(
          `store: a logged commit names connector "${change.connector}", which is not a stored connector any more; that part was skipped`,
        );
      }
    }
    const target = (change: LoggedChange) => this.entryId(this.connector(change.connector), change.scopeKey);
    // Whole states: each target's stored state (or its initial one) with the logged changes applied in order.
    // Applying changes a crashed checkpoint had already saved ends in the same state (change-ops.ts).
    const states = new Map<string, { change: LoggedChange; state: JsonValue }>();
    const appends: LoggedChange[] = [];
    for (const change of known) {
      const connector = this.connector(change.connector);
      if (!connector.wholeState) {
        appends.push(change);
        continue;
      }
      const id = target(change);
      let known = states.get(id);
      if (!known) {
        const stored = await connector.backend.load(change.scopeKey);
        known = { change, state: stored ?? initialStateOf(connector) };
        states.set(id, known);
      }
      known.change = change;
      known.state = change.ops ? applyOps(known.state, change.ops, { mutable: true }) : change.write;
    }
    const targets = new Map<string, LoggedChange>([...states].map(([id, { change }]) => [id, change]));
    for (const change of appends) {
      if (!targets.has(target(change))) {
        targets.set(target(change), change);
        await this.connector(change.connector).backend.load(change.scopeKey);
      }
    }
    await Promise.all([
      ...[...states.values()].map(({ change, state }) => this.connector(change.connector).backend.save(change.scopeKey, state)),
      ...appends.map((change) => this.connector(change.connector).backend.save(change.scopeKey, change.write)),
    ]);
    await this.wal.discard(files);
    if (commits.length > 0) {
      const names = [...targets.values()].map(({ connector, scopeKey }) =>
        this.connector(connector).scope === 'global' ? `"${connector}"` : `"${connector}" (${scopeKey})`,
      );
      this.log.warn(
        `store: the host had stopped without closing the store; ${commits.length} logged commit(s) were written ` +
          `into the connector files (${names.join(', ')})`,
      );
    }
  }

  names(): string[] {
    return [...this.connectors.keys()];
  }

  info(name: string): ConnectorInfo {
    const connector = this.connector(name);
    return { name, type: connector.kind.type, scope: connector.scope, persistent: connector.kind.persistent };
  }

  async read(name: string, scopeKey: string, options: ReadOptions = {}): Promise<JsonValue> {
    this.assertOpen();
    const entry = this.entry(name, scopeKey);
    if (entry.state === undefined) await this.load(entry);
    const copy = structuredClone(options.durable ? entry.durable : entry.state);
    applyComputed(copy, entry.connector.config.computed);
    return copy;
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

  async snapshot(name: string, scopeKey: string, options: { latest?: boolean } = {}): Promise<JsonValue> {
    this.assertOpen();
    const entry = this.entry(name, scopeKey);
    if (entry.state === undefined) await this.load(entry);
    return this.peek(name, scopeKey, options);
  }

  async queryJournal(name: string, scopeKey: string, query: JournalQuery): Promise<JournalPage> {
    this.assertOpen();
    const entry = this.entry(name, scopeKey);
    const { backend, kind } = entry.connector;
    if (!backend.query) throw new JournalQueryError(`connector "${name}" is ${kind.type}, not a journal: only journals are read by journal:read`);
    if (entry.state === undefined) await this.load(entry);
    // what readers see: the last durable state's records
    return backend.query(entry.scopeKey, (entry.durable as JournalState).count, query);
  }

  status(): StoreStatus {
    return this.health.status;
  }

  onStatus(listener: (status: StoreStatus) => void): () => void {
    return this.health.onChange(listener);
  }

  async lock(targets: ScopeTarget[]): Promise<() => void> {
    this.assertOpen();
    const ids = targets.map((target) => this.entryId(this.connector(target.name), target.scopeKey));
    return this.locks.acquireAll(ids);
  }

  commit(changes: Change[]): Promise<void> {
    let plans: Array<{ entry: Entry; prepared: PreparedState; ops?: ChangeOp[] }>;
    try {
      plans = this.plan(changes);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.track(this.apply(plans));
  }

  /** Every acknowledged commit is durable (in the log) and in the connector files. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    await this.checkpoint();
    await Promise.all([...this.connectors.values()].map((connector) => connector.backend.flush()));
  }

  /** Flushes and closes; when the last checkpoint fails (the change stays in the log) it still closes, then rejects. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.flush();
    } finally {
      if (this.checkpointTimer) clearTimeout(this.checkpointTimer);
      if (this.retryTimer) clearInterval(this.retryTimer);
      await this.wal.close();
      await Promise.allSettled([...this.connectors.values()].map((connector) => connector.backend.close()));
    }
  }

  // --- commit -------------------------------------------------------------------------------------

  /** Checks every change and works out what each one stores; throws before anything is changed. */
  private plan(changes: Change[]): Array<{ entry: Entry; prepared: PreparedState; ops?: ChangeOp[] }> {
    this.assertOpen();
    if (!Array.isArray(changes)) throw new InvalidChangeError('commit expects a list of changes ({ name, scopeKey, state })');
    const seen = new Set<string>();
    return changes.map((change) => {
      const entry = this.entry(change.name, change.scopeKey);
      const where = `connector "${entry.connector.name}"${scopeText(entry)}`;
      if (seen.has(entry.id)) throw new InvalidChangeError(`${where} appears twice in one commit; pass one state per connector`);
      seen.add(entry.id);
      if (entry.state === undefined && entry.connector.kind.persistent) {
        throw new InvalidChangeError(
          `${where} was committed before it was read; read it (under its lock) first, ` +
            'so that its stored data is checked and never overwritten unseen',
        );
      }
      const { backend, config } = entry.connector;
      if (backend.prepare) {
        // what the steps left untouched (the journal's records in view) is the stored, frozen value: kept, not copied
        const state = copyAsJson(change.state, where, 'state', entry.state);
        removeDerived(state, config.computed);
        return { entry, prepared: backend.prepare(entry.scopeKey, entry.state as JsonValue, state) };
      }
      // Whole states: what changed, found by identity (copy-on-write leaves untouched parts shared), checked
      // and copied; the new state is the old one with those changes, sharing everything else.
      let next = change.state;
      if (config.computed?.length && isPlainRecord(next)) {
        next = { ...next };
        removeDerived(next, config.computed);
      }
      const prev = entry.state;
      const ops =
        isPlainRecord(prev) && isPlainRecord(next)
          ? copyOpValues(diffStates(prev, next, { itemKey: config.keys?.[0] ?? 'id' }), where)
          : [{ p: [], set: copyAsJson(next, where) }];
      const state = ops.length === 0 ? prev : applyOps(prev, ops);
      return { entry, prepared: { state, write: state }, ops };
    });
  }

  /**
   * Applies the changes to the latest states (synchronously, so the next writer builds on them) and hands
   * the persistent ones to the log. Resolves once they are durable, in commit order; rejects, with every
   * other commit not durable yet, when the log cannot be written.
   */
  private apply(plans: Array<{ entry: Entry; prepared: PreparedState; ops?: ChangeOp[] }>): Promise<void> {
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const commit: InFlightCommit = { states: [], writes: [], logged: false, resolve, reject };
    for (const { entry, prepared, ops } of plans) {
      if (ops?.length === 0) continue; // nothing changed: nothing to apply or log
      entry.state = deepFreeze(prepared.state);
      entry.latestVersion++;
      commit.states.push({ entry, state: entry.state });
      if (entry.connector.kind.persistent && prepared.write !== undefined) commit.writes.push({ entry, write: prepared.write, ops });
    }
    this.inFlight.push(commit);
    if (commit.writes.length === 0) {
      commit.logged = true;
      this.settleDurable();
      return done;
    }
    void this.wal
      .append(
        commit.writes.map(({ entry, write, ops }) =>
          ops ? { connector: entry.connector.name, scopeKey: entry.scopeKey, ops } : { connector: entry.connector.name, scopeKey: entry.scopeKey, write },
        ),
        {
          durable: () => {
            commit.logged = true;
            this.settleDurable();
            this.health.succeeded('log');
          },
          failed: (error) => this.refuseInFlight(error),
        },
      )
      .catch(() => {}); // told through `failed`
    this.scheduleCheckpoint();
    return done;
  }

  private track(durable: Promise<void>): Promise<void> {
    this.pending.add(durable);
    const forget = () => this.pending.delete(durable);
    durable.then(forget, forget);
    return durable;
  }

  /** Commits whose log lines are on disk become what readers see, strictly in commit order. */
  private settleDurable(): void {
    while (this.inFlight.length > 0 && this.inFlight[0].logged) {
      const commit = this.inFlight.shift() as InFlightCommit;
      for (const { entry, state } of commit.states) {
        entry.durable = state;
        entry.version++;
      }
      for (const write of commit.writes) this.unsaved.add(write);
      commit.resolve();
    }
  }

  /**
   * The log could not be written: every commit not durable yet is refused (the log has dropped all their
   * lines), and every state goes back to its last durable value, synchronously, before anyone reads it.
   */
  private refuseInFlight(cause: Error): void {
    const refused = this.inFlight.splice(0);
    if (refused.length === 0) return;
    for (const commit of refused) {
      for (const { entry } of commit.states) {
        if (entry.state === entry.durable) continue;
        entry.state = entry.durable;
        entry.latestVersion++;
      }
    }
    this.health.failed('log', cause);
    const problem = problemOf(cause);
    for (const commit of refused) {
      const where = commit.states.map(({ entry }) => `connector "${entry.connector.name}"${scopeText(entry)}`).join(', ');
      commit.reject(
        new StoreWriteError(`${where}: the change was not saved and was undone: ${describeError(cause)}`, {
          cause,
          problem,
          status: PROBLEMS[problem].status,
          userMessage: PROBLEMS[problem].refused,
        }),
      );
    }
  }

  /** While writing fails, try again every few seconds: a checkpoint (files) and a small probe write (log). */
  private retryWhileFailing(status: StoreStatus): void {
    if (status.ok) {
      if (this.retryTimer) clearInterval(this.retryTimer);
      this.retryTimer = null;
      return;
    }
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setInterval(() => void this.retryWrites(), this.retryWhileFailingMs);
    this.retryTimer.unref();
  }

  private async retryWrites(): Promise<void> {
    if (this.closed) return;
    await this.checkpoint().catch(() => {});
    if (this.inFlight.length > 0 || this.health.ok) return;
    const probe = `${this.dataDir}/${PROBE_FILE}`;
    try {
      const fd = this.fs.open(probe, 'w');
      try {
        this.fs.write(fd, Buffer.alloc(PROBE_BYTES), 0, PROBE_BYTES);
        await this.fs.flush(fd, 'fdatasync');
      } finally {
        this.fs.close(fd);
        this.fs.unlink(probe);
      }
      this.health.succeeded('log');
    } catch {
      // still failing; the status says so already
    }
  }

  private scheduleCheckpoint(): void {
    if (this.wal.pendingBytes >= CHECKPOINT_BYTES) {
      void this.checkpoint().catch(() => {});
      return;
    }
    if (this.checkpointTimer) return;
    this.checkpointTimer = setTimeout(() => {
      this.checkpointTimer = null;
      void this.checkpoint().catch(() => {});
    }, this.checkpointDelayMs);
    this.checkpointTimer.unref();
  }

  /**
   * Brings the connector files up to date with everything logged so far, then removes the log files that
   * covered it. One at a time; a call made while one runs gets a run after it (shared with other calls
   * made before that run starts).
   */
  private checkpoint(): Promise<void> {
    // a run that has not started yet will cover everything committed until it starts
    if (this.queuedCheckpoint) return this.queuedCheckpoint;
    const run = async () => {
      this.queuedCheckpoint = null;
      // sealed first: only durable writes are in `unsaved` (a refused commit never reaches the files)
      const files = await this.wal.seal();
      const writes = this.unsaved.takeAll();
      try {
        // every save settles before the checkpoint does (none is left running behind a failed one)
        const saved = await Promise.allSettled(writes.map(({ entry, write }) => entry.connector.backend.save(entry.scopeKey, write)));
        const failure = saved.find((result): result is PromiseRejectedResult => result.status === 'rejected');
        if (failure) throw failure.reason;
        await this.wal.discard(files);
        this.health.succeeded('files');
      } catch (error) {
        // The log still holds these writes, so nothing is lost; the next checkpoint tries again.
        this.unsaved.putBack(writes);
        const first = this.health.ok;
        this.health.failed('files', error);
        if (first) {
          this.log.error(
            `store: could not bring the connector files up to date (${describeError(error)}); ` +
              'the changes are safe in the write-ahead log and will be written again. Check free disk space.',
          );
        }
        if (!this.closed) this.scheduleCheckpoint();
        throw error;
      }
    };
    this.lastCheckpoint = this.queuedCheckpoint = this.lastCheckpoint.then(run, run);
    return this.lastCheckpoint;
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

  private load(entry: Entry): Promise<void> {
    entry.loading ??= this.loadEntry(entry).catch((error: unknown) => {
      entry.loading = null;
      throw error;
    });
    return entry.loading;
  }

  private async loadEntry(entry: Entry): Promise<void> {
    const { name, config, kind, backend, wholeState } = entry.connector;
    const stored = backend.loadStored
      ? await backend.loadStored(entry.scopeKey)
      : await backend.load(entry.scopeKey).then((state) => (state === null ? null : { state }));
    if (entry.state !== undefined) return; // a commit (memory kinds) got there first
    const state = stored ? stored.state : initialStateOf(entry.connector, { migrated: false });
    const migrated = applyMigrations(state, config.migrations);
    if (migrated && kind.persistent && wholeState) {
      // saved before anyone sees it: a migration that cannot be saved leaves the connector unloaded (tried again on the next read)
      const logged = this.wal.append([{ connector: name, scopeKey: entry.scopeKey, ops: [{ p: [], set: state }] }]);
      await this.track(logged);
      this.unsaved.add({ entry, write: state });
      this.scheduleCheckpoint();
      this.log.info(`store: connector "${name}"${scopeText(entry)}: migrations added missing fields; saved once`);
    }
    if (entry.state !== undefined) return;
    // every state the store holds is frozen whole, once: commits then freeze only what they make
    entry.state = entry.durable = deepFreeze(state);
    entry.version++;
    entry.latestVersion++;
  }
}

export interface ReadOptions {
  /** the last durable state instead of the latest (which may still be on its way to the disk) */
  durable?: boolean;
}



/**
 * What the next checkpoint saves, in commit order: every journal append, and the newest state of each
 * whole-state target only. A newer state replaces the older one at once, in the older one's place, so a
 * state superseded between checkpoints (a receipt changed 1,000 times a second) is garbage at once and
 * dies young, instead of living until the checkpoint (~1 s) and filling V8's old generation.
 */
class UnsavedWrites {
  private writes: PlannedWrite[] = [];
  /** whole-state target (entry id) → its position in `writes` */
  private readonly at = new Map<string, number>();

  add({ entry, write }: PlannedWrite): void {
    // the change ops were for the log line, written already: the checkpoint saves `write`
    const kept: PlannedWrite = { entry, write };
    if (!entry.connector.wholeState) {
      this.writes.push(kept);
      return;
    }
    const known = this.at.get(entry.id);
    if (known !== undefined) this.writes[known] = kept;
    else {
      this.at.set(entry.id, this.writes.length);
      this.writes.push(kept);
    }
  }

  /** Everything to save, emptied. */
  takeAll(): PlannedWrite[] {
    const all = this.writes;
    this.writes = [];
    this.at.clear();
    return all;
  }

  /** Writes a failed checkpoint could not save, older than any added since: saved by the next one. */
  putBack(older: PlannedWrite[]): void {
    const newer = this.takeAll();
    for (const write of [...older, ...newer]) this.add(write);
  }
}
