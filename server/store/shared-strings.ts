// Equal strings of a state read from its file made one string. JSON.parse gives every value of more than
// 10 characters a string of its own (V8 shares the shorter ones), so a 50,000-product catalogue kept 50,000
// copies of its 40 category names (~1.9 MB) and every barcode twice, in `barcode` and in `barcodes` (~1.5 MB).
// Strings are values in JavaScript (=== compares text), so sharing one changes nothing but memory.
//
// In the large lists of records of a state (looked for two levels down, as json-text.ts does):
//   - a field whose values repeat (a category, a unit) shares them across records, until it has shown
//     FIELD_VALUES distinct values (a name or a barcode: it is left alone from then on);
//   - within one record, a string in a list field (barcodes) equal to one of the record's own values
//     (barcode) is that value.
import { isPlainRecord } from './json-value.js';

/** Lists shorter than this are left as they are. */
const LARGE_LIST = 1000;
/** A field with more distinct values than this is not shared across records. */
const FIELD_VALUES = 256;
/** Longer strings are not shared across records (rarely repeated, costly to compare). */
const MAX_SHARED_LENGTH = 64;

type Records = Array<Record<string, unknown>>;

/** V8's JSON.parse already shares strings of up to this length. */
const SHARED_BY_V8 = 10;

function shareInList(items: Records): void {
  const pools = new Map<string, Map<string, string> | null>();
  const own: string[] = [];
  for (const item of items) {
    if (!isPlainRecord(item) || Object.isFrozen(item)) continue;
    own.length = 0;
    let lists = false;
    for (const field in item) {
      const value = item[field];
      if (typeof value !== 'string') {
        if (Array.isArray(value)) lists = true;
        continue;
      }
      // (an own "__proto__" from JSON.parse cannot be assigned back; it is left as it is)
      if (value.length > SHARED_BY_V8 && value.length <= MAX_SHARED_LENGTH && field !== '__proto__') {
        let pool = pools.get(field);
        if (pool === undefined) pools.set(field, (pool = new Map()));
        if (pool !== null) {
          const shared = pool.get(value);
          if (shared !== undefined) item[field] = shared;
          else if (pool.size < FIELD_VALUES) pool.set(value, value);
          else pools.set(field, null);
        }
      }
      own.push(item[field] as string);
    }
    if (!lists || own.length === 0) continue;
    for (const field in item) {
      const value = item[field];
      if (!Array.isArray(value) || Object.isFrozen(value)) continue;
      for (let i = 0; i < value.length; i++) {
        const member = value[i];
        if (typeof member !== 'string' || member.length <= SHARED_BY_V8) continue;
        for (const text of own) {
          if (text === member) {
            value[i] = text;
            break;
          }
        }
      }
    }
  }
}

/** Shares equal strings in the large lists of a freshly parsed (not yet frozen) state; returns it. */
export function shareStrings<T>(state: T, depth = 0): T {
  if (Array.isArray(state)) {
    if (state.length >= LARGE_LIST && !Object.isFrozen(state)) shareInList(state as Records);
  } else if (isPlainRecord(state) && depth < 2) {
    for (const child of Object.values(state)) shareStrings(child, depth + 1);
  }
  return state;
}
