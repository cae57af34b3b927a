// `journal`: persistent append-only records (the sales journal). Readers see
// `{ items: <newest view.last records>, count }`; a commit may only add records after the ones it read,
// and only those are appended to `<name>.jsonl`, so a sale costs the same with 0 or 100 000 records stored.
import { isDeepStrictEqual } from 'node:util';
import type { ConnectorBackend, ConnectorKind, JournalState, JsonValue, OpenConnectorOptions, PreparedState } from '../types.js';
import { InvalidChangeError } from '../types.js';
import { JournalFile } from '../journal-file.js';
import { connectorFile } from '../paths.js';
import { copyAsJson, isPlainRecord } from '../json-value.js';
import { uuidv7 } from '../../chain/uuid7.js';
import { JournalIndex } from '../journal-index.js';
import { indexFieldsOf, type JournalPage, type JournalQuery } from '../journal-query.js';

export const DEFAULT_JOURNAL_VIEW = 200;

/** What a journal commit persists: records numbered from `from` (0-based). */
interface Append {
  from: number;
  records: JsonValue[];
}

function isAppend(value: unknown): value is Append {
  return isPlainRecord(value) && Number.isInteger(value.from) && (value.from as number) >= 0 && Array.isArray(value.records);
}

function lastOf<T>(list: T[], last: number): T[] {
  return last <= 0 ? [] : list.slice(-last);
}

class JournalBackend implements ConnectorBackend {
  private readonly files = new Map<string, JournalFile>();
  private readonly indexes = new Map<string, JournalIndex>();
  /**
   * Per scope: records handed to a commit and not yet appended to the file (they wait in the write-ahead
   * log for the next checkpoint), by record number, so queries see every durable record. A refused
   * commit's records stay until the next commit's records take their numbers; queries never ask for them.
   */
  private readonly waiting = new Map<string, Map<number, JsonValue>>();
  private readonly last: number;

  constructor(private readonly options: OpenConnectorOptions) {
    this.last = options.config.view?.last ?? DEFAULT_JOURNAL_VIEW;
  }

  private file(scopeKey: string): JournalFile {
    let file = this.files.get(scopeKey);
    if (!file) {
      const { name, config, dataDir, log, fs } = this.options;
      file = new JournalFile(connectorFile(dataDir, name, (config.scope ?? 'global') !== 'global', scopeKey, '.jsonl'), log, fs);
      this.files.set(scopeKey, file);
    }
    return file;
  }

  async load(scopeKey: string): Promise<JsonValue | null> {
    const file = this.file(scopeKey);
    const stored = await file.load(this.last);
    // a journal with index fields is indexed at once, in the background: the first query finds it ready
    if (stored && indexFieldsOf(this.options.config).length > 0) this.index(scopeKey).warm(stored.count);
    if (stored) return stored;
    // No file yet: initialState.items become the first records.
    const initial = this.options.config.initialState;
    const seed = isPlainRecord(initial) && Array.isArray(initial.items) ? initial.items : [];
    const records = copyAsJson(seed, `connector "${this.options.name}" initialState`, 'items') as JsonValue[];
    if (records.length > 0) await file.append(0, records);
    return { items: lastOf(records, this.last), count: records.length } satisfies JournalState;
  }

  async save(scopeKey: string, write: JsonValue): Promise<void> {
    if (!isAppend(write)) throw new Error(`journal "${this.options.name}": unexpected write ${JSON.stringify(write)?.slice(0, 200)}`);
    await this.file(scopeKey).append(write.from, write.records);
    const waiting = this.waiting.get(scopeKey);
    if (waiting) write.records.forEach((record, i) => waiting.get(write.from + i) === record && waiting.delete(write.from + i));
  }

  query(scopeKey: string, count: number, query: JournalQuery): Promise<JournalPage> {
    const waiting = this.waiting.get(scopeKey);
    return this.index(scopeKey).query(query, count, (n) => waiting?.get(n));
  }

  private index(scopeKey: string): JournalIndex {
    let index = this.indexes.get(scopeKey);
    if (!index) {
      index = new JournalIndex(this.file(scopeKey), this.options.name, indexFieldsOf(this.options.config));
      this.indexes.set(scopeKey, index);
    }
    return index;
  }

  prepare(scopeKey: string, current: JsonValue, next: JsonValue): PreparedState {
    const name = this.options.name;
    const where = `journal "${name}"${scopeKey === 'global' ? '' : ` (scope ${scopeKey})`}`;
    const seen = current as JournalState;
    if (!isPlainRecord(next) || !Array.isArray(next.items)) {
      throw new InvalidChangeError(`${where}: the state must be { items: [...] }; add new records to the end of items`);
    }
    // count and computed targets are derived on read, so a state that was read can be committed as it is.
    const derived = new Set(['items', 'count', ...(this.options.config.computed ?? []).map((rule) => rule.target)]);
    const extra = Object.keys(next).filter((key) => !derived.has(key));
    if (extra.length > 0) {
      throw new InvalidChangeError(
        `${where} holds only records; ${extra.map((key) => `"${key}"`).join(', ')} cannot be stored here ` +
          '(keep totals and flags in a lowdb connector)',
      );
    }
    const firstShown = seen.count - seen.items.length;
    if (next.items.length < seen.items.length) {
      throw new InvalidChangeError(
        `${where}: records are immutable and cannot be removed (had ${seen.items.length} records in view, ` +
          `got ${next.items.length}); only add new records to the end of items`,
      );
    }
    for (let index = 0; index < seen.items.length; index++) {
      // (a record the commit left untouched is the very stored object: no need to compare it field by field)
      if (seen.items[index] !== next.items[index] && !isDeepStrictEqual(seen.items[index], next.items[index])) {
        throw new InvalidChangeError(
          `${where}: records are immutable; record ${firstShown + index + 1} (items[${index}]) was changed. ` +
            'Record a correction as a new record instead (e.g. a refund), and commit journals only after reading them under a lock',
        );
      }
    }
    // with `uid: true` every record gets an id made here, at the till, when it is written: it names the
    // record everywhere (a chain's head office keys on it, so a record sent twice is stored once)
    const stamp = this.options.config.uid === true;
    const added = (next.items.slice(seen.items.length) as JsonValue[]).map((record) =>
      stamp && isPlainRecord(record) && typeof record.uid !== 'string' ? { ...record, uid: uuidv7() } : record,
    );
    if (added.length === 0) return { state: seen, write: undefined };
    if (!this.options.rulesOnly) {
      let waiting = this.waiting.get(scopeKey);
      if (!waiting) this.waiting.set(scopeKey, (waiting = new Map()));
      added.forEach((record, i) => waiting.set(seen.count + i, record));
    }
    return {
      state: { items: lastOf([...seen.items, ...added], this.last), count: seen.count + added.length } satisfies JournalState,
      write: { from: seen.count, records: added } satisfies Append,
    };
  }

  async flush(): Promise<void> {
    await Promise.all([...this.files.values()].map((file) => file.flush()));
  }

  async close(): Promise<void> {
    await Promise.all([...this.files.values()].map((file) => file.close()));
  }
}

export const journalKind: ConnectorKind = {
  type: 'journal',
  persistent: true,
  open: (options) => new JournalBackend(options),
};
