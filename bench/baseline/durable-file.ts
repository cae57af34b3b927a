// The baseline's lowdb adapter with the engine's durability: temp file, fsync, rename, fsync of the folder,
// and group commit (while one write is on its way, later states wait and only the newest is written next;
// every caller is answered once a write holding its state is durable).
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter } from 'lowdb';

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
  private dirSynced = false;

  constructor(readonly file: string) {}

  async read(): Promise<T | null> {
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
        await this.writeNow(batch.data);
        batch.resolve();
      } catch (error) {
        batch.reject(error);
      }
    }
    this.writing = null;
  }

  private async writeNow(data: T): Promise<void> {
    const dir = path.dirname(this.file);
    if (!this.dirSynced) await mkdir(dir, { recursive: true });
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
    this.dirSynced = true;
  }
}
