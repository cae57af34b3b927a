// Backups made by a running host: on request (the desktop menu, `serverokey backup` through the admin
// endpoint) and on the manifest's schedule (`launch.backup: { every, keep, to }`) with rotation. The host
// remembers when the last backup was made (`last-backup.json` in the data folder) so the desktop app can
// warn when it is older than the schedule allows.
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { BackupConfig, Manifest } from '../manifest/types.js';
import type { Logger, Store } from '../store/types.js';
import { PRIVATE_FILE_MODE } from '../store/file-system.js';
import { BackupError, listBackups, rotateBackups, writeBackup, type BackupResult } from './backup-folder.js';
import { takeSnapshot } from './snapshot.js';

export const LAST_BACKUP_FILE = 'last-backup.json';

export interface BackupStatus {
  /** the last complete backup this data folder knows of */
  last: { at: string; path: string } | null;
  /** the schedule, when the manifest sets one */
  schedule: { everyMs: number; keep: number; to: string } | null;
  /** true when a schedule is set and the last backup is older than it allows (or there is none) */
  overdue: boolean;
  /** the last scheduled backup's failure, until one succeeds */
  error: string | null;
}

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** "30m", "6h", "1d" → milliseconds (the schema has checked the shape). */
export function parseEvery(every: string): number {
  const match = /^(\d+)\s*([mhd])$/.exec(every.trim());
  if (!match || Number(match[1]) <= 0) throw new Error(`launch.backup.every: ${JSON.stringify(every)} is not a duration like "30m", "6h" or "1d"`);
  return Number(match[1]) * UNIT_MS[match[2]];
}

/** The folder scheduled backups go to: `to` (relative to the data folder's parent), else `<data>-backups`. */
export function scheduledFolder(dataDir: string, config: BackupConfig): string {
  const base = path.dirname(path.resolve(dataDir));
  const to = config.to ? path.resolve(base, config.to) : `${path.resolve(dataDir)}-backups`;
  const relative = path.relative(path.resolve(dataDir), to);
  if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) {
    throw new Error(`launch.backup.to (${to}) is inside the data folder ${dataDir}: a backup must live elsewhere (another disk is best)`);
  }
  return to;
}

export interface HostBackupsOptions {
  dataDir: string;
  store: () => Store;
  manifest: () => Manifest;
  log: Logger;
  /** how long after start a due backup waits (default 30 s: never competing with the first page) */
  firstRunDelayMs?: number;
}

export class HostBackups {
  private last: BackupStatus['last'] = null;
  private lastError: string | null = null;
  private running: Promise<BackupResult> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly listeners = new Set<(status: BackupStatus) => void>();
  private schedule: BackupStatus['schedule'] = null;

  constructor(private readonly options: HostBackupsOptions) {
    const config = options.manifest().launch?.backup;
    if (config) {
      this.schedule = {
        everyMs: parseEvery(config.every),
        keep: config.keep ?? 7,
        to: scheduledFolder(options.dataDir, config),
      };
    }
  }

  /** Reads what is known of the last backup and starts the schedule (the first run once one is due). */
  async start(): Promise<void> {
    this.last = await readFile(path.join(this.options.dataDir, LAST_BACKUP_FILE), 'utf8').then(
      (text) => JSON.parse(text) as BackupStatus['last'],
      () => null,
    );
    if (this.schedule) {
      const newest = (await listBackups(this.schedule.to))[0];
      if (newest && (!this.last || newest.createdAt > this.last.at)) this.last = { at: newest.createdAt, path: newest.path };
      this.planNext();
    }
  }

  status(): BackupStatus {
    const overdue = this.schedule !== null && (!this.last || Date.now() - Date.parse(this.last.at) > this.schedule.everyMs);
    return { last: this.last, schedule: this.schedule, overdue, error: this.lastError };
  }

  onChange(listener: (status: BackupStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** One backup into `to` (a consistent snapshot of every connector); one at a time. */
  backup(to: string): Promise<BackupResult> {
    if (this.running) return this.running.then(() => this.backup(to), () => this.backup(to));
    const run = (async () => {
      const { dataDir } = this.options;
      const snapshot = await takeSnapshot(this.options.store(), dataDir, this.options.manifest());
      try {
        const result = await writeBackup(snapshot.files, to, { source: dataDir, taken: 'from-running-host' });
        this.last = { at: result.createdAt, path: result.path };
        await writeFile(path.join(dataDir, LAST_BACKUP_FILE), `${JSON.stringify(this.last)}\n`, { mode: PRIVATE_FILE_MODE }).catch(() => {});
        this.options.log.info(`backup: ${result.path} (${result.files} files, ${result.bytes} bytes, ${result.ms} ms)`);
        return result;
      } finally {
        await snapshot.dispose();
      }
    })();
    this.running = run;
    const done = () => {
      if (this.running === run) this.running = null;
      this.tell();
    };
    run.then(done, done);
    return run;
  }

  private tell(): void {
    const status = this.status();
    for (const listener of this.listeners) listener(status);
  }

  private planNext(): void {
    if (!this.schedule || this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    const since = this.last ? Date.now() - Date.parse(this.last.at) : Infinity;
    // a due backup runs a little after start, so it never competes with the first page
    const first = this.options.firstRunDelayMs ?? 30_000;
    const wait = Math.max(first, Math.min(this.schedule.everyMs - since, this.schedule.everyMs));
    // not unref'd: the host's close() stops it
    this.timer = setTimeout(() => void this.runScheduled(), wait);
  }

  /** One scheduled backup with rotation, now (the timer calls it; so can a test). */
  async runScheduled(): Promise<void> {
    const schedule = this.schedule;
    if (!schedule) throw new Error('no backup schedule: set launch.backup in the manifest');
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    try {
      await this.backup(schedule.to);
      const removed = await rotateBackups(schedule.to, schedule.keep);
      if (removed.length > 0) this.options.log.info(`backup: rotation removed ${removed.length} old backup(s) (keeping ${schedule.keep})`);
      this.lastError = null;
    } catch (error) {
      this.lastError = (error as Error).message;
      this.options.log.error(`scheduled backup failed: ${this.lastError}${error instanceof BackupError ? '' : ' (the till goes on working)'}`);
      this.tell();
    } finally {
      this.planNext();
    }
  }

  private stopped = false;

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Waits for a backup on its way (the host closes after it, so it never leaves a half-copied folder behind). */
  async settle(): Promise<void> {
    await this.running?.catch(() => {});
  }
}
