// The in-memory index of one journal file, for queries beyond the records readers keep (`view.last`):
// where each record starts in the file, and for each of the connector's `index` fields which records hold
// each value. It is built by one streaming scan of the file (a chunk at a time, never the whole file in
// memory), started in the background when the journal is loaded, and extended from where it stopped by
// every later query, so an append costs nothing until someone asks. Each field is dictionary-coded: a
// record costs 8 bytes for where it starts and 4 per field, the distinct values are kept once. A query then costs the records it matches in memory and the
// page's records read from disk: a day's page of a 100,000-sale journal reads 50 lines, not the file.
//
// Records the store holds as durable but the file does not yet (they are in the write-ahead log until
// the next checkpoint) are handed in by the caller (the journal kind keeps them until they are appended).
import type { JournalFile } from './journal-file.js';
import {
  conditionsOf,
  fieldValue,
  meets,
  orderOf,
  pageSizeOf,
  pageWindow,
  valueTexts,
  type JournalCondition,
  type JournalPage,
  type JournalQuery,
} from './journal-query.js';

const NEWLINE = 0x0a;
/** How much of the file one step of the scan reads. */
const SCAN_CHUNK_BYTES = 1 << 20;

/** A record whose field holds no comparable value (missing, null, an object). */
const NONE = -1;
/** A record whose field holds a list: its codes are in `lists`. */
const LIST = -2;

/** One indexed field, dictionary-coded. */
class FieldIndex {
  /** the value's text (what equality compares) → its code */
  readonly codeOf = new Map<string, number>();
  /** code → the value as first stored (ranges compare numbers as numbers) */
  readonly values: Array<string | number | boolean> = [];
  /** code → the records holding it, ascending (one number while there is one record) */
  readonly records: Array<number | number[]> = [];
  /** record → the code of its value, NONE or LIST */
  codes = new Int32Array(1024);
  /** record → its codes, for records whose field holds a list */
  readonly lists = new Map<number, number[]>();

  add(n: number, value: unknown): void {
    if (n >= this.codes.length) {
      const grown = new Int32Array(this.codes.length * 2);
      grown.set(this.codes);
      this.codes = grown;
    }
    if (!Array.isArray(value)) {
      const code = this.codeFor(value, n);
      this.codes[n] = code ?? NONE;
      return;
    }
    const codes = [...new Set(value.map((one) => this.codeFor(one, n)).filter((code): code is number => code !== undefined))];
    if (codes.length === 0) this.codes[n] = NONE;
    else {
      this.codes[n] = LIST;
      this.lists.set(n, codes);
    }
  }

  /** The code of a value (made on first sight), with record n added to its records; undefined: not comparable. */
  private codeFor(value: unknown, n: number): number | undefined {
    const [text] = valueTexts(value);
    if (text === undefined) return undefined;
    let code = this.codeOf.get(text);
    if (code === undefined) {
      code = this.values.length;
      this.codeOf.set(text, code);
      this.values.push(value as string | number | boolean);
      this.records.push(n);
      return code;
    }
    const records = this.records[code];
    if (typeof records === 'number') {
      if (records !== n) this.records[code] = [records, n];
    } else if (records[records.length - 1] !== n) records.push(n);
    return code;
  }

  /** Which codes meet a condition: true at each such code. */
  matching(condition: JournalCondition): Uint8Array {
    const hits = new Uint8Array(this.values.length);
    if (condition.kind === 'equals') {
      for (const text of condition.texts) {
        const code = this.codeOf.get(text);
        if (code !== undefined) hits[code] = 1;
      }
    } else {
      for (let code = 0; code < this.values.length; code++) if (meets(this.values[code], condition)) hits[code] = 1;
    }
    return hits;
  }

  /** Whether record n's value is one of the `hits`. */
  holds(n: number, hits: Uint8Array): boolean {
    const code = this.codes[n];
    if (code >= 0) return hits[code] === 1;
    if (code === LIST) return (this.lists.get(n) as number[]).some((one) => hits[one] === 1);
    return false;
  }

  /** The records holding one of the `hits`, ascending. */
  recordsOf(hits: Uint8Array): number[] {
    const lists: number[][] = [];
    for (let code = 0; code < hits.length; code++) {
      if (hits[code] !== 1) continue;
      const records = this.records[code];
      lists.push(typeof records === 'number' ? [records] : records);
    }
    if (lists.length === 1) return lists[0];
    const merged = lists.flat().sort((a, b) => a - b);
    // a record holding a list can be under several of the values
    return merged.filter((n, i) => i === 0 || merged[i - 1] !== n);
  }

  /** How many records hold one of the `hits` (to choose the condition that drives a query). */
  countOf(hits: Uint8Array): number {
    let total = 0;
    for (let code = 0; code < hits.length; code++) {
      if (hits[code] !== 1) continue;
      const records = this.records[code];
      total += typeof records === 'number' ? 1 : records.length;
    }
    return total;
  }
}

export class JournalIndex {
  /** offsets[i]: where record i starts; offsets[records]: where the scan stopped */
  private offsets = new Float64Array(1024);
  private records = 0;
  private readonly fields = new Map<string, FieldIndex>();
  private catchingUp: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: JournalFile,
    private readonly name: string,
    readonly indexed: readonly string[],
  ) {
    for (const field of indexed) this.fields.set(field, new FieldIndex());
  }

  /**
   * One page of the records 0..count-1 that match `query`. `waiting(n)` gives record n when it is not in
   * the file yet; those are taken before anything else can run, so an append finishing meanwhile cannot
   * move them.
   */
  async query(query: JournalQuery, count: number, waiting: (n: number) => unknown): Promise<JournalPage> {
    const inFile = Math.min(count, this.file.durableExtent().records);
    const tail = new Map<number, unknown>();
    for (let n = inFile; n < count; n++) {
      const record = waiting(n);
      if (record === undefined) throw new Error(`journal "${this.name}": record ${n + 1} is neither in the file nor waiting to be written`);
      tail.set(n, record);
    }
    const conditions = conditionsOf(query.where, this.indexed, this.name);
    const size = pageSizeOf(query.size);
    const order = orderOf(query.order);
    await this.catchUp(inFile);

    // every matching record number, ascending: the indexed ones, then the tail
    const matches = conditions.length === 0 ? null : this.matchInFile(conditions, inFile);
    const tailMatches: number[] = [];
    for (let n = inFile; n < count; n++) {
      const record = tail.get(n);
      if (conditions.every((condition) => meets(fieldValue(record, condition.field), condition))) tailMatches.push(n);
    }
    const fileTotal = matches ? matches.length : inFile;
    const total = fileTotal + tailMatches.length;
    const window = pageWindow(total, query.page, size);
    const at = (position: number): number => {
      if (position >= fileTotal) return tailMatches[position - fileTotal];
      return matches ? matches[position] : position;
    };
    const wanted: number[] = [];
    for (let i = window.skip; i < Math.min(total, window.skip + size); i++) wanted.push(at(order === 'newest' ? total - 1 - i : i));
    const items = await this.readRecords(wanted, inFile, tail);
    return { items, page: window.page, pages: window.pages, total, size };
  }

  /** The record numbers below `limit` that meet every condition, ascending, from the index alone. */
  private matchInFile(conditions: JournalCondition[], limit: number): number[] {
    const tests = conditions.map((condition) => {
      const field = this.fieldOf(condition.field);
      const hits = field.matching(condition);
      return { field, hits, count: field.countOf(hits) };
    });
    // the condition with the fewest records drives; the others are checked on each of them by code
    tests.sort((a, b) => a.count - b.count);
    const [driver, ...others] = tests;
    if (driver.count === 0) return [];
    const matches: number[] = [];
    for (const n of driver.field.recordsOf(driver.hits)) {
      if (n >= limit) break;
      if (others.every(({ field, hits }) => field.holds(n, hits))) matches.push(n);
    }
    return matches;
  }

  private fieldOf(field: string): FieldIndex {
    return this.fields.get(field) as FieldIndex;
  }

  /** Reads the records (by number) from the file, or from the tail for those not in it yet. */
  private async readRecords(numbers: number[], inFile: number, tail: ReadonlyMap<number, unknown>): Promise<unknown[]> {
    const fromFile = numbers.filter((n) => n < inFile);
    // neighbouring records are one read
    const sorted = [...fromFile].sort((a, b) => a - b);
    const ranges: Array<[number, number]> = [];
    const rangeOf = new Map<number, number>();
    for (const n of sorted) {
      const start = this.offsets[n];
      const end = this.offsets[n + 1];
      const last = ranges[ranges.length - 1];
      if (last && last[1] === start) last[1] = end;
      else ranges.push([start, end]);
      rangeOf.set(n, ranges.length - 1);
    }
    const parts = await this.file.readRanges(ranges);
    return numbers.map((n) => {
      if (n >= inFile) return tail.get(n);
      const range = rangeOf.get(n) as number;
      const base = ranges[range][0];
      const text = parts[range].subarray(this.offsets[n] - base, this.offsets[n + 1] - base - 1).toString('utf8');
      return JSON.parse(text) as unknown;
    });
  }

  /** Starts indexing the file's first `count` records in the background (a query waits for what is left). */
  warm(count: number): void {
    this.catchUp(count).catch(() => {}); // a failure is met again, and reported, by the next query
  }

  /** Indexes the file's records up to `count` (one at a time: a query waits for a scan already running). */
  private catchUp(count: number): Promise<void> {
    const run = async () => {
      if (this.records >= count) return;
      const { bytes: end } = this.file.durableExtent();
      if (end < 0) throw new Error(`journal "${this.name}": the file is not loaded yet`);
      let position = this.offsets[this.records];
      while (this.records < count && position < end) {
        const [chunk] = await this.file.readRanges([[position, Math.min(end, position + SCAN_CHUNK_BYTES)]]);
        let lineStart = 0;
        for (let at = chunk.indexOf(NEWLINE); at !== -1 && this.records < count; at = chunk.indexOf(NEWLINE, lineStart)) {
          this.add(JSON.parse(chunk.subarray(lineStart, at).toString('utf8')) as unknown, position + at + 1);
          lineStart = at + 1;
        }
        if (lineStart === 0) throw new Error(`journal "${this.name}": a record longer than ${SCAN_CHUNK_BYTES} bytes at byte ${position}`);
        position += lineStart;
      }
    };
    this.catchingUp = this.catchingUp.then(run, run);
    return this.catchingUp;
  }

  /** Adds the next record, which ends (its newline included) at byte `end`. */
  private add(record: unknown, end: number): void {
    const n = this.records;
    if (n + 2 > this.offsets.length) {
      const grown = new Float64Array(this.offsets.length * 2);
      grown.set(this.offsets);
      this.offsets = grown;
    }
    this.offsets[n + 1] = end;
    for (const [field, index] of this.fields) index.add(n, fieldValue(record, field));
    this.records = n + 1;
  }
}
