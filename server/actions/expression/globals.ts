// The names an expression may use without the scope providing them. `Object` and `Array` are
// facades: the real ones offer ways out of the sandbox (getPrototypeOf, defineProperty, and
// Array.from/of, which construct whatever `this` they are called with).
import { ExpressionError } from './errors.js';
import { forbiddenOwnKey, isProtectedTarget, protectObject } from './guards.js';
import { indexableBase, itemAt, keyedPositionOf, NOT_INDEXED, onListDerived } from '../../store/item-index.js';
import { byteSearchable, SearchTexts } from './search-texts.js';

/** The source is filled in by CompiledExpression.evaluate, which knows which expression ran. */
function helperError(message: string): ExpressionError {
  return new ExpressionError('forbidden', '', message);
}

function refuseProtected(value: unknown, operation: string): void {
  if (isProtectedTarget(value)) throw helperError(`${operation} cannot change built-in objects or functions`);
}

function refuseForbiddenKeys(value: unknown, operation: string): void {
  const key = forbiddenOwnKey(value);
  if (key !== undefined) throw helperError(`${operation}: the key "${key}" is not allowed in expressions`);
}

const objectFacade = protectObject(
  Object.freeze({
    keys: Object.keys,
    values: Object.values,
    entries: Object.entries,
    isFrozen: Object.isFrozen,
    fromEntries(entries: Iterable<readonly [PropertyKey, unknown]>): Record<PropertyKey, unknown> {
      const result = Object.fromEntries(entries);
      refuseForbiddenKeys(result, 'Object.fromEntries');
      return result;
    },
    assign(target: object, ...sources: unknown[]): object {
      refuseProtected(target, 'Object.assign');
      // An own "__proto__" key (JSON.parse makes them) would re-parent the target.
      for (const source of sources) refuseForbiddenKeys(source, 'Object.assign');
      return Object.assign(target, ...sources);
    },
    freeze<T>(value: T): T {
      refuseProtected(value, 'Object.freeze');
      return Object.freeze(value);
    },
  }),
);

/** Behaves like Array (call, `new`, instanceof, isArray/from/of) but its statics ignore `this`. */
function ArrayFacade(...args: unknown[]): unknown[] {
  return Array(...(args as [number]));
}
ArrayFacade.prototype = Array.prototype;
ArrayFacade.isArray = Array.isArray;
ArrayFacade.from = (items: Iterable<unknown> | ArrayLike<unknown>, map?: (value: unknown, index: number) => unknown) =>
  map === undefined ? Array.from(items) : Array.from(items, map);
ArrayFacade.of = (...items: unknown[]) => Array.of(...items);
Object.defineProperty(ArrayFacade, 'name', { value: 'Array' });
Object.freeze(ArrayFacade);

/**
 * `keyed(list, field)`: O(1) lookups of items by a field (`keyed(data.positions.items, 'barcode').get(code)`),
 * from the stored list's index; the first item holding the value, as `find` would give. A field holding a
 * list (`barcodes: ['4600…', '2000…']`) finds the item by any value in it. On a list that is not stored
 * (built by the expression) it walks the list.
 */
function keyed(list: unknown, field: unknown): { get(value: unknown): unknown; has(value: unknown): boolean } {
  if (!Array.isArray(list)) throw helperError(`keyed(list, field): the list is ${list === null ? 'null' : typeof list}, not an array`);
  if (typeof field !== 'string' || field === '') throw helperError('keyed(list, field): the field must be a non-empty string');
  const holds = (item: unknown, value: unknown): boolean => {
    if (item === null || typeof item !== 'object') return false;
    const own = (item as Record<string, unknown>)[field];
    return own === value || (Array.isArray(own) && own.includes(value));
  };
  const get = (value: unknown): unknown => {
    const position = keyedPositionOf(list, field, value);
    if (position !== NOT_INDEXED) return position < 0 ? undefined : itemAt(list, position);
    return list.find((item) => holds(item, value));
  };
  return Object.freeze({ get, has: (value: unknown) => get(value) !== undefined });
}
Object.freeze(keyed);

const PAGE_SIZE_LIMIT = 500;

export interface PageOf {
  items: unknown[];
  /** the page shown, 1-based (a page past the end shows the last one) */
  page: number;
  pages: number;
  /** how many items match */
  total: number;
  size: number;
}

/** Text as searched: lower case, ё as е, runs of spaces as one. */
export function searchText(value: string): string {
  return value.toLowerCase().replaceAll('ё', 'е').replace(/\s+/g, ' ');
}

/** Between the parts of an item's search text: a needle holding it is searched in the whole text. */
const PART_SEPARATOR = '\u0001';

/**
 * What `search` compares for one item: its fields' values (lists flattened), normalised, joined. A part equal
 * to an earlier one is left out (a product's barcode is also in its barcodes), which finds the same items for
 * any needle without the separator: the kept texts are those kept beside a 50,000-product catalogue.
 */
function itemText(item: unknown, fields: readonly string[], whole = false): string {
  if (item === null || typeof item !== 'object') return '';
  const parts: string[] = [];
  for (const field of fields) {
    const value = (item as Record<string, unknown>)[field];
    const values = Array.isArray(value) ? value : [value];
    for (const one of values) {
      if (typeof one !== 'string' && typeof one !== 'number') continue;
      const part = searchText(String(one));
      if (whole || !parts.includes(part)) parts.push(part);
    }
  }
  return parts.join(PART_SEPARATOR);
}

/** The searchable texts of a frozen (stored) list, built once per list and fields (search-texts.ts). */
const searchTexts = new WeakMap<readonly unknown[], Map<string, SearchTexts>>();

function textsOf(list: readonly unknown[], fields: readonly string[]): SearchTexts | null {
  if (!Object.isFrozen(list)) return null;
  let byFields = searchTexts.get(list);
  if (!byFields) {
    byFields = new Map();
    searchTexts.set(list, byFields);
  }
  const key = fields.join('\u0000');
  let texts = byFields.get(key);
  if (!texts) {
    texts = SearchTexts.build(list.length, (position) => itemText(list[position], fields));
    byFields.set(key, texts);
  }
  return texts;
}

// a new version of a stored list keeps its search texts: the unchanged items' are copied, the changed ones' made again
onListDerived((before, after, changed) => {
  const byFields = searchTexts.get(before);
  if (!byFields || searchTexts.has(after)) return;
  const carried = new Map<string, SearchTexts>();
  for (const [key, texts] of byFields) {
    const fields = key.split('\u0000');
    const next = texts.derive(after.length, changed, (position) => itemText(after[position], fields));
    if (next) carried.set(key, next);
  }
  if (carried.size > 0) searchTexts.set(after, carried);
});

function searchOption(value: unknown): { needle: string; fields: string[] } | null {
  if (value === undefined || value === null) return null;
  const { text, fields } = value as { text?: unknown; fields?: unknown };
  if (typeof value !== 'object' || !Array.isArray(fields) || fields.length === 0 || !fields.every((f) => typeof f === 'string' && f !== '')) {
    throw helperError("page(list, options): search is { text, fields: ['name', …] }");
  }
  const needle = searchText(String(text ?? '').trim());
  return needle === '' ? null : { needle, fields: fields as string[] };
}

/**
 * `page(list, { page, size, search, match })`: one page of the items that hold `search.text` in one of
 * `search.fields` (case-insensitive, ё = е; a field holding a list is searched in each value) and that
 * `match` accepts (each optional), with the page count and the total, for lists larger than a screen
 * (50,000 products). A stored list is read where it is (no copy of it is made), its searchable text is
 * kept beside it until it changes, and only the page's own items are handed out.
 */
function page(list: unknown, options: unknown = {}): PageOf {
  if (!Array.isArray(list)) throw helperError(`page(list, options): the list is ${list === null ? 'null' : typeof list}, not an array`);
  if (options === null || typeof options !== 'object') throw helperError('page(list, options): options must be an object { page, size, search, match }');
  const { page: wanted = 1, size: wantedSize = 20, match, search } = options as { page?: unknown; size?: unknown; match?: unknown; search?: unknown };
  if (match !== undefined && match !== null && typeof match !== 'function') throw helperError('page(list, options): match must be a function item => boolean');
  const searching = searchOption(search);
  const size = Math.min(PAGE_SIZE_LIMIT, Math.max(1, Math.floor(Number(wantedSize)) || 20));
  // the store's frozen list (an untouched draft stands for it): reading it copies nothing
  const source = indexableBase(list) ?? list;
  // a needle spanning parts is compared with every part kept (no cached text leaves one out), one the kept
  // texts' bytes cannot answer for with each item's own text
  const whole = searching !== null && searching.needle.includes(PART_SEPARATOR);
  const texts = searching && !whole && byteSearchable(searching.needle) ? textsOf(source, searching.fields) : null;
  const positions: number[] = [];
  const take = (i: number) => {
    if (typeof match !== 'function' || match(source[i], i)) positions.push(i);
  };
  if (searching && texts) texts.eachHolding(searching.needle, take);
  else {
    for (let i = 0; i < source.length; i++) {
      if (searching && !itemText(source[i], searching.fields, whole).includes(searching.needle)) continue;
      take(i);
    }
  }
  const total = positions.length;
  const pages = Math.max(1, Math.ceil(total / size));
  const asked = Math.floor(Number(wanted));
  const current = Number.isFinite(asked) ? Math.min(pages, Math.max(1, asked)) : 1;
  const start = (current - 1) * size;
  const items = positions.slice(start, start + size).map((position) => (source === list ? list[position] : itemAt(list, position)));
  return { items, page: current, pages, total, size };
}
Object.freeze(page);

export const GLOBAL_VALUES: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ['keyed', keyed],
  ['page', page],
  ['Math', protectObject(Math)],
  ['Number', Number],
  ['String', String],
  ['Boolean', Boolean],
  ['Array', ArrayFacade],
  ['Object', objectFacade],
  ['Date', Date],
  ['JSON', protectObject(JSON)],
  ['Set', Set],
  ['Map', Map],
  ['RegExp', RegExp],
  ['Error', Error],
  ['Intl', protectObject(Intl)],
  ['parseInt', parseInt],
  ['parseFloat', parseFloat],
  ['isNaN', isNaN],
  ['isFinite', isFinite],
  ['encodeURIComponent', encodeURIComponent],
  ['decodeURIComponent', decodeURIComponent],
  ['encodeURI', encodeURI],
  ['decodeURI', decodeURI],
  ['undefined', undefined],
  ['NaN', NaN],
  ['Infinity', Infinity],
]);

/** Globals that no scope can redefine, compiled to constants. */
export const CONSTANT_GLOBALS: ReadonlySet<string> = new Set(['undefined', 'NaN', 'Infinity']);

export const EXPRESSION_GLOBALS: ReadonlySet<string> = new Set(GLOBAL_VALUES.keys());

/** `new` works only on these (by identity, so a scope value named Date is not enough). */
export const ALLOWED_CONSTRUCTORS: ReadonlySet<unknown> = new Set<unknown>([
  Date,
  Set,
  Map,
  RegExp,
  Error,
  ArrayFacade,
  Intl.NumberFormat,
  Intl.DateTimeFormat,
  Intl.Collator,
  Intl.PluralRules,
  Intl.RelativeTimeFormat,
  Intl.ListFormat,
]);

export const ALLOWED_CONSTRUCTOR_NAMES =
  'Date, Set, Map, RegExp, Error, Array and the Intl formatters (NumberFormat, DateTimeFormat, Collator, PluralRules, RelativeTimeFormat, ListFormat)';
