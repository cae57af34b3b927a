// The write-ahead log: a commit is durable once one line holding all its changes is appended to the log
// and fdatasynced. That costs one flush of a small append (~0.8 ms here) instead of the two flushes,
// rename and folder flush of replacing each connector file (~2.7 ms), and one line makes a commit of
// several connectors all-or-nothing by itself. The connector files are brought up to date later by the
// store's checkpoint, off the path of the answer; after it, the log files it covered are removed.
//
// Appends are group-committed: lines that arrive while a flush is on its way go to disk together in the
// next one. The log is split into generations (one file each) so a checkpoint can seal what it covers
// while new commits go on into the next file.
//
// A failed append fails every line still waiting with it (they may be built on the failed one), and the
// file is cut back to its last whole line, so nothing refused is ever replayed. See store.ts for how the
// store rolls the refused changes back.
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { JsonValue, Logger } from './types.js';
import { describeError, errorCode, fsyncDir, writeAll } from './fs-durable.js';
import { isPlainRecord } from './json-value.js';
import { nodeFileSystem, type StoreFileSystem } from './file-system.js';
import { isChangeOps, type ChangeOp } from './change-ops.js';

export interface LoggedChange {
  connector: string;
  scopeKey: string;
  /** whole-state connectors: what changed (change-ops.ts), applied in order at replay */
  ops?: ChangeOp[];
  /** journals: the append the backend saves (and, in logs of earlier versions, whole states) */
  write?: JsonValue;
}

const PREFIX = '_wal-';
const SUFFIX = '.log';
const LINE_END = '\n';

/** True for file names the log uses; no connector may be stored under such a name. */
export function isLogFileName(name: string): boolean {
  return name.startsWith(PREFIX) && name.endsWith(SUFFIX);
}

// A line is "<crc32 of the JSON, 8 hex digits> <JSON>": a line cut short by a crash, or one damaged on
// disk, fails its checksum instead of being read as a smaller commit.
function encodeLine(changes: LoggedChange[]): string {
  const json = JSON.stringify(changes);
  return `${crc32(json).toString(16).padStart(8, '0')} ${json}${LINE_END}`;
}

function decodeLine(line: string): LoggedChange[] | null {
  const json = line.slice(9);
  if (line[8] !== ' ' || Number.parseInt(line.slice(0, 8), 16) !== crc32(json)) return null;
  try {
    const changes: unknown = JSON.parse(json);
    if (!Array.isArray(changes)) return null;
    for (const change of changes) {
      if (
        !isPlainRecord(change) ||
        typeof change.connector !== 'string' ||
        typeof change.scopeKey !== 'string' ||
        !('write' in change || isChangeOps(change.ops))
      ) {
        return null;
      }
    }
    return changes as LoggedChange[];
  } catch {
    return null;
  }
}

/** Told synchronously, in append order, what became of a line: before any other code can run. */
export interface AppendOutcome {
  durable(): void;
  failed(error: Error): void;
}

interface QueuedLine {
  generation: string;
  text: string;
  outcome: AppendOutcome;
}

interface OpenFile {
  generation: string;
  path: string;
  fd: number;
  /** bytes known to be whole lines; a failed append is cut back to this */
  size: number;
}

export interface RecoveredLog {
  /** the commits found in the log files, oldest first */
  commits: LoggedChange[][];
  /** the files they came from, to discard once their commits are in the connector files */
  files: string[];
}

export class WriteAheadLog {
  private generation: string;
  private sequence = 0;
  private file: OpenFile | null = null;
  private readonly queue: QueuedLine[] = [];
  private writer: Promise<void> | null = null;
  private lastAppend: Promise<void> = Promise.resolve();
  /** files this log wrote (or recovered) and may remove; another store on the same folder keeps its own */
  private readonly owned = new Set<string>();
  private bytesSinceSeal = 0;
  private readonly runStarted = Date.now().toString().padStart(15, '0');
  /** a file that could not be cut back after a failed append: nothing is appended until a checkpoint discards it */
  private broken: { path: string; error: Error } | null = null;

  constructor(
    private readonly dataDir: string,
    private readonly log: Logger,
    private readonly fs: StoreFileSystem = nodeFileSystem,
  ) {
    this.generation = this.nextGeneration();
  }

  /** Bytes appended since the last seal: the store checkpoints early when this grows large. */
  get pendingBytes(): number {
    return this.bytesSinceSeal;
  }

  /** Reads the commits of every log file in the folder (a crash left them), oldest first. */
  async recover(): Promise<RecoveredLog> {
    let names: string[];
    try {
      names = (await this.fs.readdir(this.dataDir)).filter(isLogFileName).sort();
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return { commits: [], files: [] };
      throw error;
    }
    const commits: LoggedChange[][] = [];
    const files: string[] = [];
    for (const [index, name] of names.entries()) {
      const path = join(this.dataDir, name);
      const lines = (await this.fs.readFile(path)).toString('utf8').split(LINE_END);
      const tail = lines.pop() ?? '';
      let damagedAt = -1;
      for (const [lineIndex, line] of lines.entries()) {
        const changes = decodeLine(line);
        if (!changes) {
          damagedAt = lineIndex;
          break;
        }
        commits.push(changes);
      }
      const isNewest = index === names.length - 1;
      // Only the newest file's last line can be unfinished by a crash (it was never acknowledged).
      const tornTail = isNewest && (damagedAt === -1 ? tail.length > 0 : damagedAt === lines.length - 1 && tail.length === 0);
      if (damagedAt !== -1 && !tornTail) {
        const keptAs = `${path}.damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`;
        await this.fs.rename(path, keptAs);
        this.log.error(
          `store: the write-ahead log ${path} is damaged at line ${damagedAt + 1}; the ${damagedAt} commits before it ` +
            `were restored, what follows was kept in ${keptAs}. Changes made just before the last stop may be missing: check the data.`,
        );
        continue;
      }
      files.push(path);
      this.owned.add(path);
    }
    return { commits, files };
  }

  /**
   * Resolves once a line holding `changes` is on disk; `outcome` (optional) is told first, synchronously.
   * Serialised now: callers may reuse what they pass.
   */
  append(changes: LoggedChange[], outcome?: AppendOutcome): Promise<void> {
    const text = encodeLine(changes);
    const appended = new Promise<void>((resolve, reject) => {
      const line: QueuedLine = {
        generation: this.generation,
        text,
        outcome: {
          durable: () => {
            outcome?.durable();
            resolve();
          },
          failed: (error) => {
            outcome?.failed(error);
            reject(error);
          },
        },
      };
      if (this.broken) {
        line.outcome.failed(this.broken.error);
        return;
      }
      this.bytesSinceSeal += text.length;
      this.queue.push(line);
    });
    // (a refused line is not queued; a writer started for nothing would end before it is remembered)
    if (this.queue.length > 0) this.writer ??= this.writeQueued();
    this.lastAppend = appended.catch(() => {});
    return appended;
  }

  /**
   * Starts a new generation for later appends. Resolves, once every line appended before is on disk (or
   * failed), with the files holding them: what a checkpoint covers and may then discard.
   */
  async seal(): Promise<string[]> {
    const sealed = this.generation;
    this.generation = this.nextGeneration();
    this.bytesSinceSeal = 0;
    await this.lastAppend;
    if (this.file?.generation === sealed) this.closeFile();
    return [...this.owned].filter((path) => path <= this.pathOf(sealed));
  }

  /** Removes log files whose commits are all in the connector files now. */
  async discard(files: string[]): Promise<void> {
    for (const path of files) {
      if (!this.owned.has(path) || path === this.file?.path) continue;
      try {
        // (a checkpoint runs off the answers' path; the main thread need not wait for the file system)
        if (this.fs.unlinkAsync) await this.fs.unlinkAsync(path);
        else this.fs.unlink(path);
      } catch (error) {
        if (errorCode(error) !== 'ENOENT') throw error;
      }
      this.owned.delete(path);
      // the refused line at its end is gone with it: appends may go on
      if (this.broken?.path === path) this.broken = null;
    }
    // Not flushed to disk on purpose: a removal lost in a crash only replays commits the files already hold.
  }

  /** Waits for queued appends and closes the current file. */
  async close(): Promise<void> {
    await this.lastAppend;
    this.closeFile();
  }

  private nextGeneration(): string {
    // Names sort in commit order: by the start of the run that wrote them, then by a counter, never by the
    // time of each file (a clock set back while the till runs must not reorder its commits).
    return `${this.runStarted}-${String(this.sequence++).padStart(9, '0')}`;
  }

  private pathOf(generation: string): string {
    return join(this.dataDir, `${PREFIX}${generation}${SUFFIX}`);
  }

  private closeFile(): void {
    if (!this.file) return;
    const { fd } = this.file;
    this.file = null;
    try {
      this.fs.close(fd);
    } catch (error) {
      this.log.warn(`store: could not close a write-ahead log file (${describeError(error)})`);
    }
  }

  private async fileFor(generation: string): Promise<OpenFile> {
    if (this.file?.generation === generation) return this.file;
    this.closeFile();
    const path = this.pathOf(generation);
    const fd = this.fs.open(path, 'a');
    this.file = { generation, path, fd, size: 0 };
    this.owned.add(path);
    // the new file's name must be on disk before a line in it is acknowledged
    await fsyncDir(this.dataDir, this.fs);
    return this.file;
  }

  private async writeQueued(): Promise<void> {
    while (this.queue.length > 0) {
      const generation = this.queue[0].generation;
      let count = 1;
      while (count < this.queue.length && this.queue[count].generation === generation) count++;
      const batch = this.queue.splice(0, count);
      try {
        const file = await this.fileFor(generation);
        const bytes = Buffer.from(batch.map((line) => line.text).join(''));
        try {
          await writeAll(this.fs, file.fd, bytes);
          await this.fs.flush(file.fd, 'fdatasync');
          file.size += bytes.byteLength;
        } catch (error) {
          this.cutBack(file, error);
          throw error;
        }
        for (const line of batch) line.outcome.durable();
      } catch (error) {
        const failure = new Error(
          `could not write the commit log in ${this.dataDir}: ${describeError(error)}. Check free disk space and write permission on that folder.`,
          { cause: error },
        );
        // Lines queued behind the failed ones may hold changes built on them: none of them is written.
        const refused = [...batch, ...this.queue.splice(0)];
        for (const line of refused) this.bytesSinceSeal = Math.max(0, this.bytesSinceSeal - line.text.length);
        for (const line of refused) line.outcome.failed(failure);
      }
    }
    this.writer = null;
  }

  /** After a failed append the file may end in part of a line, or in whole refused lines: cut them off. */
  private cutBack(file: OpenFile, cause: unknown): void {
    try {
      this.fs.truncate(file.fd, file.size);
    } catch (error) {
      this.log.error(
        `store: could not cut ${file.path} back after a failed write (${describeError(error)}); ` +
          'no change is saved until the next checkpoint has removed that file',
      );
      this.broken = {
        path: file.path,
        error: new Error(`the commit log could not be repaired after a failed write (${describeError(cause)})`, { cause }),
      };
      this.generation = this.nextGeneration();
      this.closeFile();
    }
  }
}
