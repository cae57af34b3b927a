// The Store: connectors by name and scope key, cached in memory, with locks and all-or-nothing commits
// that are visible at once and durable when their promise resolves: a commit is one line of the
// write-ahead log, and a checkpoint shortly after writes the connector files (each replaced atomically).
import { mkdir } from 'node:fs/promises';
import type { ConnectorConfig, ConnectorScope } from '../manifest/types.js';
import type {
  Change,
  ConnectorBackend,
  ConnectorInfo,
  ConnectorKind,
  JsonValue,
  Logger,
  PreparedState,
  ScopeTarget,
  Store,
} from './types.js';
import { InvalidChangeError, StoreWriteError, UnknownConnectorError } from './types.js';
import { findKind, knownTypes } from './kinds.js';
import { KeyedLocks } from './locks.js';
import { copyAsJson } from './json-value.js';
import { applyMigrations } from './migrations.js';
import { applyComputed, removeDerived } from './computed.js';
import { GLOBAL_SCOPE_KEY } from './paths.js';
import { describeError } from './fs-durable.js';
import { isLogFileName, WriteAheadLog, type LoggedChange } from './write-ahead-log.js';

/** How long committed changes may stay only in the log before the connector files are brought up to date. */
const CHECKPOINT_DELAY_MS = 1000;
/** Log bytes after which the files are brought up to date at once (bounds the log and replay after a crash). */
const CHECKPOINT_BYTES = 4 * 1024 * 1024;

export interface StoreOptions {
  connectors: Record<string, ConnectorConfig>;
  dataDir: string;
  log: Logger;
  /** how long committed changes may stay only in the log (default CHECKPOINT_DELAY_MS; tests shorten it) */
  checkpointDelayMs?: number;
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
  /** undefined until loaded; replaced (never mutated) by commits */
  state: JsonValue | undefined;
  /** what peek() hands out for `version` (the state with computed fields applied, when it has any) */
  view: { version: number; state: JsonValue } | null;
  loading: Promise<void> | null;
  version: number;
}

interface PlannedWrite {
  entry: Entry;
  write: JsonValue;
}

const VALID_SCOPES: readonly ConnectorScope[] = ['global', 'terminal', 'user'];

function scopeText(entry: Entry): string {
  return entry.connector.scope === 'global' ? '' : ` (${entry.connector.scope} ${JSON.stringify(entry.scopeKey)})`;
}

export class ConnectorStore implements Store {
  private readonly connectors = new Map<string, Connector>();
  private readonly entries = new Map<string, Entry>();
  private readonly locks = new KeyedLocks();
  private readonly pending = new Set<Promise<void>>();
  private readonly wal: WriteAheadLog;
  /** writes in the log that the connector files do not hold yet, in commit order */
  private unsaved: PlannedWrite[] = [];
  private checkpointTimer: NodeJS.Timeout | null = null;
  private lastCheckpoint: Promise<void> = Promise.resolve();
  private queuedCheckpoint: Promise<void> | null = null;
  private readonly dataDir: string;
  private readonly log: Logger;
  private closed = false;

  private readonly checkpointDelayMs: number;

  constructor(options: StoreOptions) {
    this.dataDir = options.dataDir;
    this.log = options.log;
    this.checkpointDelayMs = options.checkpointDelayMs ?? CHECKPOINT_DELAY_MS;
    this.wal = new WriteAheadLog(options.dataDir, options.log);
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
    const backend = kind.open({ name, config, dataDir: this.dataDir, log: this.log });
    return { name, config, kind, scope, backend, wholeState: !backend.prepare };
  }

  /** Creates the data folder, finishes an interrupted commit, and loads every global state (a damaged file stops here). */
  async open(): Promise<void> {
    try {
      await mkdir(this.dataDir, { recursive: true });
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
    const writes = newestPerTarget(known, (change) => (this.connector(change.connector).wholeState ? target(change) : null));
    const targets = new Map(writes.map((change) => [target(change), change]));
    for (const { connector, scopeKey } of targets.values()) await this.connector(connector).backend.load(scopeKey);
    await Promise.all(writes.map((change) => this.connector(change.connector).backend.save(change.scopeKey, change.write)));
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

  async read(name: string, scopeKey: string): Promise<JsonValue> {
    this.assertOpen();
    const entry = this.entry(name, scopeKey);
    if (entry.state === undefined) await this.load(entry);
    const copy = structuredClone(entry.state);
    applyComputed(copy, entry.connector.config.computed);
    return copy;
  }

  peek(name: string, scopeKey: string): JsonValue | undefined {
    this.assertOpen();
    const entry = this.entry(name, scopeKey);
    if (entry.state === undefined) return undefined;
    if (entry.view?.version !== entry.version) {
      // frozen, so a careless caller fails loudly instead of changing what everyone reads
      const { computed } = entry.connector.config;
      let state = entry.state;
      if (computed?.length) {
        state = structuredClone(state);
        applyComputed(state, computed);
      }
      entry.view = { version: entry.version, state: deepFreeze(state) };
    }
    return entry.view.state;
  }

  async lock(targets: ScopeTarget[]): Promise<() => void> {
    this.assertOpen();
    const ids = targets.map((target) => this.entryId(this.connector(target.name), target.scopeKey));
    return this.locks.acquireAll(ids);
  }

  commit(changes: Change[]): Promise<void> {
    let writes: PlannedWrite[];
    try {
      writes = this.apply(this.plan(changes));
    } catch (error) {
      return Promise.reject(error);
    }
    return this.track(this.logWrites(writes));
  }

  /** Every acknowledged commit is durable (in the log) and in the connector files. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    await this.checkpoint();
    await Promise.all([...this.connectors.values()].map((connector) => connector.backend.flush()));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flush();
    if (this.checkpointTimer) clearTimeout(this.checkpointTimer);
    await this.wal.close();
    await Promise.all([...this.connectors.values()].map((connector) => connector.backend.close()));
  }

  // --- commit -------------------------------------------------------------------------------------

  /** Checks every change and works out what each one stores; throws before anything is changed. */
  private plan(changes: Change[]): Array<{ entry: Entry; prepared: PreparedState }> {
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
      const state = copyAsJson(change.state, where);
      removeDerived(state, entry.connector.config.computed);
      const { backend } = entry.connector;
      const prepared = backend.prepare ? backend.prepare(entry.scopeKey, entry.state as JsonValue, state) : { state, write: state };
      return { entry, prepared };
    });
  }

  /** Makes the changes visible (synchronously) and returns what has to reach the disk. */
  private apply(plans: Array<{ entry: Entry; prepared: PreparedState }>): PlannedWrite[] {
    const writes: PlannedWrite[] = [];
    for (const { entry, prepared } of plans) {
      entry.state = prepared.state;
      entry.version++;
      if (entry.connector.kind.persistent && prepared.write !== undefined) {
        writes.push({ entry, write: prepared.write });
      }
    }
    return writes;
  }

  private track(durable: Promise<void>): Promise<void> {
    this.pending.add(durable);
    const forget = () => this.pending.delete(durable);
    durable.then(forget, forget);
    return durable;
  }

  /** One log line holds the whole commit: durable and all-or-nothing once it is appended. */
  private logWrites(writes: PlannedWrite[]): Promise<void> {
    if (writes.length === 0) return Promise.resolve();
    this.unsaved.push(...writes);
    const logged = this.wal.append(
      writes.map(({ entry, write }) => ({ connector: entry.connector.name, scopeKey: entry.scopeKey, write })),
    );
    this.scheduleCheckpoint();
    return logged.catch((error: unknown) => {
      const where = writes.map(({ entry }) => `connector "${entry.connector.name}"${scopeText(entry)}`).join(', ');
      throw new StoreWriteError(`${where}: the change is visible but was not saved: ${describeError(error)}`, { cause: error });
    });
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
      const writes = newestPerTarget(this.unsaved.splice(0), ({ entry }) => (entry.connector.wholeState ? entry.id : null));
      const files = await this.wal.seal();
      try {
        await Promise.all(writes.map(({ entry, write }) => entry.connector.backend.save(entry.scopeKey, write)));
        await this.wal.discard(files);
      } catch (error) {
        // The log still holds these writes, so nothing is lost; the next checkpoint tries again.
        this.unsaved.unshift(...writes);
        this.log.error(
          `store: could not bring the connector files up to date (${describeError(error)}); ` +
            'the changes are safe in the write-ahead log and will be written again. Check free disk space.',
        );
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
    const connector = this.connectors.get(name);
    if (!connector) throw new UnknownConnectorError(name, this.names());
    return connector;
  }

  private entryId(connector: Connector, scopeKey: string): string {
    if (connector.scope === 'global') return `${connector.name}\u0000${GLOBAL_SCOPE_KEY}`;
    if (typeof scopeKey !== 'string' || scopeKey.length === 0) {
      throw new Error(
        `connector "${connector.name}" keeps one state per ${connector.scope}: ` +
          `give the ${connector.scope} id as scope key (got ${JSON.stringify(scopeKey)})`,
      );
    }
    return `${connector.name}\u0000${scopeKey}`;
  }

  private entry(name: string, scopeKey: string): Entry {
    const connector = this.connector(name);
    const id = this.entryId(connector, scopeKey);
    let entry = this.entries.get(id);
    if (!entry) {
      entry = {
        id,
        connector,
        scopeKey: connector.scope === 'global' ? GLOBAL_SCOPE_KEY : scopeKey,
        state: undefined,
        view: null,
        loading: null,
        version: 0,
      };
      this.entries.set(id, entry);
    }
    return entry;
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
    const state = stored ? stored.state : copyAsJson(config.initialState ?? {}, `connector "${name}" initialState`, 'initialState');
    const migrated = applyMigrations(state, config.migrations);
    entry.state = state;
    if (migrated && kind.persistent && wholeState) {
      entry.version++;
      await this.track(this.logWrites([{ entry, write: state }]));
      this.log.info(`store: connector "${name}"${scopeText(entry)}: migrations added missing fields; saved once`);
    }
  }
}

function deepFreeze(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}

/**
 * What a checkpoint or a replay saves, from writes in commit order: the newest state of each whole-state
 * target (those with a key), and every other write (journal appends) in order.
 */
function newestPerTarget<T>(writes: T[], wholeStateKey: (write: T) => string | null): T[] {
  const at = new Map<string, number>();
  const merged: T[] = [];
  for (const write of writes) {
    const key = wholeStateKey(write);
    const known = key === null ? undefined : at.get(key);
    if (known !== undefined) merged[known] = write;
    else {
      if (key !== null) at.set(key, merged.length);
      merged.push(write);
    }
  }
  return merged;
}
