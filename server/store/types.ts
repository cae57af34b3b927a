// The storage contract. Every storage kind is a ConnectorKind (one module in kinds/, listed in kinds.ts)
// whose backend loads and saves one scope's state; the Store on top adds scopes, locks and atomic commits.
import type { ConnectorConfig, ConnectorScope } from '../manifest/types.js';
import type { StoreFileSystem } from './file-system.js';
import type { StoreProblem, StoreStatus } from './health.js';
import type { JournalPage, JournalQuery } from './journal-query.js';

export type { JournalPage, JournalQuery } from './journal-query.js';

export type { StoreFileSystem } from './file-system.js';
export type { StoreProblem, StoreStatus } from './health.js';
import type { Logger } from '../log.js';

export type { Logger } from '../log.js';

/** lowdb's adapter interface (read / write), which the durable JSON file of the lowdb kind implements. */
export interface Adapter<T> {
  read(): Promise<T | null>;
  write(data: T): Promise<void>;
}

export type JsonValue = unknown;

/** A connector kind: one small module each, registered in one table (store/kinds.ts). */
export interface ConnectorKind {
  /** its name; the names it also answers to are listed with it in manifest/connector-types.ts */
  type: string;
  /** true when the state survives a restart */
  persistent: boolean;
  /** one-line notice printed when an alias is used (e.g. wise-json -> lowdb) */
  aliasNotice?: string;
  open(options: OpenConnectorOptions): ConnectorBackend;
}

export interface OpenConnectorOptions {
  name: string;
  config: ConnectorConfig;
  dataDir: string;
  log: Logger;
  /** the store's file-system seam: every file operation of the kind goes through it */
  fs: StoreFileSystem;
  /** only the kind's rules for what a commit may change are used (PostgreSQL stores journals itself) */
  rulesOnly?: boolean;
}

/** What a kind provides for one connector: load and save one scope's state. */
export interface ConnectorBackend {
  /** The stored state of a scope key, or null when nothing is stored yet. */
  load(scopeKey: string): Promise<JsonValue | null>;
  /**
   * Like load, but tells a stored null (`{ state: null }`) from nothing stored (null). Kinds whose whole
   * state may be null implement it; the store prefers it over load.
   */
  loadStored?(scopeKey: string): Promise<{ state: JsonValue } | null>;
  /** Persist a scope's state durably (resolves after fsync). */
  save(scopeKey: string, state: JsonValue): Promise<void>;
  /** Finish pending writes. */
  flush(): Promise<void>;
  close(): Promise<void>;
  /**
   * Only for kinds that do not rewrite the whole state (journal): check a committed state against the cached
   * one and split it into what readers see next and what save() must persist (undefined: nothing to persist).
   * Must not change anything; throws a clear error to refuse the change. save() must then be idempotent for
   * what it receives, because a commit intent may replay it after a crash.
   */
  prepare?(scopeKey: string, current: JsonValue, next: JsonValue): PreparedState;
  /**
   * Only for kinds that keep records (journal): one page of the records 0..count-1 that match the query
   * (journal-query.ts has the rules). `count` is the number of records the caller's state has.
   */
  query?(scopeKey: string, count: number, query: JournalQuery): Promise<JournalPage>;
}

export interface PreparedState {
  state: JsonValue;
  write: JsonValue | undefined;
}

/** What readers see of a journal connector: the last `view.last` records and the total number stored. */
export interface JournalState {
  items: JsonValue[];
  count: number;
}

export interface ScopeTarget {
  name: string;
  /** 'global' for global connectors, else the terminal id or user id */
  scopeKey: string;
}

export interface Change extends ScopeTarget {
  state: JsonValue;
}

export interface ConnectorInfo {
  name: string;
  type: string;
  scope: ConnectorScope;
  persistent: boolean;
}

/** Who caused a commit: the window (socket) that sent the action, so its own socket is not told of it. */
export interface CommitOrigin {
  socketId: string;
  terminalId: string | null;
}

export interface CommitOptions {
  /** carried to the other hosts of a shared store with the change (channels exclude the initiator there too) */
  origin?: CommitOrigin;
}

/** A commit another host made on a shared store (PostgreSQL), told once this host's copies are up to date. */
export interface RemoteCommit {
  changes: ScopeTarget[];
  origin?: CommitOrigin;
  /** true when this host lost the database for a while and caught up: the changes are what it missed */
  resync?: boolean;
}

export interface Store {
  names(): string[];
  info(name: string): ConnectorInfo;
  /**
   * Deep copy of a connector's state for a scope key (initialState, migrations and computed applied): the
   * latest state, which a writer holding the lock builds on; `{ durable: true }` for the last durable one.
   */
  read(name: string, scopeKey: string, options?: { durable?: boolean }): Promise<JsonValue>;
  /**
   * The state `read` would copy, without the copy: the store's own object, shared by every caller and
   * replaced (never changed) by commits. It is deep-frozen: callers must not try to mutate it; copy it
   * (or use `read`) to change it. Undefined while the state is not loaded (global states are loaded at
   * start; a scoped one is loaded by its first `read`).
   */
  peek(name: string, scopeKey: string, options?: { latest?: boolean }): JsonValue | undefined;
  /** peek, after loading the state when it is not loaded yet: the store's own frozen state, never a copy */
  snapshot(name: string, scopeKey: string, options?: { latest?: boolean }): Promise<JsonValue>;
  /** Exclusive locks on every target, taken in sorted order (no deadlock). Returns the release function. */
  lock(targets: ScopeTarget[]): Promise<() => void>;
  /**
   * All or nothing: the new states become the latest (what the next writer under the lock reads) before
   * this returns, synchronously; once every change is durable the promise resolves and readers see them.
   * When they cannot be made durable it rejects with a StoreWriteError and the states are as they were.
   */
  commit(changes: Change[], options?: CommitOptions): Promise<void>;
  /**
   * One page of a journal connector's records beyond the `view.last` its state shows, filtered by its
   * `index` fields (journal-query.ts): consistent with the state `peek` shows (the last durable one).
   * Rejects with a JournalQueryError for a filter the journal cannot answer.
   */
  queryJournal(name: string, scopeKey: string, query: JournalQuery): Promise<JournalPage>;
  /**
   * Only stores several hosts share (PostgreSQL): tells of commits made by the other hosts, after this
   * store's own copies of the changed states are brought up to date (peek/read show them).
   */
  onRemoteCommit?(listener: (commit: RemoteCommit) => void): () => void;
  /**
   * Only stores several hosts share: brings this host's copy of a state up to date with the database now,
   * for a value another host stored a moment ago whose notification has not arrived yet (a login on host A
   * used on host B by the client's very next request). Resolves once peek/read show it; a database that
   * cannot be reached leaves the copy as it was (the caller goes on with what it holds).
   */
  catchUp?(name: string, scopeKey: string): Promise<void>;
  /**
   * Only stores several hosts share: before a request reads these states, brings this host's copies of the
   * ones another host changed up to date (one round trip for their versions), so a client sees on any host
   * what it stored on another a moment ago. Never fails: what cannot be checked is read as held.
   */
  freshen?(targets: ScopeTarget[]): Promise<void>;
  /** true for a store several hosts share (PostgreSQL); such a host needs no data-folder lock */
  readonly shared?: boolean;
  /** Whether writing works; a full disk or a read-only folder makes it fail until that is fixed. */
  status(): StoreStatus;
  onStatus(listener: (status: StoreStatus) => void): () => void;
  flush(): Promise<void>;
  close(): Promise<void>;
}

export class UnknownConnectorError extends Error {
  constructor(name: string, known: string[]) {
    super(`unknown connector "${name}" (known: ${known.join(', ') || 'none'})`);
    this.name = 'UnknownConnectorError';
  }
}

/** A stored file cannot be read and no good copy of it exists: start-up stops so nothing is overwritten. */
export class DamagedFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(message);
    this.name = 'DamagedFileError';
  }
}

/** A change was refused before anything was applied (invalid value, immutable journal record, ...). */
export class InvalidChangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidChangeError';
  }
}

/** A change could not be made durable; it was undone (nothing of it stays, in memory or on disk). */
export class StoreWriteError extends Error {
  readonly problem: StoreProblem;
  /** the HTTP status that tells the client: 507 for a full disk, 503 otherwise */
  readonly status: 507 | 503;
  /** what the person at the till is told */
  readonly userMessage: string;

  constructor(
    message: string,
    options: { cause?: unknown; problem?: StoreProblem; status?: 507 | 503; userMessage?: string } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'StoreWriteError';
    this.problem = options.problem ?? 'write-failed';
    this.status = options.status ?? 503;
    this.userMessage = options.userMessage ?? 'Ошибка записи на диск: изменение не сохранено.';
  }
}
