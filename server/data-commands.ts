// The data commands of `serverokey`: import (the original engine's wise-db-data), backup, restore and
// export. cli.ts registers them; each returns the lines it prints and throws errors that say what to do.
import { copyFile, open, rename, rm, stat, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { acquireDataLock, DataFolderBusyError, readDataLock } from './data-lock.js';
import { loadManifest } from './manifest/load.js';
import type { Logger } from './store/types.js';
import { createStore } from './store/index.js';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from './store/file-system.js';
import { hasStoredState, importWiseDb, WISE_DB_FOLDER, type ImportReport } from './import/import-wise-db.js';
import { listCollections } from './import/wise-json-reader.js';
import { callHostAdmin } from './backup/admin.js';
import { BackupError, verifyBackup, writeBackup, type BackupResult } from './backup/backup-folder.js';
import { listDataFiles } from './backup/data-files.js';
import { restoreBackup, type RestoreProgress } from './backup/restore.js';
import { finishInterruptedSwap, markStagingReady, stagingFolderOf, swapIn } from './backup/swap.js';
import { checkExportRequest, exportConfigOf, exportFileName, exportJournal, journalFileOf } from './export/journal-export.js';

/** Where `npm start` keeps the till's data (scripts/data-dir.mjs): SERVEROKEY_DATA, else the platform's place. */
export function defaultDataDir(): string {
  if (process.env.SERVEROKEY_DATA) return path.resolve(process.env.SERVEROKEY_DATA);
  const home = os.homedir();
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'serverokey-pos');
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'serverokey-pos');
  return path.join(process.env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'serverokey-pos');
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

// --- import ---------------------------------------------------------------------------------------

export interface ImportOptions {
  appDir: string;
  dataDir: string;
  from?: string;
  replace?: boolean;
  log: Logger;
}

export interface ImportOutcome {
  report: ImportReport;
  /** where the data that --replace replaced is kept */
  keptAside: string | null;
}

/** Imports into the data folder; a folder holding data is refused unless `replace` (then it is kept aside). */
export async function importCommand(options: ImportOptions): Promise<ImportOutcome> {
  const appDir = path.resolve(options.appDir);
  const dataDir = path.resolve(options.dataDir);
  const source = path.resolve(options.from ?? path.join(appDir, WISE_DB_FOLDER));
  const holder = readDataLock(dataDir);
  if (holder) throw new DataFolderBusyError(dataDir, holder);
  await listCollections(source); // a folder that is not WiseJSON is refused before anything is touched
  const { manifest } = await loadManifest(appDir);
  await finishInterruptedSwap(dataDir);
  const occupied = await hasStoredState(dataDir);
  if (occupied && !options.replace) {
    throw new Error(
      `the data folder ${dataDir} already holds data; nothing was imported. Add --replace to import anyway ` +
        '(the current data is kept aside as <data folder>.replaced-<time>, never deleted), or give another folder with --data',
    );
  }
  if (!occupied) {
    const lock = acquireDataLock(dataDir);
    try {
      const store = await createStore({ connectors: manifest.connectors, dataDir, log: options.log });
      try {
        return { report: await importWiseDb({ source, manifest, store, log: options.log }), keptAside: null };
      } finally {
        await store.close();
      }
    } finally {
      lock.release();
    }
  }
  // --replace: the import is staged beside the folder and swapped in whole (swap.ts); the host's own
  // files (its secret, paired terminals) come along so cookies and pairings stay valid
  const staging = stagingFolderOf(dataDir);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true, mode: PRIVATE_DIR_MODE });
  const locks = [acquireDataLock(staging), acquireDataLock(dataDir)];
  try {
    for (const name of ['host-secret', 'terminals.json']) {
      if (await exists(path.join(dataDir, name))) await copyFile(path.join(dataDir, name), path.join(staging, name));
    }
    const store = await createStore({ connectors: manifest.connectors, dataDir: staging, log: options.log });
    let report: ImportReport;
    try {
      report = await importWiseDb({ source, manifest, store, log: options.log });
    } finally {
      await store.close();
    }
    await markStagingReady(staging);
    const keptAside = await swapIn(staging, dataDir);
    return { report, keptAside };
  } catch (error) {
    await rm(staging, { recursive: true, force: true }).catch(() => {});
    throw error;
  } finally {
    for (const lock of locks.reverse()) lock.release();
  }
}

export function formatImportReport(outcome: ImportOutcome): string {
  const { report } = outcome;
  const lines = [`imported from ${report.source}:`];
  for (const item of report.imported) {
    lines.push(
      `  ${item.connector} ← ${item.collection}: ${item.items} item(s)${item.metaKeys.length ? `, meta ${item.metaKeys.join(', ')}` : ''} ` +
        `(${item.checkpoint ? `checkpoint ${item.checkpoint}` : 'no checkpoint'}, ${item.logLinesApplied} log line(s))`,
    );
    for (const problem of item.problems) lines.push(`    ! ${problem}`);
  }
  if (report.imported.length === 0) lines.push('  nothing: no connector of the manifest matches a collection');
  if (report.notImported.length > 0) {
    lines.push('not imported:');
    for (const item of report.notImported) lines.push(`  ${item.what}: ${item.reason}`);
  }
  if (outcome.keptAside) lines.push(`the data that was replaced is kept in ${outcome.keptAside}`);
  return `${lines.join('\n')}\n`;
}

// --- backup ---------------------------------------------------------------------------------------

/**
 * A backup of the data folder into a new folder inside `to`. While a host serves the folder, the host
 * makes it (a consistent snapshot, asked through its admin endpoint); otherwise the files are copied
 * directly, the write-ahead log included, with the folder locked so no host starts meanwhile.
 */
export async function backupCommand(dataDirArg: string, to: string): Promise<BackupResult & { through: 'host' | 'folder' }> {
  const dataDir = path.resolve(dataDirArg);
  const target = path.resolve(to);
  const relative = path.relative(dataDir, target);
  if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) {
    throw new BackupError(`the backup folder ${target} is inside the data folder ${dataDir}; choose a folder outside it (another disk is best)`, target);
  }
  const holder = readDataLock(dataDir);
  if (holder) {
    if (!holder.url) throw new Error(`a host (process ${holder.pid}) is starting on ${dataDir}; try again in a moment`);
    const { backup } = await callHostAdmin<{ backup: BackupResult }>(dataDir, holder.url, 'backup', { to: target });
    return { ...backup, through: 'host' };
  }
  if (!(await exists(dataDir))) throw new Error(`there is no data folder at ${dataDir} (give it with --data)`);
  const lock = acquireDataLock(dataDir);
  try {
    const files = (await listDataFiles(dataDir, { includeLog: true })).map((file) => ({ path: file.path, source: file.full, bytes: 0 }));
    for (const file of files) file.bytes = (await stat(file.source)).size;
    return { ...(await writeBackup(files, target, { source: dataDir, taken: 'from-stopped-folder' })), through: 'folder' };
  } finally {
    lock.release();
  }
}

export { verifyBackup };

export function restoreCommand(backup: string, dataDir: string, progress?: RestoreProgress) {
  return restoreBackup(backup, dataDir, progress);
}

// --- export ---------------------------------------------------------------------------------------

export interface ExportOptions {
  appDir: string;
  dataDir: string;
  journal?: string;
  from?: string;
  to?: string;
  format?: string;
  /** a file, "-" for standard output; default a file named after the journal and range in the current folder */
  out?: string;
}

export async function exportCommand(options: ExportOptions, stdout: (text: string) => void): Promise<{ file: string; records: number; skipped: number }> {
  const { manifest } = await loadManifest(path.resolve(options.appDir));
  const journals = Object.entries(manifest.connectors).filter(([, c]) => c.type === 'journal').map(([name]) => name);
  const name = options.journal ?? Object.keys(manifest.exports ?? {})[0] ?? (journals.includes('sales') ? 'sales' : journals[0]);
  const config = name ? exportConfigOf(manifest, name) : undefined;
  if (!config) {
    const known = [...new Set([...Object.keys(manifest.exports ?? {}), ...journals])];
    throw new Error(`nothing to export named ${JSON.stringify(name ?? '')} (exports and journals of the app: ${known.join(', ') || 'none'})`);
  }
  if (config.journal === undefined) {
    throw new Error(`export "${name}" is a query on the app's database (sql): download it from the running app at /__export/${name}`);
  }
  const request = checkExportRequest({ from: options.from, to: options.to, format: options.format });
  const dataDir = path.resolve(options.dataDir);
  // a running host may hold the last second of sales only in its write-ahead log: it writes them out first
  const holder = readDataLock(dataDir);
  if (holder?.url) await callHostAdmin(dataDir, holder.url, 'flush').catch(() => {});
  const source = journalFileOf(dataDir, config.journal);
  if (options.out === '-') {
    const summary = await exportJournal(source, config, request, stdout);
    return { file: '-', ...summary };
  }
  const file = path.resolve(options.out ?? exportFileName(name, request));
  const temp = `${file}.partial`;
  const handle = await open(temp, 'w', PRIVATE_FILE_MODE);
  let summary;
  try {
    summary = await exportJournal(source, config, request, async (text) => {
      await handle.write(text);
    });
    await handle.sync();
  } catch (error) {
    await handle.close();
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temp, file);
  return { file, ...summary };
}
