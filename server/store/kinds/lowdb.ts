// `lowdb` (aliases `wise-json`, `json`): one JSON file per connector (per scope key when scoped), read
// and written through lowdb's Low with the durable adapter.
import { Low } from 'lowdb';
import type { ConnectorBackend, ConnectorKind, JsonValue, OpenConnectorOptions } from '../types.js';
import { DurableJsonFile } from '../durable-file.js';
import { shareStrings } from '../shared-strings.js';
import { connectorFile } from '../paths.js';
import { prettyJsonPieces } from '../json-text.js';

/**
 * What Low holds: the state in a box, because Low skips falsy data (`if (data)`) and a connector's whole
 * state may faithfully be null, 0, '' or false (compatibility.md D21). The file holds the bare state.
 */
interface Stored {
  state: JsonValue;
}

const nothingStored: Stored = Object.freeze({ state: null });

class LowdbBackend implements ConnectorBackend {
  private readonly dbs = new Map<string, { low: Low<Stored>; file: DurableJsonFile<Stored> }>();

  constructor(private readonly options: OpenConnectorOptions) {}

  private db(scopeKey: string) {
    let db = this.dbs.get(scopeKey);
    if (!db) {
      const { name, config, dataDir, log, fs } = this.options;
      const path = connectorFile(dataDir, name, (config.scope ?? 'global') !== 'global', scopeKey, '.json');
      const file = new DurableJsonFile<Stored>(path, {
        log,
        fs,
        // equal strings of large lists shared (shared-strings.ts)
        parse: (text) => ({ state: shareStrings(JSON.parse(text) as JsonValue) }),
        // in pieces written as they come, ending in a newline
        stringify: (stored) => prettyJsonPieces(stored.state, '\n'),
      });
      db = { low: new Low<Stored>(file, nothingStored), file };
      this.dbs.set(scopeKey, db);
    }
    return db;
  }

  async load(scopeKey: string): Promise<JsonValue | null> {
    return (await this.loadStored(scopeKey))?.state ?? null;
  }

  async loadStored(scopeKey: string): Promise<Stored | null> {
    const { low } = this.db(scopeKey);
    low.data = nothingStored;
    await low.read();
    return low.data === nothingStored ? null : low.data;
  }

  async save(scopeKey: string, state: JsonValue): Promise<void> {
    const { low } = this.db(scopeKey);
    low.data = { state };
    await low.write();
  }

  async flush(): Promise<void> {
    await Promise.all([...this.dbs.values()].map(({ file }) => file.flush()));
  }

  async close(): Promise<void> {
    await this.flush();
  }
}

export const lowdbKind: ConnectorKind = {
  type: 'lowdb',
  persistent: true,
  aliasNotice: 'runs on lowdb (same behaviour, one JSON file)',
  open: (options) => new LowdbBackend(options),
};
