// The Store: connectors by name and scope key, cached in memory, with locks and all-or-nothing commits
// that are visible at once and durable when their promise resolves.
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
import { readIntent, removeIntent, writeIntent } from './commit-intent.js';
import { COMMIT_INTENT_FILE, GLOBAL_SCOPE_KEY } from './paths.js';
import { describeError } from './fs-durable.js';

export interface StoreOptions {
  connectors: Record<string, ConnectorConfig>;
  dataDir: string;
  log: Logger;
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
  /** whole-state kinds: newest version handed to save(), and the promise of that save */
  savedVersion: number;
  lastSave: Promise<void>;
  /**
   * Whole-state kinds: settles when the newest multi-file commit touching this state is finished. Later
   * single-file saves wait for it, or replaying that commit's intent after a crash could overwrite them.
   */
  barrier: Promise<void> | null;
}

interface PlannedWrite {
  entry: Entry;
  write: JsonValue;
  version: number;
}

interface IntentJob {
  writes: PlannedWrite[];
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
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
  private readonly intentQueue: IntentJob[] = [];
  private intentWorker: Promise<void> | null = null;
  private readonly dataDir: string;
  private readonly log: Logger;
  private closed = false;

  constructor(options: StoreOptions) {
    this.dataDir = options.dataDir;
    this.log = options.log;
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
    if (`${encodeURIComponent(name)}.json` === COMMIT_INTENT_FILE) {
      throw new Error(`connector "${name}": this name is reserved for the store's commit record; rename the connector`);
    }
    if (type !== kind.type && kind.aliasNotice) this.log.info(`connector "${name}": type "${type}" ${kind.aliasNotice}`);
    const backend = kind.open({ name, config, dataDir: this.dataDir, log: this.log });
    return { name, config, kind, scope, backend, wholeState: !backend.prepare };
  }

  /** Creates the data folder, finishes an interrupted commit, and loads every global state (a damaged file stops here). */
  async open(): Promise<void> {
    try {
      await mkdir(this.dataDir, { recursive: true });
      await this.replayIntent();
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

  private async replayIntent(): Promise<void> {
    const changes = await readIntent(this.dataDir, this.log);
    if (!changes) return;
    const replayed: string[] = [];
    for (const change of changes) {
      const connector = this.connectors.get(change.connector);
      if (!connector?.kind.persistent) {
        this.log.warn(
          `store: an interrupted commit names connector "${change.connector}", which is not a stored connector any more; ` +
            'that part was skipped',
        );
        continue;
      }
      await connector.backend.load(change.scopeKey);
      await connector.backend.save(change.scopeKey, change.write);
      replayed.push(connector.scope === 'global' ? `"${connector.name}"` : `"${connector.name}" (${change.scopeKey})`);
    }
    await removeIntent(this.dataDir);
    this.log.warn(`store: finished a commit that a crash or power cut had interrupted (${replayed.join(', ') || 'nothing left to write'})`);
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
    let durable: Promise<void>;
    if (writes.length === 0) durable = Promise.resolve();
    else if (writes.length === 1) durable = this.persist(writes[0]);
    else durable = this.persistTogether(writes);
    return this.track(durable);
  }

  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    await Promise.all([...this.connectors.values()].map((connector) => connector.backend.flush()));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flush();
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
        writes.push({ entry, write: prepared.write, version: entry.version });
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

  private save(planned: PlannedWrite): Promise<void> {
    const { entry, write, version } = planned;
    const { backend } = entry.connector;
    const failed = (error: unknown): never => {
      throw new StoreWriteError(
        `connector "${entry.connector.name}"${scopeText(entry)}: the change is visible but was not saved: ${describeError(error)}`,
        { cause: error },
      );
    };
    if (!entry.connector.wholeState) return backend.save(entry.scopeKey, write).catch(failed);
    // A newer state is already on its way to the file and contains this one.
    if (version <= entry.savedVersion) return entry.lastSave;
    entry.savedVersion = version;
    entry.lastSave = backend.save(entry.scopeKey, write).catch(failed);
    return entry.lastSave;
  }

  /** A commit that touches one file: that file's own atomic replace (or append) is enough. */
  private persist(planned: PlannedWrite): Promise<void> {
    const { barrier } = planned.entry;
    // Journals need no barrier: records are numbered, so a later append waits for the earlier ones by itself.
    if (!barrier || !planned.entry.connector.wholeState) return this.save(planned);
    const run = () => this.save(planned);
    return barrier.then(run, run);
  }

  /** A commit that touches several files goes through the intent record (group-committed with its peers). */
  private persistTogether(writes: PlannedWrite[]): Promise<void> {
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const job: IntentJob = { writes, promise, resolve, reject };
    const barrier = promise.catch(() => {});
    for (const { entry } of writes) if (entry.connector.wholeState) entry.barrier = barrier;
    this.intentQueue.push(job);
    this.intentWorker ??= this.runIntents();
    return promise;
  }

  private async runIntents(): Promise<void> {
    while (this.intentQueue.length > 0) {
      const batch = this.intentQueue.splice(0);
      const writes = mergeWrites(batch.flatMap((job) => job.writes));
      try {
        await writeIntent(
          this.dataDir,
          writes.map(({ entry, write }) => ({ connector: entry.connector.name, scopeKey: entry.scopeKey, write })),
        );
        await Promise.all(writes.map((planned) => this.save(planned)));
        await removeIntent(this.dataDir);
        for (const job of batch) job.resolve();
      } catch (error) {
        const failure =
          error instanceof StoreWriteError
            ? error
            : new StoreWriteError(`a commit of several connectors could not be saved: ${describeError(error)}`, { cause: error });
        for (const job of batch) job.reject(failure);
      }
    }
    this.intentWorker = null;
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
        savedVersion: 0,
        lastSave: Promise.resolve(),
        barrier: null,
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
      await this.track(this.persist({ entry, write: state, version: entry.version }));
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

/** One intent for a batch of commits: the newest state of each whole-state file, every journal append in order. */
function mergeWrites(writes: PlannedWrite[]): PlannedWrite[] {
  const newest = new Map<Entry, PlannedWrite>();
  const merged: PlannedWrite[] = [];
  for (const planned of writes) {
    if (!planned.entry.connector.wholeState) {
      merged.push(planned);
      continue;
    }
    const known = newest.get(planned.entry);
    if (!known) {
      newest.set(planned.entry, planned);
      merged.push(planned);
    } else if (planned.version > known.version) {
      merged[merged.indexOf(known)] = planned;
      newest.set(planned.entry, planned);
    }
  }
  return merged;
}
