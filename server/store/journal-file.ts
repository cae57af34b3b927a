// An append-only JSON Lines file. Appends are group-committed: while one append+fdatasync is on its way,
// later records queue up and go to disk together in the next one. Records are positioned (record number
// `from`), so appending the same records twice (a replayed log line) is harmless. A failed append is cut
// back off the file and may simply be tried again (the store's checkpoint does, from the write-ahead log).
import { dirname } from 'node:path';
import type { JournalState, JsonValue, Logger } from './types.js';
import { DamagedFileError, StoreWriteError } from './types.js';
import { describeError, errorCode, fsyncDir, openCreatingFolder, writeAll } from './fs-durable.js';
import { nodeFileSystem, type StoreFileSystem } from './file-system.js';
const NEWLINE = 0x0a;
/** how much of a journal file start-up reads at a time */
const SCAN_CHUNK_BYTES = 1 << 20;

interface Waiter {
  target: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class JournalFile {
  /** records in the file plus records queued for it */
  private count = 0;
  private durable = 0;
  /** length of the file's durable records; -1 while the file was not loaded (a failed append cannot be cut back then) */
  private durableBytes = -1;
  private fd: number | null = null;
  private fileIsNew = false;
  private queued: string[] = [];
  private readonly early = new Map<number, JsonValue[]>();
  private waiters: Waiter[] = [];
  private writing: Promise<void> | null = null;
  /** a failed append could not be cut back: the file is read again (and its cut-off end dropped) before the next one */
  private mustRescan = false;

  constructor(
    readonly path: string,
    private readonly log: Logger,
    private readonly fs: StoreFileSystem = nodeFileSystem,
  ) {}

  /** The newest `last` records and the total, or null when the file does not exist yet. */
  async load(last: number): Promise<JournalState | null> {
    await this.flush();
    const scanned = await this.scan(last);
    if (!scanned) return null;
    const { tail, count } = scanned;

    const lines = tail.length === 0 ? [] : tail.subarray(0, tail.length - 1).toString('utf8').split('\n');
    const items: JsonValue[] = [];
    lines.forEach((text, index) => {
      try {
        items.push(JSON.parse(text) as JsonValue);
      } catch (error) {
        throw new DamagedFileError(
          this.path,
          `${this.path}: record ${count - lines.length + index + 1} of ${count} is damaged (${describeError(error)}). ` +
            'Start-up stopped so that nothing is appended after it. Repair or remove that line ' +
            '(the file is JSON Lines: one record per line), or restore the file from a backup.',
        );
      }
    });
    return { items, count };
  }

  /**
   * Reads the file a chunk at a time (a 100,000-sale journal is never held whole: start-up memory stays
   * the chunk's and the tail's), counts its records, drops a cut-off last line, and takes its whole records
   * as the durable ones. Answers the bytes of the newest `last` records; null when there is no file yet.
   */
  private async scan(last = 0): Promise<{ tail: Buffer; count: number } | null> {
    let fd: number;
    try {
      fd = this.fs.open(this.path, 'r');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') {
        this.count = this.durable = this.durableBytes = 0;
        return null;
      }
      throw new Error(`could not read ${this.path}: ${describeError(error)}`, { cause: error });
    }
    try {
      // where each of the newest `keep` records starts: record i at starts[i % keep]
      const keep = Math.max(last, 1);
      const starts = new Array<number>(keep);
      let count = 0;
      let recordStart = 0;
      let position = 0;
      for (;;) {
        const chunk = await this.fs.readAt(fd, SCAN_CHUNK_BYTES, position);
        if (chunk.length === 0) break;
        for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, at + 1)) {
          starts[count % keep] = recordStart;
          count++;
          recordStart = position + at + 1;
        }
        position += chunk.length;
      }
      // recordStart is now just past the last newline: the end of the whole records
      const end = recordStart;
      if (position > end) await this.dropTornRecord(position, end);
      this.count = count;
      this.durable = count;
      this.durableBytes = end;
      const shown = Math.min(last, count);
      const tailStart = shown === 0 ? end : starts[(count - shown) % keep];
      const tail = end > tailStart ? await this.fs.readAt(fd, end - tailStart, tailStart) : Buffer.alloc(0);
      return { tail, count };
    } catch (error) {
      if (error instanceof DamagedFileError) throw error;
      throw new Error(`could not read ${this.path}: ${describeError(error)}`, { cause: error });
    } finally {
      this.fs.close(fd);
    }
  }

  // A crash in the middle of an append leaves a last line without its newline. That record was never
  // acknowledged (acknowledgement waits for the fsync of whole lines), so it is cut off and reported.
  private async dropTornRecord(length: number, end: number): Promise<void> {
    const fd = this.fs.open(this.path, 'r+');
    try {
      this.fs.truncate(fd, end);
      await this.fs.flush(fd, 'fsync');
    } finally {
      this.fs.close(fd);
    }
    this.log.warn(
      `store: ${this.path}: the last record was cut off (${length - end} bytes, a crash while saving it) ` +
        'and was removed. It had not been confirmed to anyone; every complete record is intact.',
    );
  }

  /** Appends `records` as record numbers from..from+n-1; resolves once they are durable. */
  append(from: number, records: JsonValue[]): Promise<void> {
    const end = from + records.length;
    if (from > this.count || this.mustRescan) this.early.set(from, records);
    else if (end > this.count) this.enqueue(records.slice(this.count - from));
    if (!this.mustRescan) this.takeEarlyRecords();
    // waiting before writing starts: a write that fails at once must find this waiter to refuse
    const done = this.until(end);
    this.startWriting();
    return done;
  }

  private enqueue(records: JsonValue[]): void {
    for (const record of records) this.queued.push(`${JSON.stringify(record)}\n`);
    this.count += records.length;
  }

  // Appends handed over out of order wait here until the records before them arrive.
  private takeEarlyRecords(): void {
    let progress = true;
    while (progress && this.early.size > 0) {
      progress = false;
      for (const [from, records] of this.early) {
        if (from > this.count) continue;
        this.early.delete(from);
        if (from + records.length > this.count) this.enqueue(records.slice(this.count - from));
        progress = true;
      }
    }
  }

  private until(target: number): Promise<void> {
    if (this.durable >= target && !this.mustRescan) return Promise.resolve();
    return new Promise((resolve, reject) => this.waiters.push({ target, resolve, reject }));
  }

  private openForAppend(): number {
    if (this.fd !== null) return this.fd;
    let exists = true;
    try {
      this.fs.close(this.fs.open(this.path, 'r'));
    } catch {
      exists = false;
    }
    this.fileIsNew = !exists;
    this.fd = openCreatingFolder(this.fs, this.path, 'a');
    return this.fd;
  }

  private startWriting(): void {
    if (this.writing || !(this.queued.length > 0 || (this.mustRescan && this.early.size > 0))) return;
    // cleared in a later tick, even when the loop ends at once, and started again for work that came meanwhile
    this.writing = this.writeQueued().finally(() => {
      this.writing = null;
      this.startWriting();
      if (!this.writing) this.refuseGaps();
    });
  }

  /**
   * Appends still waiting for records before them once nothing is being written will wait forever: the
   * records they follow were refused (a failed append). They are refused too; the caller sends them again
   * with the missing ones (the store's next checkpoint does).
   */
  private refuseGaps(): void {
    if (this.early.size === 0) return;
    this.early.clear();
    const error = new StoreWriteError(`${this.path}: records before record ${this.count + 1} were not saved (an earlier append failed)`);
    this.waiters = this.waiters.filter((waiter) => {
      if (waiter.target <= this.durable) return true;
      waiter.reject(error);
      return false;
    });
  }

  private async writeQueued(): Promise<void> {
    if (this.mustRescan) {
      try {
        if (this.fd !== null) this.fs.close(this.fd);
        this.fd = null;
        await this.scan();
        this.mustRescan = false;
        this.takeEarlyRecords();
        this.waiters = this.waiters.filter((waiter) => {
          if (waiter.target > this.durable) return true;
          waiter.resolve();
          return false;
        });
      } catch (error) {
        this.failed(error);
        return;
      }
    }
    while (this.queued.length > 0) {
      const lines = this.queued;
      this.queued = [];
      const bytes = Buffer.from(lines.join(''));
      try {
        const fd = this.openForAppend();
        await writeAll(this.fs, fd, bytes);
        await this.fs.flush(fd, 'fdatasync');
        if (this.fileIsNew) {
          await fsyncDir(dirname(this.path), this.fs);
          this.fileIsNew = false;
        }
      } catch (error) {
        this.failed(error);
        return;
      }
      this.durable += lines.length;
      if (this.durableBytes >= 0) this.durableBytes += bytes.byteLength;
      this.waiters = this.waiters.filter((waiter) => {
        if (waiter.target > this.durable) return true;
        waiter.resolve();
        return false;
      });
    }
  }

  /**
   * Refuses every record not yet durable and cuts the file back to its durable records, so the same
   * records can be appended again later. When the file cannot be cut back, the next append reads it again
   * first (whole records that did reach it count, the positions make appending them again harmless).
   */
  private failed(cause: unknown): void {
    const error = new StoreWriteError(
      `could not append to ${this.path}: ${describeError(cause)}. Check free disk space and write permission; records not confirmed were not saved.`,
      { cause },
    );
    try {
      if (this.fd !== null) {
        // (nothing was written when the file could not even be opened)
        if (this.durableBytes < 0) throw new Error('the file was never loaded');
        this.fs.truncate(this.fd, this.durableBytes);
      }
    } catch {
      this.mustRescan = true;
    }
    this.count = this.durable;
    this.queued = [];
    this.early.clear();
    for (const waiter of this.waiters) waiter.reject(error);
    this.waiters = [];
  }

  /**
   * The records and bytes known to be whole on disk (what a reader of the file may take); -1 bytes while
   * the file was not loaded.
   */
  durableExtent(): { records: number; bytes: number } {
    return { records: this.durable, bytes: this.mustRescan ? -1 : this.durableBytes };
  }

  /** The bytes of each [start, end) range of the file, read through one descriptor. */
  async readRanges(ranges: ReadonlyArray<readonly [number, number]>): Promise<Buffer[]> {
    if (ranges.length === 0) return [];
    const fd = this.fs.open(this.path, 'r');
    try {
      const parts: Buffer[] = [];
      for (const [start, end] of ranges) {
        const bytes = await this.fs.readAt(fd, end - start, start);
        if (bytes.length !== end - start) throw new Error(`${this.path}: expected ${end - start} bytes at ${start}, read ${bytes.length}`);
        parts.push(bytes);
      }
      return parts;
    } finally {
      this.fs.close(fd);
    }
  }

  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.fd !== null) this.fs.close(this.fd);
    this.fd = null;
  }
}
