// What the file store (store.ts) and the PostgreSQL store (postgres/) share about one connector state
// (a global state, or one terminal's / user's): its id, how messages name it, and the frozen view readers get.
import type { ConnectorConfig, ConnectorScope } from '../manifest/types.js';
import type { JsonValue } from './types.js';
import { applyComputed } from './computed.js';
import { isPlainRecord } from './json-value.js';
import { GLOBAL_SCOPE_KEY } from './paths.js';
import { UnknownConnectorError, type JsonValue as Json } from './types.js';
import { copyAsJson } from './json-value.js';
import { applyMigrations } from './migrations.js';

export const VALID_SCOPES: readonly ConnectorScope[] = ['global', 'terminal', 'user'];

interface ScopedConnector {
  name: string;
  scope: ConnectorScope;
  config: ConnectorConfig;
}

/** The id of a connector state: the connector and its scope key (global states share one). */
export function entryIdOf(connector: ScopedConnector, scopeKey: string): string {
  if (connector.scope === 'global') return `${connector.name}\u0000${GLOBAL_SCOPE_KEY}`;
  if (typeof scopeKey !== 'string' || scopeKey.length === 0) {
    throw new Error(
      `connector "${connector.name}" keeps one state per ${connector.scope}: ` +
        `give the ${connector.scope} id as scope key (got ${JSON.stringify(scopeKey)})`,
    );
  }
  return `${connector.name}\u0000${scopeKey}`;
}

/** ` (terminal "t1")` after a connector's name in messages; nothing for a global state. */
export function scopeText(entry: { connector: ScopedConnector; scopeKey: string }): string {
  return entry.connector.scope === 'global' ? '' : ` (${entry.connector.scope} ${JSON.stringify(entry.scopeKey)})`;
}

export function deepFreeze(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  // by index for lists: Object.keys of a 50,000-item list would make 50,000 strings
  if (Array.isArray(value)) for (let i = 0; i < value.length; i++) deepFreeze(value[i]);
  else for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}

/** What a connector holds when nothing is stored: a copy of its initialState, migrations applied unless told not to. */
export function initialStateOf(connector: ScopedConnector, options: { migrated?: boolean } = {}): Json {
  const state = copyAsJson(connector.config.initialState ?? {}, `connector "${connector.name}" initialState`, 'initialState');
  if (options.migrated !== false) applyMigrations(state, connector.config.migrations);
  return state;
}

/** What readers get: frozen, so a careless caller fails loudly instead of changing what everyone reads. */
export function frozenView(connector: ScopedConnector, state: JsonValue, version: number): { version: number; state: JsonValue } {
  const { computed } = connector.config;
  if (computed?.length && isPlainRecord(state)) {
    // computed fields are top-level: a shallow copy holds them, sharing the rest
    state = { ...state };
    applyComputed(state, computed);
  }
  return { version, state: deepFreeze(state) };
}

/**
 * A store's connector states by id, made on first use: `create` gives a new state's record (each store keeps
 * its own fields beside the id, connector and scope key).
 */
export class EntryTable<C extends ScopedConnector, E extends { id: string }> {
  private readonly entries = new Map<string, E>();

  constructor(
    private readonly connectors: ReadonlyMap<string, C>,
    private readonly create: (id: string, connector: C, scopeKey: string) => E,
  ) {}

  connector(name: string): C {
    const connector = this.connectors.get(name);
    if (!connector) throw new UnknownConnectorError(name, [...this.connectors.keys()]);
    return connector;
  }

  /** The state of a connector for a scope key (global connectors have one, whatever the key). */
  get(name: string, scopeKey: string): E {
    const connector = this.connector(name);
    const id = entryIdOf(connector, scopeKey);
    let entry = this.entries.get(id);
    if (!entry) {
      entry = this.create(id, connector, connector.scope === 'global' ? GLOBAL_SCOPE_KEY : scopeKey);
      this.entries.set(id, entry);
    }
    return entry;
  }

  /** The state with this id when it was made already. */
  find(id: string): E | undefined {
    return this.entries.get(id);
  }

  values(): IterableIterator<E> {
    return this.entries.values();
  }
}
