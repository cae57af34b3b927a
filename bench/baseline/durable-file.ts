// The baseline's lowdb adapter with the engine's durability technique: a write is durable once the new
// state is one line appended to a log next to the file and fdatasynced (group commit: while one flush is on
// its way, later states wait and only the newest is appended next; every caller is answered once a line
// holding its state is on disk). About a second later the file itself is replaced (temp file, fsync,
// rename, fsync of the folder) and the log emptied, as the engine's checkpoint does.
import { closeSync, fdatasync, ftruncateSync, openSync, writeSync } from 'node:fs';
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';

const CHECKPOINT_MS = 1000;

async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

interface Pending<T> {
  data: T;
  done: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class DurableJsonFile<T> implements Adapter<T> {
  private writing: Promise<void> | null = null;
  private pending: Pending<T> | null = null;
  private log: number | null = null;
  private latest: T | null = null;
  private checkpointTimer: NodeJS.Timeout | null = null;

  constructor(readonly file: string) {}

  async read(): Promise<T | null> {
    const lines = await readFile(`${this.file}.log`, 'utf8').then((text) => text.split('\n').filter(Boolean), () => []);
    if (lines.length > 0) return JSON.parse(lines[lines.length - 1]) as T;
    try {
      return JSON.parse(await readFile(this.file, 'utf8')) as T;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  write(data: T): Promise<void> {
    if (!this.pending) {
      let resolve!: () => void;
      let reject!: (error: unknown) => void;
      const done = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
      this.pending = { data, done, resolve, reject };
    } else this.pending.data = data;
    const { done } = this.pending;
    if (!this.writing) this.writing = this.drain();
    return done;
  }

  private async drain(): Promise<void> {
    while (this.pending) {
      const batch = this.pending;
      this.pending = null;
      try {
        await this.append(batch.data);
        batch.resolve();
      } catch (error) {
        batch.reject(error);
      }
    }
    this.writing = null;
  }

  private async append(data: T): Promise<void> {
    if (this.log === null) {
      await mkdir(path.dirname(this.file), { recursive: true });
      this.log = openSync(`${this.file}.log`, 'a');
      await fsyncDir(path.dirname(this.file));
    }
    const bytes = Buffer.from(`${JSON.stringify(data)}\n`);
    for (let written = 0; written < bytes.length; ) written += writeSync(this.log, bytes, written);
    const fd = this.log;
    await new Promise<void>((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())));
    this.latest = data;
    this.checkpointTimer ??= setTimeout(() => void this.checkpoint(), CHECKPOINT_MS).unref();
  }

  private async checkpoint(): Promise<void> {
    this.checkpointTimer = null;
    while (this.writing) await this.writing;
    const data = this.latest;
    const dir = path.dirname(this.file);
    const temp = `${this.file}.tmp`;
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(`${JSON.stringify(data, null, 2)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, this.file);
    await fsyncDir(dir);
    // lines appended meanwhile hold newer states: keep the log then, the next checkpoint covers them
    if (this.latest === data && !this.writing && this.log !== null) {
      ftruncateSync(this.log);
      closeSync(this.log);
      this.log = null;
    }
  }
}
