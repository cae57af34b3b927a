// Journals (sales, Z reports) out of the till for accountants: the records of a date range as CSV (UTF-8
// with a BOM and `;` between fields, so a Russian-locale spreadsheet opens it with the right letters
// and columns, money as 12,50) or as JSON lines. The journal file is read line by line, never whole:
// a 100,000-sale journal costs memory for one line at a time.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import path from 'node:path';
import type { ExportColumn, ExportConfig, Manifest } from '../manifest/types.js';
import { connectorFile } from '../store/paths.js';

export type ExportFormat = 'csv' | 'jsonl';

export interface ExportRequest {
  /** YYYY-MM-DD, inclusive; absent: from the first record */
  from?: string;
  /** YYYY-MM-DD, inclusive; absent: to the last record */
  to?: string;
  format: ExportFormat;
}

export class ExportInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportInputError';
  }
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Checks --from/--to and the format; throws ExportInputError with what to write instead. */
export function checkExportRequest(request: { from?: unknown; to?: unknown; format?: unknown }): ExportRequest {
  const day = (value: unknown, what: string): string | undefined => {
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string' || !DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
      throw new ExportInputError(`${what} must be a date written YYYY-MM-DD (got ${JSON.stringify(value)})`);
    }
    return value;
  };
  const from = day(request.from, 'from');
  const to = day(request.to, 'to');
  if (from && to && from > to) throw new ExportInputError(`the range is empty: from ${from} is after to ${to}`);
  const format = request.format === undefined || request.format === '' ? 'csv' : request.format;
  if (format !== 'csv' && format !== 'jsonl') throw new ExportInputError(`format must be "csv" or "jsonl" (got ${JSON.stringify(format)})`);
  return { from, to, format };
}

/** The export a manifest declares, or one made up for any journal connector (all top-level fields). */
export function exportConfigOf(manifest: Manifest, name: string): ExportConfig | undefined {
  const declared = manifest.exports?.[name];
  if (declared) return declared;
  return manifest.connectors[name]?.type === 'journal' ? { journal: name } : undefined;
}

/** Every declared export names a journal connector or has a query; a mistake stops start-up with the fix. */
export function checkExports(manifest: Manifest): void {
  for (const [name, config] of Object.entries(manifest.exports ?? {})) {
    if (config.sql !== undefined) {
      if (config.journal !== undefined) throw new Error(`exports.${name} has both journal and sql: an export reads one of them`);
      continue;
    }
    if (config.journal === undefined) throw new Error(`exports.${name} needs journal (a journal connector) or sql (a query on the host's database)`);
    const connector = manifest.connectors[config.journal];
    if (!connector) throw new Error(`exports.${name}.journal names "${config.journal}", which is not a declared connector`);
    if (connector.type !== 'journal') throw new Error(`exports.${name}.journal: connector "${config.journal}" is ${connector.type}; only journal connectors can be exported`);
    if ((connector.scope ?? 'global') !== 'global') throw new Error(`exports.${name}.journal: connector "${config.journal}" must have scope "global"`);
  }
}

export function journalFileOf(dataDir: string, journal: string): string {
  return connectorFile(dataDir, journal, false, 'global', '.jsonl');
}

function valueAt(record: unknown, field: string): unknown {
  let value = record;
  for (const part of field.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  return value;
}

/** Kopecks → "12,50" (a decimal comma: Russian-locale spreadsheets read it as a number). */
export function moneyText(kopecks: unknown): string {
  if (typeof kopecks !== 'number' || !Number.isFinite(kopecks)) return kopecks === undefined || kopecks === null ? '' : String(kopecks);
  const sign = kopecks < 0 ? '-' : '';
  const abs = Math.round(Math.abs(kopecks));
  return `${sign}${Math.floor(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

function cellText(value: unknown, format: ExportColumn['format']): string {
  if (format === 'money') return moneyText(value);
  if (format === 'json') return value === undefined ? '' : JSON.stringify(value);
  if (value === undefined || value === null) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  if (typeof value === 'number') return String(value).replace('.', ',');
  return String(value);
}

/** One CSV field: quoted when it holds the separator, a quote or a line break. */
function csvField(text: string): string {
  return /[";\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const CSV_BOM = '\uFEFF';

function dateOf(record: unknown, config: ExportConfig): string | undefined {
  const fields = config.dateField ? [config.dateField] : ['day', 'at'];
  for (const field of fields) {
    const value = valueAt(record, field);
    if (typeof value === 'string' && value.length >= 10) return value.slice(0, 10);
  }
  return undefined;
}

export interface ExportSummary {
  records: number;
  /** lines of the file that do not parse (a cut-off last line after a crash); left out */
  skipped: number;
}

/**
 * Writes records one by one as CSV (a header from `columns`, or from the first record's fields) or JSON
 * lines; `finish()` writes what an empty export still has (the BOM, the header).
 */
function recordWriter(config: Pick<ExportConfig, 'columns'>, request: ExportRequest, write: (text: string) => void | Promise<void>) {
  let columns = config.columns;
  let header = false;
  const writeHeader = async (first: unknown) => {
    header = true;
    if (request.format !== 'csv') return;
    columns ??= Object.keys(first && typeof first === 'object' ? first : {}).map((field) => ({ title: field, field }));
    await write(`${CSV_BOM}${columns.map((column) => csvField(column.title)).join(';')}\r\n`);
  };
  return {
    async add(record: unknown): Promise<void> {
      if (!header) await writeHeader(record);
      if (request.format === 'jsonl') await write(`${JSON.stringify(record)}\n`);
      else await write(`${columns!.map((column) => csvField(cellText(valueAt(record, column.field), column.format))).join(';')}\r\n`);
    },
    async finish(): Promise<void> {
      if (header || request.format !== 'csv') return;
      if (columns) await writeHeader({});
      else await write(CSV_BOM);
    },
  };
}

/**
 * Writes the records of `file` within the range to `write` (called per chunk of text). Resolves with
 * how many were written. A missing file is an empty journal.
 */
export async function exportJournal(
  file: string,
  config: ExportConfig,
  request: ExportRequest,
  write: (text: string) => void | Promise<void>,
): Promise<ExportSummary> {
  const summary: ExportSummary = { records: 0, skipped: 0 };
  const out = recordWriter(config, request, write);
  const stream = createReadStream(file, { encoding: 'utf8' });
  const opened = new Promise<boolean>((resolve, reject) => {
    stream.once('open', () => resolve(true));
    stream.once('error', (error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? resolve(false) : reject(error)));
  });
  if (!(await opened)) {
    await out.finish();
    return summary;
  }
  const lines: AsyncIterable<string> = createInterface({ input: stream, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch {
      summary.skipped++;
      continue;
    }
    const day = dateOf(record, config);
    if (request.from && (!day || day < request.from)) continue;
    if (request.to && (!day || day > request.to)) continue;
    await out.add(record);
    summary.records++;
  }
  await out.finish();
  return summary;
}

/** Rows a query gave (exports with `sql`) as CSV or JSON lines, like a journal's records. */
export async function exportRows(
  rows: Iterable<unknown>,
  config: Pick<ExportConfig, 'columns'>,
  request: ExportRequest,
  write: (text: string) => void | Promise<void>,
): Promise<ExportSummary> {
  const summary: ExportSummary = { records: 0, skipped: 0 };
  const out = recordWriter(config, request, write);
  for (const row of rows) {
    await out.add(row);
    summary.records++;
  }
  await out.finish();
  return summary;
}

/** A download's file name: sales_2026-12-01_2026-12-31.csv */
export function exportFileName(name: string, request: ExportRequest): string {
  const range = [request.from ?? 'start', request.to ?? 'now'].join('_');
  return `${path.basename(name)}_${range}.${request.format === 'csv' ? 'csv' : 'jsonl'}`;
}
