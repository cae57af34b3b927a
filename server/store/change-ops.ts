// A commit as what changed, not as whole states: the write-ahead log line of a sale that changes one product
// of 50,000 holds that product, not the catalogue.
//
// The operations are absolute, so replaying them is idempotent in the way the log needs: after a crash the
// connector file may already hold some of the logged commits (a checkpoint saved it, then the host died
// before removing the log), and applying those commits' operations again, in order, ends in the same state.
//   { p, set }            the value at path p (containers created as needed)
//   { p, del: true }      no key at path p
//   { p, key, upsert }    in the array at p: each item replaces the item with the same key, or is appended
//   { p, key, remove }    in the array at p: no items with these keys
// Arrays whose items do not all carry a unique key, or whose surviving items were reordered or had new
// items inserted before them, are written whole (`set`).
import { copyAsJson, isPlainRecord } from './json-value.js';

export type Path = Array<string | number>;
export type ItemKey = string | number;

export type ChangeOp =
  | { p: Path; set: unknown }
  | { p: Path; del: true }
  | { p: Path; key: string; upsert: unknown[] }
  | { p: Path; key: string; remove: ItemKey[] };

type Rec = Record<string, unknown>;

function keyOfItem(item: unknown, key: string): ItemKey | undefined {
  if (!isPlainRecord(item)) return undefined;
  const value = item[key];
  return typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)) ? value : undefined;
}

// Where each key sits in an array the store holds. Store states are never changed in place, so an index
// stays right for its array object for as long as that array lives.
const keyIndexes = new WeakMap<readonly unknown[], { key: string; index: Map<ItemKey, number> | null }>();

/** key → position in `list`, or null when an item lacks the key or two items share one. */
export function keyIndex(list: readonly unknown[], key: string): Map<ItemKey, number> | null {
  const known = keyIndexes.get(list);
  if (known?.key === key) return known.index;
  let index: Map<ItemKey, number> | null = new Map();
  for (let i = 0; i < list.length; i++) {
    const k = keyOfItem(list[i], key);
    if (k === undefined || index.has(k)) {
      index = null;
      break;
    }
    index.set(k, i);
  }
  keyIndexes.set(list, { key, index });
  return index;
}

/** Which field keys the items of an array: the connector's declared key, else `id`. */
export interface DiffOptions {
  itemKey: string;
}

/**
 * The operations that turn `prev` into `next`, comparing by identity first: parts `next` shares with `prev`
 * (what copy-on-write left untouched) cost nothing. Null when `prev` is not a plain object (the whole state
 * is then written as one `set` at the root by the caller).
 */
export function diffStates(prev: unknown, next: unknown, options: DiffOptions): ChangeOp[] {
  const ops: ChangeOp[] = [];
  diffValue(prev, next, [], ops, options);
  return ops;
}

function diffValue(prev: unknown, next: unknown, path: Path, ops: ChangeOp[], options: DiffOptions): void {
  if (prev === next) return;
  if (isPlainRecord(prev) && isPlainRecord(next)) {
    for (const key of Object.keys(prev)) if (!Object.hasOwn(next, key)) ops.push({ p: [...path, key], del: true });
    for (const key of Object.keys(next)) {
      if (!Object.hasOwn(prev, key)) ops.push({ p: [...path, key], set: next[key] });
      else diffValue(prev[key], next[key], [...path, key], ops, options);
    }
    return;
  }
  if (Array.isArray(prev) && Array.isArray(next)) {
    const keyed = diffKeyedArray(prev, next, path, options.itemKey);
    if (keyed) ops.push(...keyed);
    else ops.push({ p: path, set: next });
    return;
  }
  if (Object.is(prev, next)) return;
  ops.push({ p: path, set: next });
}

/** Keyed operations for an array, or null when they cannot describe the change (then it is written whole). */
function diffKeyedArray(prev: readonly unknown[], next: readonly unknown[], path: Path, key: string): ChangeOp[] | null {
  if (prev.length === 0 && next.length === 0) return [];
  const index = keyIndex(prev, key);
  if (!index) return null;
  const quick = replacedOrAppended(prev, next, index, key);
  if (quick) return quick.length === 0 ? [] : [{ p: path, key, upsert: quick }];
  const kept = new Uint8Array(prev.length);
  const upsert: unknown[] = [];
  const added = new Set<ItemKey>();
  let lastKept = -1;
  for (const item of next) {
    const k = keyOfItem(item, key);
    if (k === undefined) return null;
    const at = index.get(k);
    if (at === undefined) {
      if (added.has(k)) return null;
      added.add(k);
      upsert.push(item);
      continue;
    }
    // a kept item after an added one, or out of its old order: not expressible as appends and replaces
    if (added.size > 0 || at <= lastKept) return null;
    lastKept = at;
    kept[at] = 1;
    if (item !== prev[at]) upsert.push(item);
  }
  const remove: ItemKey[] = [];
  for (let i = 0; i < prev.length; i++) if (!kept[i]) remove.push(keyOfItem(prev[i], key) as ItemKey);
  // a change that touches most of a small array is shorter written whole
  if (upsert.length + remove.length > 8 && (upsert.length + remove.length) * 2 > next.length) return null;
  const ops: ChangeOp[] = [];
  if (remove.length > 0) ops.push({ p: path, key, remove });
  if (upsert.length > 0) ops.push({ p: path, key, upsert });
  return ops;
}

/** `state.items[3].name`: a path as messages show it. */
export function describePath(path: Path): string {
  let text = 'state';
  for (const segment of path) {
    text += typeof segment === 'number' ? `[${segment}]` : /^[A-Za-z_$][\w$]*$/.test(segment) ? `.${segment}` : `[${JSON.stringify(segment)}]`;
  }
  return text;
}

/**
 * The common cases by identity alone (a reference comparison per item, no key lookups): items replaced in
 * place, and items added at the end. The changed and added items, or null for any other change.
 */
function replacedOrAppended(prev: readonly unknown[], next: readonly unknown[], index: Map<ItemKey, number>, key: string): unknown[] | null {
  if (next.length < prev.length) return null;
  const changed: unknown[] = [];
  for (let i = 0; i < prev.length; i++) {
    const item = next[i];
    if (item === prev[i]) continue;
    const k = keyOfItem(item, key);
    if (k === undefined || k !== keyOfItem(prev[i], key)) return null;
    changed.push(item);
  }
  const added = new Set<ItemKey>();
  for (let i = prev.length; i < next.length; i++) {
    const k = keyOfItem(next[i], key);
    if (k === undefined || index.has(k) || added.has(k)) return null;
    added.add(k);
    changed.push(next[i]);
  }
  return changed;
}

/** Checks and copies the values an operation carries (they become part of the stored state). */
export function copyOpValues(ops: ChangeOp[], where: string): ChangeOp[] {
  return ops.map((op) => {
    if ('set' in op) return { p: op.p, set: copyAsJson(op.set, where, describePath(op.p)) };
    if ('upsert' in op) {
      const at = describePath(op.p);
      const upsert = op.upsert.map((item) => copyAsJson(item, where, `${at}[${op.key}=${JSON.stringify(keyOfItem(item, op.key))}]`));
      return { p: op.p, key: op.key, upsert };
    }
    return op;
  });
}

// --- applying -----------------------------------------------------------------------------------

/**
 * Applies operations to `state` and returns the result. Immutable (the default): `state` is untouched and
 * shares everything the operations do not touch. Mutable (replay at start): changes `state` in place.
 */
export function applyOps(state: unknown, ops: readonly ChangeOp[], options: { mutable?: boolean } = {}): unknown {
  const mutable = options.mutable === true;
  let root = state;
  const made: object[] = [];
  for (const op of ops) root = applyOp(root, op, mutable, made);
  if (!mutable) {
    // Immutable results are frozen whole: the copies made along the paths, and the values the operations
    // carry (what they share with `state` is frozen already, see the store's states).
    for (const container of made) Object.freeze(container);
    for (const op of ops) deepFreeze('set' in op ? op.set : 'upsert' in op ? op.upsert : undefined);
  }
  return root;
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  Object.freeze(value);
  if (Array.isArray(value)) for (let i = 0; i < value.length; i++) deepFreeze(value[i]);
  else for (const key of Object.keys(value)) deepFreeze((value as Rec)[key]);
}

function copyOf(value: unknown, mutable: boolean, made?: object[]): unknown {
  if (mutable) return value;
  // (spread, not slice: V8 copies a frozen array ~6× faster that way)
  const copy = Array.isArray(value) ? [...value] : isPlainRecord(value) ? { ...value } : value;
  if (copy !== value && made) made.push(copy as object);
  return copy;
}

/** The container at `path` inside `root` (copied along the way unless mutable), created where missing. */
function applyOp(root: unknown, op: ChangeOp, mutable: boolean, made: object[]): unknown {
  if (op.p.length === 0) {
    if ('set' in op) return op.set;
    if ('del' in op) return undefined;
    return remember(applyToArray(Array.isArray(root) ? root : [], op, mutable), mutable, made);
  }
  const top: unknown = isPlainRecord(root) || Array.isArray(root) ? copyOf(root, mutable, made) : remember({}, mutable, made);
  let parent = top as Rec;
  for (let i = 0; i < op.p.length - 1; i++) {
    const segment = op.p[i];
    const child = parent[segment];
    const next = isPlainRecord(child) || Array.isArray(child) ? copyOf(child, mutable, made) : remember({}, mutable, made);
    parent[segment] = next;
    parent = next as Rec;
  }
  const last = op.p[op.p.length - 1];
  if ('set' in op) parent[last] = op.set;
  else if ('del' in op) {
    if (Array.isArray(parent)) parent.splice(Number(last), 1);
    else delete parent[last];
  } else {
    const current = parent[last];
    parent[last] = remember(applyToArray(Array.isArray(current) ? current : [], op, mutable), mutable, made);
  }
  return top;
}

function remember<T>(value: T, mutable: boolean, made: object[]): T {
  if (!mutable && value !== null && typeof value === 'object') made.push(value as object);
  return value;
}

/** Keyed operations on an array; immutable unless `mutable`. The key index of `original` is reused. */
function applyToArray(original: unknown[], op: ChangeOp, mutable: boolean): unknown[] {
  if ('remove' in op) {
    const gone = new Set(op.remove);
    const kept = original.filter((item) => !gone.has(keyOfItem(item, op.key) as ItemKey));
    if (!mutable) return kept;
    original.length = 0;
    original.push(...kept);
    return original;
  }
  if (!('upsert' in op)) return original;
  const list = mutable ? original : [...original];
  // where each key is (the stored array's index when it has one: no walk over a large array per sale)
  let at = mutable ? null : keyIndex(original, op.key);
  const indexed = at !== null;
  let shared = indexed;
  let allKeyed = true;
  if (!at) {
    at = new Map();
    for (let i = 0; i < list.length; i++) {
      const k = keyOfItem(list[i], op.key);
      if (k !== undefined && !at.has(k)) at.set(k, i);
    }
  }
  for (const item of op.upsert) {
    const k = keyOfItem(item, op.key);
    if (k === undefined) allKeyed = false;
    const i = k === undefined ? undefined : at.get(k);
    if (i !== undefined) {
      list[i] = item;
      continue;
    }
    if (k !== undefined) {
      if (shared) {
        at = new Map(at); // the original's index stays the original's
        shared = false;
      }
      at.set(k, list.length);
    }
    list.push(item);
  }
  // the new array's index: replaced items keep their places, appended ones were added above
  if (indexed && allKeyed) keyIndexes.set(list, { key: op.key, index: at });
  return list;
}

/** A checked list of operations from a log line, or null when it is not one. */
export function isChangeOps(value: unknown): value is ChangeOp[] {
  if (!Array.isArray(value)) return false;
  return value.every(
    (op) =>
      isPlainRecord(op) &&
      Array.isArray(op.p) &&
      op.p.every((segment) => typeof segment === 'string' || typeof segment === 'number') &&
      ('set' in op ||
        op.del === true ||
        (typeof op.key === 'string' && (Array.isArray(op.upsert) || Array.isArray(op.remove)))),
  );
}
