// The in-memory index of one journal file, for queries beyond the records readers keep (`view.last`):
// where each record starts in the file, and for each of the connector's `index` fields which records hold
// each value. It is built by one streaming scan of the file (a chunk at a time, never the whole file in
// memory), started in the background when the journal is loaded, and extended from where it stopped by
// every later query, so an append costs nothing until someone asks. Each field is dictionary-coded
// (journal-field-index.ts): a record costs 8 bytes for where it starts and 1 to 4 per field, the distinct
// values are kept once. A query then scans the codes of the records between the first and the last holding
// its values, and reads the page's records from disk: a day's page of a 100,000-sale journal reads 50 lines,
// not the file.
//
// Records the store holds as durable but the file does not yet (they are in the write-ahead log until
// the next checkpoint) are handed in by the caller (the journal kind keeps them until they are appended).
import { JournalFieldIndex } from './journal-field-index.js';
import type { JournalFile } from './journal-file.js';
import {
  conditionsOf,
  fieldValue,
  meets,
  orderOf,
  pageSizeOf,
  pageWindow,
  type JournalCondition,
  type JournalPage,
  type JournalQuery,
} from './journal-query.js';

const NEWLINE = 0x0a;
/** How much of the file one step of the scan reads. */
const SCAN_CHUNK_BYTES = 1 << 20;

export class JournalIndex {
  /** offsets[i]: where record i starts; offsets[records]: where the scan stopped */
  private offsets = new Float64Array(1024);
  private records = 0;
  private readonly fields = new Map<string, JournalFieldIndex>();
  private catchingUp: Promise<void> = Promise.resolve();

  constructor(
    private readonly file: JournalFile,
    private readonly name: string,
    readonly indexed: readonly string[],
  ) {
    for (const field of indexed) this.fields.set(field, new JournalFieldIndex());
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
      return { field, ...field.match(condition) };
    });
    // a match lies in every condition's stretch of records; the narrowest condition is checked first
    tests.sort((a, b) => a.to - a.from - (b.to - b.from));
    let from = 0;
    let to = limit - 1;
    for (const test of tests) {
      from = Math.max(from, test.from);
      to = Math.min(to, test.to);
    }
    const matches: number[] = [];
    for (let n = from; n <= to; n++) {
      let all = true;
      for (let i = 0; i < tests.length && all; i++) all = tests[i].field.holds(n, tests[i].hits);
      if (all) matches.push(n);
    }
    return matches;
  }

  private fieldOf(field: string): JournalFieldIndex {
    return this.fields.get(field) as JournalFieldIndex;
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
