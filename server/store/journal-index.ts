// The in-memory index of one journal file, for queries beyond the records readers keep (`view.last`):
// where each record starts in the file, and for each of the connector's `index` fields which records hold
// each value. It is built by one streaming scan of the file the first time it is queried (a chunk at a
// time, never the whole file in memory) and extended from where it stopped by every later query, so an
// append costs nothing until someone asks. A query then costs the records it matches in memory and the
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

/** The records holding one value of a field, ascending; `value` is the first such value as stored. */
interface Posting {
  value: string | number | boolean;
  records: number[];
}

/** One indexed field: its postings by the value's text, and each record's value for checking the other conditions. */
interface FieldIndex {
  postings: Map<string, Posting>;
  /** per record: the stored value (a string is the posting's own, so a day's records share one string; lists stay lists) */
  values: unknown[];
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
    for (const field of indexed) this.fields.set(field, { postings: new Map(), values: [] });
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
    // the condition with the fewest candidates drives; the others are checked on each candidate's value
    let driver: { condition: JournalCondition; candidates: number[] } | null = null;
    for (const condition of conditions) {
      const candidates = this.candidates(condition);
      if (!driver || candidates.length < driver.candidates.length) driver = { condition, candidates };
      if (candidates.length === 0) return [];
    }
    const { condition: driving, candidates } = driver as { condition: JournalCondition; candidates: number[] };
    const others = conditions.filter((condition) => condition !== driving).map((condition) => ({ condition, values: this.fieldOf(condition.field).values }));
    const matches: number[] = [];
    for (const n of candidates) {
      if (n >= limit) break;
      if (others.every(({ condition, values }) => meets(values[n], condition))) matches.push(n);
    }
    return matches;
  }

  /** The records a condition holds for, ascending, from the postings. */
  private candidates(condition: JournalCondition): number[] {
    const { postings } = this.fieldOf(condition.field);
    const lists: number[][] = [];
    if (condition.kind === 'equals') {
      for (const text of new Set(condition.texts)) {
        const posting = postings.get(text);
        if (posting) lists.push(posting.records);
      }
    } else {
      for (const posting of postings.values()) if (meets(posting.value, condition)) lists.push(posting.records);
    }
    if (lists.length === 1) return lists[0];
    const merged = lists.flat().sort((a, b) => a - b);
    // a record holding a list can be under several of the values
    return merged.filter((n, i) => i === 0 || merged[i - 1] !== n);
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
    for (const [field, index] of this.fields) {
      const value = fieldValue(record, field);
      const list = Array.isArray(value);
      let stored: unknown = list ? value : undefined;
      for (const one of list ? value : [value]) {
        const [text] = valueTexts(one);
        if (text === undefined) continue;
        let posting = index.postings.get(text);
        if (!posting) {
          posting = { value: one as string | number | boolean, records: [] };
          index.postings.set(text, posting);
        }
        const records = posting.records;
        if (records[records.length - 1] !== n) records.push(n);
        if (!list) stored = typeof one === typeof posting.value ? posting.value : one;
      }
      index.values[n] = stored;
    }
    this.records = n + 1;
  }
}
