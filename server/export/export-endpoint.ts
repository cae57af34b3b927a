// GET /__export/<name>?from=YYYY-MM-DD&to=YYYY-MM-DD&format=csv|jsonl: a download of a journal's records
// in a date range, for the app's pages (a manager's export form). Needs a login, and one of the export's
// roles when it declares any; every acknowledged record is in the file first (the store is flushed).
import type { Request, Response } from 'express';
import type { Engine } from '../engine.js';
import type { Identity } from '../http/identity.js';
import { checkExportRequest, exportConfigOf, ExportInputError, exportFileName, exportJournal, exportRows, journalFileOf } from './journal-export.js';
import { SqlError } from '../database/app-database.js';

export const EXPORT_PATH = '/__export/';

function fail(res: Response, status: number, message: string): void {
  res.status(status).json({ error: { status, message } });
}

export async function serveExport(engine: Engine, req: Request, res: Response): Promise<void> {
  const identity = res.locals.identity as Identity;
  const name = decodeURIComponent(req.path.slice(EXPORT_PATH.length));
  const config = /^[A-Za-z0-9_-]+$/.test(name) ? exportConfigOf(engine.manifest, name) : undefined;
  if (!config) return fail(res, 404, `Нет такой выгрузки: ${name}`);
  if (!identity.user) return fail(res, 401, 'Войдите в систему, чтобы выгрузить данные');
  if (config.roles?.length && !identity.roles.some((role) => config.roles!.includes(role))) {
    return fail(res, 403, `Недостаточно прав: нужна роль ${config.roles.join(' или ')}`);
  }
  let request;
  try {
    request = checkExportRequest({ from: req.query.from, to: req.query.to, format: req.query.format });
  } catch (error) {
    if (error instanceof ExportInputError) return fail(res, 400, `Неверный запрос выгрузки: ${error.message}`);
    throw error;
  }
  let rows: Array<Record<string, unknown>> | undefined;
  if (config.sql !== undefined) {
    if (!engine.database) return fail(res, 500, `exports.${name}.sql needs a database: serve the app with --database`);
    try {
      rows = (await engine.database.query(config.sql, [request.from ?? null, request.to ?? null], { readOnly: true })).rows;
    } catch (error) {
      if (error instanceof SqlError) {
        engine.log.warn(`export ${name}: ${error.message}`);
        return fail(res, error.status, error.status === 503 ? error.message : `Выгрузка не удалась: ${error.message}`);
      }
      throw error;
    }
  }
  await engine.store.flush();
  res.setHeader('Content-Type', request.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${exportFileName(name, request)}"`);
  const write = (text: string) => {
    if (res.write(text)) return;
    return new Promise<void>((resolve) => res.once('drain', () => resolve()));
  };
  if (rows) await exportRows(rows.map((row) => Object.fromEntries(Object.entries(row).map(([key, value]) => [key, value instanceof Date ? value.toISOString() : value]))), config, request, write);
  else await exportJournal(journalFileOf(engine.dataDir, config.journal!), config, request, write);
  res.end();
}
