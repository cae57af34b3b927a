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

export function itemTexts(items: readonly JsonValue[]): string[] {
  return items.map((item) => JSON.stringify(item));
}
