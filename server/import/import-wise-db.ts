// Import of the original engine's data: every `wise-json` (lowdb, json) connector of the manifest gets
// the documents of its collection in `wise-db-data/`, mapped the way the original engine read them
// (state = { ...initialState, ...meta document, items: the other documents }). Written through the
// store, so the import is as durable as any commit. The source folder is only read.
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Manifest } from '../manifest/types.js';
import type { JsonValue, Logger, Store } from '../store/types.js';
import { findKind } from '../store/kinds.js';
import { applyMigrations } from '../store/migrations.js';
import { listCollections, readCollection, type CollectionRead, type WiseDocument } from './wise-json-reader.js';

export const WISE_DB_FOLDER = 'wise-db-data';

export interface ImportedConnector {
  connector: string;
  collection: string;
  items: number;
  /** meta keys taken from the `_meta` document */
  metaKeys: string[];
  checkpoint: string | null;
  logLinesApplied: number;
  problems: string[];
}

export interface NotImported {
  /** a collection of the source, or a connector of the manifest */
  what: string;
  reason: string;
}

export interface ImportReport {
  source: string;
  imported: ImportedConnector[];
  notImported: NotImported[];
}

/** Files that belong to the host itself, not to any connector: they do not count as stored state. */
const HOST_FILES = new Set(['host-secret', 'terminals.json', '.host-lock.json', '_write-probe.tmp', 'last-backup.json']);

/** True when the data folder holds any connector data (files, write-ahead log, scoped folders). */
export async function hasStoredState(dataDir: string): Promise<boolean> {
  let names: string[];
  try {
    names = await readdir(dataDir);
  } catch {
    return false;
  }
  return names.some((name) => !HOST_FILES.has(name));
}

const META_ONLY_KEYS = new Set(['_id', 'createdAt', 'updatedAt', '_txn']);

/** The original engine's read mapping (spec §3.5): meta document keys over initialState, the rest as items. */
export function stateFromDocuments(documents: WiseDocument[], initialState: unknown): { state: Record<string, unknown>; metaKeys: string[] } {
  const initial = typeof initialState === 'object' && initialState !== null && !Array.isArray(initialState) ? initialState : {};
  const meta = documents.find((doc) => doc._id === '_meta');
  const metaFields = Object.fromEntries(Object.entries(meta ?? {}).filter(([key]) => !META_ONLY_KEYS.has(key)));
  const items = documents.filter((doc) => doc._id !== '_meta');
  return { state: { ...structuredClone(initial), ...metaFields, items }, metaKeys: Object.keys(metaFields) };
}

function describe(read: CollectionRead): string {
  const from = read.checkpoint ? `checkpoint ${read.checkpoint}` : 'no checkpoint';
  return `${from} and ${read.logLinesApplied} log line(s)`;
}

/**
 * Imports `source` (a wise-db-data folder) into an open store. Every imported connector is one commit;
 * a connector the source has no collection for keeps its state. Throws NotWiseJsonError for a folder
 * that is not WiseJSON.
 */
export async function importWiseDb(options: { source: string; manifest: Manifest; store: Store; log: Logger }): Promise<ImportReport> {
  const { source, manifest, store, log } = options;
  const collections = await listCollections(source);
  const report: ImportReport = { source, imported: [], notImported: [] };
  const sessionConnector = manifest.auth?.sessionConnector ?? 'session';
  const used = new Set<string>();

  for (const [name, config] of Object.entries(manifest.connectors)) {
    const kind = findKind(config.type);
    const collection = config.collection ?? name;
    if (!collections.includes(collection)) continue;
    used.add(collection);
    const skip = (reason: string) => report.notImported.push({ what: `collection "${collection}" (connector "${name}")`, reason });
    if (!kind?.persistent) {
      skip(`connector "${name}" is ${config.type}: it keeps nothing across a restart`);
      continue;
    }
    const read = await readCollection(source, collection);
    if (name === sessionConnector && manifest.auth) {
      skip(`${read.documents.length} login session(s): sessions are not carried over; people log in again with their passwords`);
      continue;
    }
    if ((config.scope ?? 'global') !== 'global') {
      skip(`connector "${name}" keeps one state per ${config.scope}, and the original's data has no ${config.scope}s; ${read.documents.length} document(s) left out`);
      continue;
    }
    const release = await store.lock([{ name, scopeKey: 'global' }]);
    let metaKeys: string[] = [];
    let items = 0;
    try {
      const current = (await store.read(name, 'global')) as Record<string, unknown>;
      let state: JsonValue;
      if (kind.type === 'journal') {
        // a journal only grows: the documents (without the meta document) become records after what it holds
        const records = read.documents.filter((doc) => doc._id !== '_meta');
        const held = Array.isArray(current.items) ? current.items : [];
        state = { items: [...held, ...records] };
        items = records.length;
        if (read.documents.length > records.length) read.problems.push('its _meta document was left out: a journal holds only records');
      } else {
        const mapped = stateFromDocuments(read.documents, config.initialState);
        // the migrations the store applies at load, applied now: the imported state is saved as it will be read
        applyMigrations(mapped.state, config.migrations);
        state = mapped.state;
        metaKeys = mapped.metaKeys;
        items = (mapped.state.items as unknown[]).length;
      }
      await store.commit([{ name, scopeKey: 'global', state }]);
    } finally {
      release();
    }
    if (read.expired > 0) read.problems.push(`${read.expired} expired document(s) (expireAt / ttl) were left out`);
    report.imported.push({ connector: name, collection, items, metaKeys, checkpoint: read.checkpoint, logLinesApplied: read.logLinesApplied, problems: read.problems });
    log.info(`import: connector "${name}" ← ${path.basename(source)}/${collection}: ${items} item(s)${metaKeys.length ? ` and ${metaKeys.length} meta field(s)` : ''}, from ${describe(read)}`);
    for (const problem of read.problems) log.warn(`import: connector "${name}": ${problem}`);
  }

  for (const collection of collections) {
    if (used.has(collection)) continue;
    const read = await readCollection(source, collection);
    report.notImported.push({
      what: `collection "${collection}"`,
      reason: `no connector of the manifest stores it (connectors use their "collection", else their name); ${read.documents.length} document(s) left out`,
    });
  }
  for (const item of report.notImported) log.warn(`import: not imported: ${item.what}: ${item.reason}`);
  await store.flush();
  return report;
}
