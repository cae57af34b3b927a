// Reads the original engine's data folder (`wise-db-data/`, written by the WiseJSON library) without
// changing anything in it. The format is described in shared/spec/WISEJSON-FORMAT.md; in short, each
// collection is a folder with checkpoints (a meta file plus data segments) and a JSON Lines log replayed
// over the newest readable checkpoint.
//
// Where this reader does better than the library:
//  - a checkpoint is used only when its segments hold exactly `documentCount` documents, else the next
//    older one is tried (the library takes a short segment set as it is);
//  - REMOVE and CLEAR log lines carry no time, and the library drops them whenever a checkpoint exists
//    (a logged-out session comes back). Here a timeless line takes the time of the timed line before it
//    in the log, or, at the start of the log, of the timed line after it; a log of only timeless lines is
//    newer than the checkpoint (the library empties the log whenever it writes a checkpoint).
import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export type WiseDocument = Record<string, unknown> & { _id: string };

export interface CollectionRead {
  collection: string;
  /** documents in storage order, after the log and expiry */
  documents: WiseDocument[];
  /** the checkpoint used (its timestamp), or null when none was readable */
  checkpoint: string | null;
  /** documents the checkpoint held */
  checkpointDocuments: number;
  /** log lines applied (a committed transaction counts each of its lines) */
  logLinesApplied: number;
  /** log lines older than the checkpoint (already in it) */
  logLinesAlreadyInCheckpoint: number;
  /** what went wrong but did not stop the import: damaged checkpoints, torn log lines, open transactions */
  problems: string[];
  /** documents dropped because they had expired (expireAt / ttl) */
  expired: number;
}

export class NotWiseJsonError extends Error {
  constructor(folder: string, why: string) {
    super(
      `${folder} is not a WiseJSON data folder (${why}). The original engine keeps it as wise-db-data/ beside ` +
        'manifest.js, with one sub-folder per collection holding _checkpoints/ and wal_<collection>.log',
    );
    this.name = 'NotWiseJsonError';
  }
}

const META_PREFIX = 'checkpoint_meta_';
const DATA_PREFIX = 'checkpoint_data_';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function isDirectory(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isDirectory();
  } catch {
    return false;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch {
    return false;
  }
}

/** The collections of a WiseJSON folder (sub-folders with checkpoints or a log); throws NotWiseJsonError. */
export async function listCollections(folder: string): Promise<string[]> {
  if (!(await isDirectory(folder))) throw new NotWiseJsonError(folder, (await exists(folder)) ? 'it is not a folder' : 'it does not exist');
  const collections: string[] = [];
  for (const entry of (await readdir(folder, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (!entry.isDirectory() || entry.name.endsWith('.lock')) continue;
    const dir = path.join(folder, entry.name);
    if ((await isDirectory(path.join(dir, '_checkpoints'))) || (await exists(path.join(dir, `wal_${entry.name}.log`)))) {
      collections.push(entry.name);
    }
  }
  if (collections.length === 0) throw new NotWiseJsonError(folder, 'no sub-folder holds _checkpoints/ or a wal_<name>.log');
  return collections;
}

/** `2026-12-06T05-19-05-940Z` (file names, and old meta files) → `2026-12-06T05:19:05.940Z`. */
function isoFromDashed(text: string): string {
  const match = /^(\d{4}-\d{2}-\d{2})T(\d{2})-(\d{2})-(\d{2})-(\d{3})Z$/.exec(text);
  return match ? `${match[1]}T${match[2]}:${match[3]}:${match[4]}.${match[5]}Z` : text;
}

function timeOf(text: unknown): number | null {
  if (typeof text !== 'string' && typeof text !== 'number') return null;
  const ms = typeof text === 'number' ? text : Date.parse(isoFromDashed(text));
  return Number.isFinite(ms) ? ms : null;
}

interface Checkpoint {
  timestamp: string;
  time: number;
  documents: WiseDocument[];
}

/** The newest checkpoint whose meta and every segment parse and whose documents number `documentCount`. */
async function readCheckpoint(dir: string, collection: string, problems: string[]): Promise<Checkpoint | null> {
  const folder = path.join(dir, '_checkpoints');
  let names: string[];
  try {
    names = await readdir(folder);
  } catch {
    return null;
  }
  const metaPrefix = `${META_PREFIX}${collection}_`;
  const metas = names
    .filter((name) => name.startsWith(metaPrefix) && name.endsWith('.json'))
    .map((name) => ({ name, stamp: name.slice(metaPrefix.length, -'.json'.length) }))
    .sort((a, b) => (a.stamp < b.stamp ? 1 : a.stamp > b.stamp ? -1 : 0));
  for (const { name, stamp } of metas) {
    const fail = (why: string) => problems.push(`checkpoint ${name}: ${why}; an older checkpoint was tried`);
    let meta: unknown;
    try {
      meta = JSON.parse(await readFile(path.join(folder, name), 'utf8'));
    } catch (error) {
      fail(`the meta file does not parse (${(error as Error).message})`);
      continue;
    }
    const time = isRecord(meta) ? timeOf(meta.timestamp) : null;
    if (!isRecord(meta) || time === null) {
      fail('the meta file has no timestamp');
      continue;
    }
    const expected = typeof meta.documentCount === 'number' ? meta.documentCount : null;
    const segmentPrefix = `${DATA_PREFIX}${collection}_${stamp}_seg`;
    const segments = names
      .filter((file) => file.startsWith(segmentPrefix) && file.endsWith('.json'))
      .map((file) => ({ file, index: Number(file.slice(segmentPrefix.length, -'.json'.length)) }))
      .filter(({ index }) => Number.isInteger(index))
      .sort((a, b) => a.index - b.index);
    const documents: WiseDocument[] = [];
    let damaged: string | null = null;
    for (const { file } of segments) {
      try {
        const parsed: unknown = JSON.parse(await readFile(path.join(folder, file), 'utf8'));
        if (!Array.isArray(parsed)) throw new Error('not an array');
        for (const doc of parsed) if (isRecord(doc) && typeof doc._id === 'string') documents.push(doc as WiseDocument);
      } catch (error) {
        damaged = `segment ${file} does not parse (${(error as Error).message})`;
        break;
      }
    }
    if (damaged) {
      fail(damaged);
      continue;
    }
    if (expected !== null && documents.length !== expected) {
      fail(`its segments hold ${documents.length} documents, the meta file says ${expected}`);
      continue;
    }
    return { timestamp: new Date(time).toISOString(), time, documents };
  }
  return null;
}

interface LogLine {
  number: number;
  entry: Record<string, unknown>;
}

function plainTime(entry: Record<string, unknown>): number | null {
  const doc = entry.doc as Record<string, unknown> | undefined;
  const docs = entry.docs as Array<Record<string, unknown>> | undefined;
  const data = entry.data as Record<string, unknown> | undefined;
  return timeOf(doc?.updatedAt) ?? timeOf(Array.isArray(docs) ? docs[0]?.updatedAt : undefined) ?? timeOf(data?.updatedAt) ?? timeOf(entry.ts);
}

function newId(): string {
  return randomBytes(8).toString('hex');
}

/** Reads one collection folder: the newest good checkpoint, the log over it, expired documents dropped. */
export async function readCollection(folder: string, collection: string, now = Date.now()): Promise<CollectionRead> {
  const dir = path.join(folder, collection);
  const problems: string[] = [];
  const checkpoint = await readCheckpoint(dir, collection, problems);
  const docs = new Map<string, WiseDocument>();
  for (const doc of checkpoint?.documents ?? []) docs.set(doc._id, doc);
  if (!checkpoint && problems.length > 0) problems.push('no checkpoint was readable: only the log was replayed');

  const logFile = path.join(dir, `wal_${collection}.log`);
  let text = '';
  try {
    text = await readFile(logFile, 'utf8');
  } catch {
    // no log: the checkpoint is everything
  }
  const lines: LogLine[] = [];
  const rawLines = text.split('\n');
  rawLines.forEach((raw, index) => {
    if (raw.trim() === '') return;
    try {
      const entry: unknown = JSON.parse(raw);
      if (!isRecord(entry)) throw new Error('not an object');
      lines.push({ number: index + 1, entry });
    } catch {
      const last = rawLines.slice(index + 1).every((rest) => rest.trim() === '');
      problems.push(
        `wal_${collection}.log line ${index + 1} ${last ? 'is cut off (the original stopped while writing it)' : 'does not parse'}; skipped: ${JSON.stringify(raw.slice(0, 120))}`,
      );
    }
  });

  const after = checkpoint?.time ?? -Infinity;
  let applied = 0;
  let older = 0;

  // plain entries, in file order; timeless ones (REMOVE, CLEAR) take a neighbour's time (see the header)
  const plain = lines.filter(({ entry }) => typeof entry.op === 'string');
  const times = plain.map(({ entry }) => plainTime(entry));
  const firstTimed = times.find((time) => time !== null) ?? null;
  let previous: number | null = null;
  plain.forEach(({ entry, number }, index) => {
    const own = times[index];
    const time = own ?? previous ?? firstTimed;
    if (own !== null) previous = own;
    if (time !== null && time <= after) {
      older++;
      return;
    }
    applied++;
    const op = entry.op;
    if (op === 'INSERT' && isRecord(entry.doc) && typeof entry.doc._id === 'string') docs.set(entry.doc._id, entry.doc as WiseDocument);
    else if (op === 'BATCH_INSERT' && Array.isArray(entry.docs)) {
      for (const doc of entry.docs) if (isRecord(doc) && typeof doc._id === 'string') docs.set(doc._id, doc as WiseDocument);
    } else if (op === 'UPDATE' && typeof entry.id === 'string' && isRecord(entry.data)) {
      const current = docs.get(entry.id);
      if (current) docs.set(entry.id, { ...current, ...entry.data, _id: entry.id });
    } else if (op === 'REMOVE' && typeof entry.id === 'string') docs.delete(entry.id);
    else if (op === 'CLEAR') docs.clear();
    else {
      applied--;
      problems.push(`wal_${collection}.log line ${number}: unknown operation ${JSON.stringify(op)}; skipped`);
    }
  });

  // transactions: the ops of each committed one whose commit is newer than the checkpoint, in commit order
  const open = new Map<string, LogLine[]>();
  for (const line of lines) {
    const { entry } = line;
    if (entry.txn === 'start' && typeof entry.id === 'string') open.set(entry.id, []);
    else if (entry.txn === 'op' && typeof entry.txid === 'string') {
      if (!open.has(entry.txid)) open.set(entry.txid, []);
      open.get(entry.txid)!.push(line);
    } else if (entry.txn === 'commit' && typeof entry.id === 'string') {
      const ops = open.get(entry.id) ?? [];
      open.delete(entry.id);
      const commitTime = timeOf(entry.ts);
      if (commitTime !== null && commitTime <= after) {
        older += ops.length + 2;
        continue;
      }
      const stamp = commitTime === null ? new Date(now).toISOString() : new Date(commitTime).toISOString();
      for (const op of ops) applyTransactionOp(docs, op, entry.id, stamp, collection, problems);
      applied += ops.length + 2;
    }
  }
  for (const [id, ops] of open) {
    problems.push(`transaction ${id} (${ops.length} operation(s)) has no commit line in wal_${collection}.log: it never happened, skipped`);
  }

  let expired = 0;
  for (const [id, doc] of docs) {
    const expireAt = timeOf(doc.expireAt);
    const created = timeOf(doc.createdAt);
    const ttl = typeof doc.ttl === 'number' ? doc.ttl : null;
    if ((expireAt !== null && expireAt < now) || (created !== null && ttl !== null && created + ttl < now)) {
      docs.delete(id);
      expired++;
    }
  }

  return {
    collection,
    documents: [...docs.values()],
    checkpoint: checkpoint?.timestamp ?? null,
    checkpointDocuments: checkpoint?.documents.length ?? 0,
    logLinesApplied: applied,
    logLinesAlreadyInCheckpoint: older,
    problems,
    expired,
  };
}

/** One operation of a committed transaction, as the original's connector wrote it. */
function applyTransactionOp(
  docs: Map<string, WiseDocument>,
  { entry, number }: LogLine,
  txid: string,
  stamp: string,
  collection: string,
  problems: string[],
): void {
  if (typeof entry.col === 'string' && entry.col !== collection) return; // another collection's part
  const args = Array.isArray(entry.args) ? entry.args : [];
  const insert = (value: unknown) => {
    if (!isRecord(value)) return;
    const doc = { ...value } as WiseDocument;
    if (typeof doc._id !== 'string') doc._id = newId();
    doc.createdAt ??= stamp;
    doc.updatedAt ??= stamp;
    doc._txn = txid;
    docs.set(doc._id, doc);
  };
  switch (entry.type) {
    case 'clear':
      docs.clear();
      return;
    case 'insert':
      insert(args[0]);
      return;
    case 'insertMany':
      if (Array.isArray(args[0])) for (const doc of args[0]) insert(doc);
      return;
    case 'update': {
      const current = typeof args[0] === 'string' ? docs.get(args[0]) : undefined;
      if (current && isRecord(args[1])) docs.set(current._id, { ...current, ...args[1], _id: current._id, updatedAt: stamp, _txn: txid });
      return;
    }
    case 'remove':
      if (typeof args[0] === 'string') docs.delete(args[0]);
      return;
    default:
      problems.push(`wal_${collection}.log line ${number}: unknown transaction operation ${JSON.stringify(entry.type)}; skipped`);
  }
}
