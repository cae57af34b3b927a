// Every failure becomes its answer here, once: HttpError (thrown by the HTTP layer), ActionError (steps and
// actions), StoreWriteError (a full disk: 507/503), the body parser's errors, and anything else as a 500
// whose details go to the host's log (and to the answer in debug mode only).
import type { NextFunction, Request, Response } from 'express';
import { ActionError } from '../actions/errors.js';
import { StoreWriteError } from '../store/types.js';
import type { AppDeps } from './deps.js';
import { HttpError } from './http-error.js';
import { sendError } from './respond.js';

export function errorHandler(deps: AppDeps) {
  return (error: unknown, req: Request, res: Response, _next: NextFunction): void => {
    const engine = deps.engine();
    const err = error as { type?: string; status?: number; message?: string };
    if (error instanceof HttpError) {
      for (const [name, value] of Object.entries(error.options.headers ?? {})) res.setHeader(name, value);
      return sendError(res, error.body(), error.options.redirect);
    }
    if (err?.type === 'entity.too.large') {
      const limitMb = Math.max(1, Math.round(Number((error as { limit?: number }).limit ?? 1_048_576) / 1_048_576));
      return sendError(res, { status: 413, message: `Слишком большой запрос (больше ${limitMb} МБ)` });
    }
    if (err?.type === 'entity.parse.failed') return sendError(res, { status: 400, message: `malformed JSON body: ${err.message}` });
    if (err?.type === 'encoding.unsupported' || err?.type === 'charset.unsupported') {
      return sendError(res, { status: 415, message: err.message ?? 'unsupported encoding' });
    }
    if (error instanceof ActionError) return sendError(res, error.toBody(engine.debug, (line) => engine.log.error(`${req.method} ${req.path}: ${line}`)));
    // a full disk or a read-only data folder: the store has logged it once and undone the change
    if (error instanceof StoreWriteError) return sendError(res, { status: error.status, message: error.userMessage });
    if (typeof err?.status === 'number' && err.status >= 400 && err.status < 500) {
      return sendError(res, { status: err.status, message: err.message ?? 'bad request' });
    }
    engine.log.error(`${req.method} ${req.path}: ${(error as Error)?.stack ?? String(error)}`);
    sendError(res, {
      status: 500,
      message: engine.debug ? String((error as Error)?.stack ?? error) : 'Внутренняя ошибка кассы; подробности в журнале хоста',
    });
  };
}
