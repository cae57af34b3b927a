// One indexed field of a journal's query index (journal-index.ts), laid out for memory: a 100,000-sale
// journal indexed by 8 fields took ~21 MB of heap as a Map of value → array of records per field, most of it
// for fields with nearly one value per record (`id`, `number`, `finalTotal`), where every record cost a
// Map entry, a key string (the number's text) and an array slot (bench/RESULTS.md, issue 16).
//
// Here each field is dictionary-coded without per-value record lists:
//   - per record, the code of its value in the narrowest typed array that holds the codes seen so far
//     (1 byte while a field has < 254 distinct values, as a day or a payment method has; then 2, then 4);
//   - per distinct value, the value as first stored (ranges compare numbers as numbers), and the first and
//     the last record holding it (Int32Arrays);
//   - the value's text → code through an open-addressing hash table of codes (an Int32Array) compared by
//     text, not a Map with a key string per value.
// A query scans the codes from the first to the last record holding one of its values: a day's sales are
// one stretch of a journal written in order, and a unique value (a receipt number) is one record.
import { meets, valueTexts, type JournalCondition } from './journal-query.js';

/** Stored code of a record whose field holds no comparable value (missing, null, an object). */
const NONE = 0;
/** Stored code of a record whose field holds a list: its codes are in `lists`. */
const LIST = 1;
/** A value's code is stored as code + FIRST_CODE. */
const FIRST_CODE = 2;

type CodeArray = Uint8Array | Uint16Array | Uint32Array;

/** What one condition selects in one field. */
export interface FieldMatch {
  /** true at each code whose value meets the condition */
  readonly hits: Uint8Array;
  /** the first and the last record holding one of the hit values (from > to: none) */
  readonly from: number;
  readonly to: number;
}

/** The text equality compares (valueTexts' rule for one scalar). */
function textOf(value: string | number | boolean): string {
  return typeof value === 'string' ? value : String(value);
}

/** FNV-1a over the text's UTF-16 code units. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

function grownInt32(array: Int32Array<ArrayBuffer>, atLeast: number): Int32Array<ArrayBuffer> {
  if (atLeast <= array.length) return array;
  const grown = new Int32Array(Math.max(atLeast, array.length * 2));
  grown.set(array);
  return grown;
}

export class JournalFieldIndex {
  /** record → stored code (NONE, LIST or code + FIRST_CODE) */
  private codes: CodeArray = new Uint8Array(1024);
  /** record → its codes, for records whose field holds a list */
  private readonly lists = new Map<number, number[]>();
  /** code → the value as first stored */
  private readonly values: Array<string | number | boolean> = [];
  /** code → the first and the last record holding it */
  private firsts = new Int32Array(256);
  private lasts = new Int32Array(256);
  /** hash slots: code + 1, 0 when empty; a power of two, at most half full */
  private slots = new Int32Array(512);

  /** How many distinct values the field has. */
  get distinct(): number {
    return this.values.length;
  }

  /** Records `value` as record n's (records are added in order, each once). */
  add(n: number, value: unknown): void {
    this.reserve(n);
    if (!Array.isArray(value)) {
      const code = this.codeFor(value, n);
      this.codes[n] = code === undefined ? NONE : code + FIRST_CODE;
      return;
    }
    const codes = [...new Set(value.map((one) => this.codeFor(one, n)).filter((code): code is number => code !== undefined))];
    if (codes.length === 0) this.codes[n] = NONE;
    else {
      this.codes[n] = LIST;
      this.lists.set(n, codes);
    }
  }

  /** The codes that meet a condition, and the stretch of records holding them. */
  match(condition: JournalCondition): FieldMatch {
    const hits = new Uint8Array(this.values.length);
    let from = Infinity;
    let to = -1;
    const hit = (code: number) => {
      hits[code] = 1;
      from = Math.min(from, this.firsts[code]);
      to = Math.max(to, this.lasts[code]);
    };
    if (condition.kind === 'equals') {
      for (const text of condition.texts) {
        const code = this.find(text);
        if (code !== undefined) hit(code);
      }
    } else {
      for (let code = 0; code < this.values.length; code++) if (meets(this.values[code], condition)) hit(code);
    }
    return { hits, from: to < 0 ? 0 : from, to };
  }

  /** Whether record n's value is one of the `hits`. */
  holds(n: number, hits: Uint8Array): boolean {
    const stored = this.codes[n];
    if (stored >= FIRST_CODE) return hits[stored - FIRST_CODE] === 1;
    if (stored === LIST) return (this.lists.get(n) as number[]).some((one) => hits[one] === 1);
    return false;
  }

  /** The code of a value's text, if some record holds it. */
  private find(text: string): number | undefined {
    const mask = this.slots.length - 1;
    for (let slot = hashOf(text) & mask; ; slot = (slot + 1) & mask) {
      const entry = this.slots[slot];
      if (entry === 0) return undefined;
      if (textOf(this.values[entry - 1]) === text) return entry - 1;
    }
  }

  /** The code of a value (made on first sight), with record n noted as holding it; undefined: not comparable. */
  private codeFor(value: unknown, n: number): number | undefined {
    const [text] = valueTexts(value);
    if (text === undefined) return undefined;
    const mask = this.slots.length - 1;
    let slot = hashOf(text) & mask;
    for (; this.slots[slot] !== 0; slot = (slot + 1) & mask) {
      const code = this.slots[slot] - 1;
      if (textOf(this.values[code]) === text) {
        this.lasts[code] = n;
        return code;
      }
    }
    const code = this.values.length;
    this.values.push(value as string | number | boolean);
    this.firsts = grownInt32(this.firsts, code + 1);
    this.lasts = grownInt32(this.lasts, code + 1);
    this.firsts[code] = n;
    this.lasts[code] = n;
    this.slots[slot] = code + 1;
    if (this.values.length * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    this.widen(code + FIRST_CODE);
    return code;
  }

  private rehash(size: number): void {
    const slots = new Int32Array(size);
    const mask = size - 1;
    for (let code = 0; code < this.values.length; code++) {
      let slot = hashOf(textOf(this.values[code])) & mask;
      while (slots[slot] !== 0) slot = (slot + 1) & mask;
      slots[slot] = code + 1;
    }
    this.slots = slots;
  }

  /** Room for record n. */
  private reserve(n: number): void {
    if (n < this.codes.length) return;
    const grown = new (this.codes.constructor as new (length: number) => CodeArray)(Math.max(n + 1, this.codes.length * 2));
    grown.set(this.codes);
    this.codes = grown;
  }

  /** A wider code array once `stored` does not fit the current one. */
  private widen(stored: number): void {
    if (stored <= 0xff || (stored <= 0xffff && !(this.codes instanceof Uint8Array)) || this.codes instanceof Uint32Array) return;
    const wider = stored <= 0xffff ? new Uint16Array(this.codes.length) : new Uint32Array(this.codes.length);
    wider.set(this.codes);
    this.codes = wider;
  }
}
