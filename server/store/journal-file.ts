// An append-only JSON Lines file. Appends are group-committed: while one append+fsync is on its way,
// later records queue up and go to disk together in the next one. Records are positioned (record number
// `from`), so appending the same records twice (a replayed commit intent) is harmless.
import { mkdir, open, readFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { JournalState, JsonValue, Logger } from './types.js';
import { DamagedFileError, StoreWriteError } from './types.js';
import { describeError, errorCode, fsyncDir } from './fs-durable.js';

const NEWLINE = 0x0a;

interface Waiter {
  target: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class JournalFile {
  /** records in the file plus records queued for it */
  private count = 0;
  private durable = 0;
  private handle: FileHandle | null = null;
  private fileIsNew = false;
  private queued: string[] = [];
  private readonly early = new Map<number, JsonValue[]>();
  private waiters: Waiter[] = [];
  private writing: Promise<void> | null = null;
  private failure: Error | null = null;

  constructor(
    readonly path: string,
    private readonly log: Logger,
  ) {}

  /** The newest `last` records and the total, or null when the file does not exist yet. */
  async load(last: number): Promise<JournalState | null> {
    await this.flush();
    let bytes: Buffer;
    try {
      bytes = await readFile(this.path);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return null;
      throw new Error(`could not read ${this.path}: ${describeError(error)}`, { cause: error });
    }
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] !== NEWLINE) end = await this.dropTornRecord(bytes);

    let count = 0;
    for (let at = bytes.indexOf(NEWLINE); at !== -1 && at < end; at = bytes.indexOf(NEWLINE, at + 1)) count++;

    const items: JsonValue[] = [];
    let lineEnd = end - 1;
    for (let taken = 0; taken < Math.min(last, count); taken++) {
      const lineStart = lineEnd === 0 ? 0 : bytes.lastIndexOf(NEWLINE, lineEnd - 1) + 1;
      const text = bytes.subarray(lineStart, lineEnd).toString('utf8');
      try {
        items.push(JSON.parse(text) as JsonValue);
      } catch (error) {
        throw new DamagedFileError(
          this.path,
          `${this.path}: record ${count - taken} of ${count} is damaged (${describeError(error)}). ` +
            'Start-up stopped so that nothing is appended after it. Repair or remove that line ' +
            '(the file is JSON Lines: one record per line), or restore the file from a backup.',
        );
      }
      lineEnd = lineStart - 1;
    }
    items.reverse();
    this.count = count;
    this.durable = count;
    return { items, count };
  }

  // A crash in the middle of an append leaves a last line without its newline. That record was never
  // acknowledged (acknowledgement waits for the fsync of whole lines), so it is cut off and reported.
  private async dropTornRecord(bytes: Buffer): Promise<number> {
    const end = bytes.lastIndexOf(NEWLINE) + 1;
    const handle = await open(this.path, 'r+');
    try {
      await handle.truncate(end);
      await handle.sync();
    } finally {
      await handle.close();
    }
    this.log.warn(
      `store: ${this.path}: the last record was cut off (${bytes.length - end} bytes, a crash while saving it) ` +
        'and was removed. It had not been confirmed to anyone; every complete record is intact.',
    );
    return end;
  }

  /** Appends `records` as record numbers from..from+n-1; resolves once they are durable. */
  append(from: number, records: JsonValue[]): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const end = from + records.length;
    if (from > this.count) this.early.set(from, records);
    else if (end > this.count) this.enqueue(records.slice(this.count - from));
    this.takeEarlyRecords();
    this.startWriting();
    return this.until(end);
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
    if (this.durable >= target) return Promise.resolve();
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => this.waiters.push({ target, resolve, reject }));
  }

  private async openForAppend(): Promise<FileHandle> {
    if (this.handle) return this.handle;
    await mkdir(dirname(this.path), { recursive: true });
    const existing = await open(this.path, 'r').then(
      (handle) => handle.close().then(() => true),
      () => false,
    );
    this.fileIsNew = !existing;
    this.handle = await open(this.path, 'a');
    return this.handle;
  }

  private startWriting(): void {
    if (this.writing || this.queued.length === 0) return;
    this.writing = (async () => {
      try {
        while (this.queued.length > 0) {
          const lines = this.queued;
          this.queued = [];
          const target = this.durable + lines.length;
          const handle = await this.openForAppend();
          await handle.appendFile(lines.join(''));
          await handle.datasync();
          if (this.fileIsNew) {
            await fsyncDir(dirname(this.path));
            this.fileIsNew = false;
          }
          this.durable = target;
          this.waiters = this.waiters.filter((waiter) => {
            if (waiter.target > this.durable) return true;
            waiter.resolve();
            return false;
          });
        }
      } catch (error) {
        // After a failed append the file may end in a partial line: refuse further appends until a restart
        // (which cuts the partial line off) rather than write records after it.
        this.failure = new StoreWriteError(
          `could not append to ${this.path}: ${describeError(error)}. Check free disk space and write ` +
            'permission, then restart the program; records not confirmed were not saved.',
          { cause: error },
        );
        for (const waiter of this.waiters) waiter.reject(this.failure);
        this.waiters = [];
      } finally {
        this.writing = null;
      }
    })();
  }

  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  async close(): Promise<void> {
    await this.flush();
    await this.handle?.close();
    this.handle = null;
  }
}
