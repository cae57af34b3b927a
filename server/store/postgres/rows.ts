// How a state is laid out in rows. A whole-state connector whose state is an object with an `items`
// array keeps each item as a row of serverokey_items (keyed by position), and the rest of the object in
// serverokey_state.state with `items: null` holding its place (so the keys read back in their order). A
// commit writes only the item rows whose JSON changed, the rows added, and deletes the rows cut off: adding
// a sale to 10,000 products writes one row, not the 10,000. Any other state is one value in
// serverokey_state.state.
import type { JsonValue } from '../types.js';
import { isPlainRecord } from '../json-value.js';

export interface SplitState {
  /** what serverokey_state.state holds */
  head: JsonValue;
  /** the items as rows, or null when the state is stored whole */
  items: JsonValue[] | null;
}

export function splitState(state: JsonValue): SplitState {
  if (!isPlainRecord(state) || !Array.isArray(state.items)) return { head: state, items: null };
  const head: Record<string, JsonValue> = {};
  for (const key of Object.keys(state)) {
    if (key === '__proto__') Object.defineProperty(head, key, { value: state[key], enumerable: true, writable: true, configurable: true });
    else head[key] = key === 'items' ? null : (state[key] as JsonValue);
  }
  return { head, items: state.items as JsonValue[] };
}

/** The state again from its head and item rows (a new object; the head is not changed). */
export function joinState(head: JsonValue, items: JsonValue[] | null): JsonValue {
  if (items === null) return head;
  const state = isPlainRecord(head) ? { ...head } : {};
  (state as Record<string, JsonValue>).items = items;
  return state;
}

export interface ItemWrites {
  /** positions to insert or overwrite, with their JSON text */
  upsert: { positions: number[]; texts: string[] };
  /** rows from this position on are deleted (null: none) */
  deleteFrom: number | null;
}

/**
 * The item rows to write to go from `before` (the JSON texts of the stored rows) to `after`: positions
 * whose JSON differs or that are new, and where to cut off. Removing an item from the middle shifts
 * (rewrites) the ones after it; appends and in-place edits, the usual writes, touch only their own row.
 */
export function diffItems(before: readonly string[], after: readonly string[]): ItemWrites {
  const positions: number[] = [];
  const texts: string[] = [];
  for (let index = 0; index < after.length; index++) {
    if (index >= before.length || before[index] !== after[index]) {
      positions.push(index);
      texts.push(after[index]);
    }
  }
  return { upsert: { positions, texts }, deleteFrom: after.length < before.length ? after.length : null };
}

/**
 * The JSON text of every item object this store holds: frozen objects, so the text stays right for as long as
 * the object lives. A commit that changes one item of 50,000 shares the other 49,999 with the state it was
 * built on (copy-on-write drafts), so it copies and stringifies only the one; an object found here is one the
 * store made itself (copied from a commit or parsed from the database), so it needs no check either.
 */
const storedTexts = new WeakMap<object, string>();

/** The items' JSON texts, each computed once per item object. */
export function itemTexts(items: readonly JsonValue[]): string[] {
  return items.map((item) => (item !== null && typeof item === 'object' ? storedTexts.get(item) : undefined) ?? JSON.stringify(item));
}

/**
 * The JSON texts of a committed list of items, and the positions whose text was not known (those to
 * remember once stored). `base`: the stored version the commit was built on; an item that is still the same
 * object at the same position keeps its text without a look-up (most of 50,000, for a commit of one).
 */
export function commitTexts(items: readonly JsonValue[], base: { items: readonly JsonValue[]; texts: readonly string[] } | null): { texts: string[]; fresh: number[] } {
  const texts = new Array<string>(items.length);
  const fresh: number[] = [];
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    if (base && base.items[index] === item && index < base.texts.length) {
      texts[index] = base.texts[index];
      continue;
    }
    const known = item !== null && typeof item === 'object' ? storedTexts.get(item) : undefined;
    if (known !== undefined) texts[index] = known;
    else {
      texts[index] = JSON.stringify(item);
      fresh.push(index);
    }
  }
  return { texts, fresh };
}

/** Remembers the texts of items now stored (all, or only those at `positions`); only frozen objects, which never change. */
export function rememberItems(items: readonly JsonValue[], texts: readonly string[], positions?: readonly number[]): void {
  const remember = (index: number) => {
    const item = items[index];
    if (item !== null && typeof item === 'object' && Object.isFrozen(item)) storedTexts.set(item, texts[index]);
  };
  if (positions) for (const index of positions) remember(index);
  else for (let index = 0; index < items.length; index++) remember(index);
}

/** An item the store made itself and froze: already plain JSON (a commit reuses it instead of copying it). */
export function isStoredItem(item: unknown): boolean {
  return item !== null && typeof item === 'object' && storedTexts.has(item);
}

/** Rows written after the copy's version, as the database returns them: [position, item]. */
export type ChangedRows = Array<[number, JsonValue]>;

/**
 * The items of a newer version from the items of an older one and the rows written since (row-level
 * invalidation): `count` items, the unchanged ones shared with `before`. Null when a position is neither
 * (cannot happen while every write stamps its rows; the caller then loads the whole state).
 */
export function mergeRows(
  before: { items: readonly JsonValue[]; texts: readonly string[] },
  changed: ChangedRows,
  count: number,
): { items: JsonValue[]; texts: string[] } | null {
  const items = before.items.slice(0, count) as JsonValue[];
  const texts = before.texts.slice(0, count);
  items.length = count;
  texts.length = count;
  for (const [position, item] of changed) {
    if (position < 0 || position >= count) continue;
    items[position] = item;
    texts[position] = JSON.stringify(item);
  }
  for (let index = before.items.length; index < count; index++) if (texts[index] === undefined) return null;
  return { items, texts };
}
