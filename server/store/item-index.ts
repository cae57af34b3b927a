// Where each value of a field sits in a list: what makes `keyed(items, 'barcode').get(code)` and
// `items.find(i => i.barcode === code)` O(1) on a 50,000-product catalogue.
//
// Only frozen lists are indexed (the store's states are frozen and replaced, never changed in place), so
// an index stays right for as long as its list lives; it is built on first use and kept beside the list.
import { createDraft, isDraft, isDraftable, original } from 'immer';
import { isPlainRecord } from './json-value.js';

export type FieldValue = string | number;

export interface FieldIndex {
  /** value → position of the first item holding it */
  first: Map<FieldValue, number>;
  /** what kinds of values the field holds (loose == lookups need one kind) */
  kinds: 'string' | 'number' | 'mixed' | 'none';
  /** items whose field holds something else than a string, a number or nothing (loose == cannot use the index) */
  others: number;
  /** for loose == against numbers when the field holds strings: Number(value) → first position */
  numeric?: Map<number, number>;
  /** a field holding a list (a product's barcodes): each string or number in it → first position */
  members: Map<FieldValue, number>;
}

const indexes = new WeakMap<readonly unknown[], Map<string, FieldIndex>>();

function build(list: readonly unknown[], field: string): FieldIndex {
  const first = new Map<FieldValue, number>();
  const members = new Map<FieldValue, number>();
  let strings = 0;
  let numbers = 0;
  let others = 0;
  for (let i = 0; i < list.length; i++) {
    const item = list[i];
    if (!isPlainRecord(item)) {
      if (item !== null && item !== undefined) others++; // a string or number item has no field, but may compare loosely
      continue;
    }
    const value = item[field];
    if (typeof value === 'string') strings++;
    else if (typeof value === 'number') numbers++;
    else {
      if (value !== undefined) others++;
      if (Array.isArray(value)) {
        for (const member of value) {
          if ((typeof member === 'string' || typeof member === 'number') && !members.has(member)) members.set(member, i);
        }
      }
      continue;
    }
    if (!first.has(value)) first.set(value, i);
  }
  const kinds = strings && numbers ? 'mixed' : strings ? 'string' : numbers ? 'number' : 'none';
  return { first, kinds, others, members };
}

/** The index of `field` over a frozen list (null for a list that may still change). */
export function fieldIndex(list: readonly unknown[], field: string): FieldIndex | null {
  if (!Object.isFrozen(list)) return null;
  let byField = indexes.get(list);
  if (!byField) {
    byField = new Map();
    indexes.set(list, byField);
  }
  let index = byField.get(field);
  if (!index) {
    index = build(list, field);
    byField.set(field, index);
  }
  return index;
}

/** Caches other modules keep beside a frozen list (page()'s search texts), carried to a new version of it. */
export type ListCarry = (before: readonly unknown[], after: readonly unknown[], changed: readonly number[]) => void;
const carriers: ListCarry[] = [];

export function onListDerived(carry: ListCarry): void {
  carriers.push(carry);
}

/** Whether an item gives `field` the same place in an index: both records holding the same value (or list of values). */
function sameFieldValue(before: unknown, after: unknown, field: string): boolean {
  if (!isPlainRecord(before) || !isPlainRecord(after)) return false;
  const was = before[field];
  const is = after[field];
  if (was === is) return true;
  if (!Array.isArray(was) || !Array.isArray(is) || was.length !== is.length) return false;
  return was.every((member, index) => member === is[index]);
}

/**
 * A store made `after` from `before` (both frozen), changing only the items at `changed` (positions; new ones
 * included when the list grew): what is kept beside `before` is carried over instead of built again for
 * `after` — an index whose field no changed item touches is the same index (a sale changes a product's stock,
 * not its barcode), and the search texts are copied with the changed items' recomputed. A write of one
 * product of 50,000 then costs its lookups and pages one item, not 50,000.
 */
export function listDerived(before: readonly unknown[], after: readonly unknown[], changed: readonly number[]): void {
  if (before === after || !Object.isFrozen(before) || !Object.isFrozen(after)) return;
  const byField = indexes.get(before);
  if (byField && before.length === after.length && !indexes.has(after)) {
    const carried = new Map<string, FieldIndex>();
    for (const [field, index] of byField) {
      if (changed.every((position) => sameFieldValue(before[position], after[position], field))) carried.set(field, index);
    }
    if (carried.size > 0) indexes.set(after, carried);
  }
  for (const carry of carriers) carry(before, after, changed);
}

// Immer's own per-draft record (a registered symbol, stable across its versions): whether a draft changed,
// and which draft session (scope) it belongs to.
const DRAFT_STATE = Symbol.for('immer-state');
type DraftState = { modified_?: boolean; scope_?: object };
const stateOf = (value: unknown): DraftState | undefined =>
  value !== null && typeof value === 'object' ? (value as Record<symbol, DraftState | undefined>)[DRAFT_STATE] : undefined;

/** Draft sessions whose changes are private and never finished (connectors a route only reads). */
const privateScopes = new WeakSet<object>();

/** Marks a draft (and every draft made from it) as private: an item looked up in it is drafted on its own. */
export function markPrivateDraft(draft: unknown): void {
  const scope = stateOf(draft)?.scope_;
  if (scope) privateScopes.add(scope);
}

/**
 * The item at `position` of `list`, as the list itself would give it. In a private, untouched draft of a
 * large stored list, reading an item through the list would copy the whole list first (that is how the
 * draft keeps its items' drafts); the item gets a draft of its own instead: it can still be changed, and
 * the change stays as private as any change to that connector.
 */
export function itemAt(list: readonly unknown[], position: number): unknown {
  const state = stateOf(list);
  if (state && state.modified_ === false && state.scope_ && privateScopes.has(state.scope_)) {
    const item = (original(list) as readonly unknown[])[position];
    return isDraftable(item) ? createDraft(item as object) : item;
  }
  return list[position];
}

/**
 * The frozen list whose positions are also `list`'s: the list itself when frozen, or the stored list an
 * untouched copy-on-write draft stands for. Null otherwise (then lookups walk the list).
 */
export function indexableBase(list: readonly unknown[]): readonly unknown[] | null {
  if (isDraft(list)) {
    const state = (list as unknown as Record<symbol, { modified_?: boolean } | undefined>)[DRAFT_STATE];
    if (state?.modified_ !== false) return null;
    const base = original(list) as readonly unknown[] | undefined;
    return base && Object.isFrozen(base) ? base : null;
  }
  return Object.isFrozen(list) ? list : null;
}

/** A value the answer does not depend on: no lookup is possible (the caller walks the list). */
export const NOT_INDEXED = Symbol('not indexed');

/**
 * The position of the first item whose `field` equals `value` (=== when strict, == otherwise), -1 when
 * none, or NOT_INDEXED when the index cannot answer that exactly.
 */
export function positionOf(list: readonly unknown[], field: string, value: unknown, strict: boolean): number | typeof NOT_INDEXED {
  const base = indexableBase(list);
  const index = base ? fieldIndex(base, field) : null;
  if (!index) return NOT_INDEXED;
  if (strict) {
    // only a string or a number field is === a string or a number; anything else is looked for by walking
    return typeof value === 'string' || typeof value === 'number' ? (index.first.get(value) ?? -1) : NOT_INDEXED;
  }
  // loose ==: only where it is one exact comparison
  if (index.others > 0 || index.kinds === 'mixed') return NOT_INDEXED;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') return NOT_INDEXED;
  if (index.kinds === 'none') return -1;
  if (index.kinds === 'string' && typeof value === 'string') return index.first.get(value) ?? -1;
  const number = Number(value); // string == number and boolean == anything compare as numbers
  if (Number.isNaN(number)) return -1;
  if (index.kinds === 'number') return index.first.get(number) ?? -1;
  index.numeric ??= numericIndex(index);
  return index.numeric.get(number) ?? -1;
}

function numericIndex(index: FieldIndex): Map<number, number> {
  const numeric = new Map<number, number>();
  for (const [value, position] of index.first) {
    const number = Number(value);
    if (Number.isNaN(number)) continue;
    const known = numeric.get(number);
    if (known === undefined || position < known) numeric.set(number, position);
  }
  return numeric;
}

/**
 * The position of the first item whose `field` is `value` (===) or is a list holding it, -1 when none,
 * or NOT_INDEXED (the caller walks the list): what `keyed(items, 'barcodes').get(code)` answers.
 */
export function keyedPositionOf(list: readonly unknown[], field: string, value: unknown): number | typeof NOT_INDEXED {
  if (typeof value !== 'string' && typeof value !== 'number') return NOT_INDEXED;
  const base = indexableBase(list);
  const index = base ? fieldIndex(base, field) : null;
  if (!index) return NOT_INDEXED;
  const own = index.first.get(value);
  const member = index.members.get(value);
  if (own === undefined) return member ?? -1;
  return member === undefined ? own : Math.min(own, member);
}
