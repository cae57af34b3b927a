// A lowdb adapter whose writes are durable (temp file, fsync, rename, fsync folder) and group-committed,
// and whose reads never silently lose data: a damaged file is restored from its newest good copy or
// start-up stops with a message naming the file.
import type { Adapter, Logger } from './types.js';
import { DamagedFileError } from './types.js';
import { describeError, errorCode, writeFileDurably, type FileContent } from './fs-durable.js';
import { nodeFileSystem, type StoreFileSystem } from './file-system.js';

export interface DurableJsonFileOptions<T> {
  log: Logger;
  /** turns the file's text into data; throws on damaged text. Default JSON.parse. */
  parse?: (text: string) => T;
  /**
   * turns data into the file's text (may take turns of the event loop, or give the text in pieces written as
   * they come). Default pretty JSON (2 spaces), as the original json connector wrote.
   */
  stringify?: (data: T) => FileContent | Promise<FileContent>;
  fs?: StoreFileSystem;
}

interface PendingWrite<T> {
  data: T;
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

function pendingWrite<T>(data: T): PendingWrite<T> {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { data, promise, resolve, reject };
}

interface GoodCopy<T> {
  path: string;
  text: string;
  data: T;
  savedAt: Date;
}

export class DurableJsonFile<T> implements Adapter<T> {
  readonly file: string;
  readonly temp: string;
  readonly backup: string;
  private readonly log: Logger;
  private readonly parse: (text: string) => T;
  private readonly stringify: (data: T) => FileContent | Promise<FileContent>;
  private readonly fs: StoreFileSystem;
  private inFlight: Promise<void> | null = null;
  private next: PendingWrite<T> | null = null;

  constructor(file: string, options: DurableJsonFileOptions<T>) {
    this.file = file;
    this.temp = `${file}.tmp`;
    this.backup = `${file}.bak`;
    this.log = options.log;
    this.parse = options.parse ?? ((text) => JSON.parse(text) as T);
    this.stringify = options.stringify ?? ((data) => `${JSON.stringify(data, null, 2)}\n`);
    this.fs = options.fs ?? nodeFileSystem;
  }

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = (await this.fs.readFile(this.file)).toString('utf8');
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return null;
      throw new Error(`could not read ${this.file}: ${describeError(error)}`, { cause: error });
    }
    try {
      return this.parse(text);
    } catch (error) {
      const reason = text.length === 0 ? 'the file is empty' : `it is not valid JSON: ${describeError(error)}`;
      return this.recover(reason);
    }
  }

  /**
   * Resolves once a write holding `data` (or newer data given later) is durable. While one write is on
   * its way, every later call joins the single next write, which carries the latest data.
   */
  write(data: T): Promise<void> {
    if (this.next) {
      this.next.data = data;
      return this.next.promise;
    }
    const pending = pendingWrite(data);
    if (this.inFlight) this.next = pending;
    else this.start(pending);
    return pending.promise;
  }

  /** Waits until every write requested so far is durable (or failed). */
  async flush(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  private start(pending: PendingWrite<T>): void {
    this.inFlight = (async () => {
      try {
        // Serialised now (or, in pieces, while it is written): the store never mutates what it handed over.
        const text = await this.stringify(pending.data);
        await writeFileDurably(this.file, text, { temp: this.temp, backup: this.backup, fs: this.fs });
        pending.resolve();
      } catch (error) {
        pending.reject(
          new Error(`could not save ${this.file}: ${describeError(error)}. Check free disk space and write permission on that folder.`, {
            cause: error,
          }),
        );
      } finally {
        const queued = this.next;
        this.next = null;
        this.inFlight = null;
        if (queued) this.start(queued);
      }
    })();
  }

  private async readGoodCopy(path: string): Promise<GoodCopy<T> | null> {
    try {
      const text = (await this.fs.readFile(path)).toString('utf8');
      const data = this.parse(text);
      return { path, text, data, savedAt: await this.fs.modifiedAt(path) };
    } catch {
      return null;
    }
  }

  private async recover(reason: string): Promise<T> {
    const copies = (await Promise.all([this.readGoodCopy(this.temp), this.readGoodCopy(this.backup)])).filter(
      (copy): copy is GoodCopy<T> => copy !== null,
    );
    if (copies.length === 0) {
      throw new DamagedFileError(
        this.file,
        `${this.file} is damaged (${reason}) and no good copy was found (looked for ${this.temp} and ${this.backup}). ` +
          'Start-up stopped so that nothing overwrites it. Restore the file from a backup, or move it away ' +
          'to start this connector empty.',
      );
    }
    copies.sort((a, b) => b.savedAt.getTime() - a.savedAt.getTime());
    const best = copies[0];
    const keptAs = `${this.file}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await this.fs.rename(this.file, keptAs);
    await writeFileDurably(this.file, best.text, { temp: `${this.file}.restore`, fs: this.fs });
    this.log.error(
      `store: ${this.file} was damaged (${reason}). It was restored from ${best.path} ` +
        `(saved ${best.savedAt.toISOString()}); the damaged file was kept as ${keptAs}. ` +
        'Changes saved after that copy may be missing: check this connector.',
    );
    return best.data;
  }
}
