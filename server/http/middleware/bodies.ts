// Request bodies: JSON or a form, up to 1 MB (login routes: 16 KB; an action route's own bodyLimitMb, up to
// 16 MB), UTF-8; anything else is refused before it is read.
import express, { type RequestHandler } from 'express';
import type { AppDeps } from '../deps.js';
import { HttpError } from '../http-error.js';

const JSON_LIMIT = '1mb';
/** login bodies: a name (at most MAX_LOGIN_NAME_LENGTH) and a password, with room to spare */
const LOGIN_BODY_LIMIT = '16kb';

/** Refuses bodies of another type or charset before any parser reads them. */
export function bodyTypes(): RequestHandler {
  return (req, _res, next) => {
    const length = Number(req.get('content-length') ?? 0);
    const type = req.get('content-type');
    if ((length > 0 || req.get('transfer-encoding')) && type && !req.is(['application/json', 'application/x-www-form-urlencoded'])) {
      throw new HttpError(415, `unsupported body type ${type}: send application/json or a form`);
    }
    const charset = /;\s*charset=([^;\s]+)/i.exec(type ?? '')?.[1]?.replace(/"/g, '').toLowerCase();
    if (charset && charset !== 'utf-8' && charset !== 'utf8') throw new HttpError(415, `unsupported charset ${charset}: send UTF-8`);
    next();
  };
}

/**
 * Bodies of login routes are parsed with a small limit: a login name and a password are short, and a
 * flood of anonymous attempts with near-1 MB bodies would otherwise have the host read and parse each one
 * (the heap it grew for that stayed). Anything larger is refused before it is read.
 */
export function loginBodies(deps: AppDeps): RequestHandler {
  const parsers = [express.json({ limit: LOGIN_BODY_LIMIT, strict: false }), express.urlencoded({ limit: LOGIN_BODY_LIMIT, extended: false })];
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    const match = deps.routes().match(req.method, req.path);
    if (match.kind !== 'route' || !deps.engine().loginRoutes.has(match.key)) return next();
    const [json, form] = parsers;
    const refuse = (error: unknown) => {
      if ((error as { type?: string })?.type !== 'entity.too.large') return next(error);
      next(new HttpError(413, 'Слишком длинные данные для входа (больше 16 КБ): проверьте имя пользователя и пароль'));
    };
    json(req, res, (error?: unknown) => (error ? refuse(error) : form(req, res, (error2?: unknown) => (error2 ? refuse(error2) : next()))));
  };
}

/** The largest `bodyLimitMb` an action route may declare. */
export const MAX_BODY_LIMIT_MB = 16;

/**
 * The parsers for every other body: up to 1 MB, or the `bodyLimitMb` its action route declares (an upload
 * such as a catalogue file; at most MAX_BODY_LIMIT_MB). Anything larger is refused (413) before it is read.
 */
export function bodyParsers(deps: AppDeps): RequestHandler {
  const byLimit = new Map<number, RequestHandler[]>();
  const parsersFor = (mb: number): RequestHandler[] => {
    let parsers = byLimit.get(mb);
    if (!parsers) {
      const limit = mb === 1 ? JSON_LIMIT : `${mb}mb`;
      parsers = [express.json({ limit, strict: false }), express.urlencoded({ limit, extended: false })];
      byLimit.set(mb, parsers);
    }
    return parsers;
  };
  return (req, res, next) => {
    let mb = 1;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      const match = deps.routes().match(req.method, req.path);
      const declared = match.kind === 'route' && match.route.type === 'action' ? match.route.bodyLimitMb : undefined;
      if (typeof declared === 'number' && Number.isInteger(declared)) mb = Math.min(Math.max(declared, 1), MAX_BODY_LIMIT_MB);
    }
    const [json, form] = parsersFor(mb);
    json(req, res, (error?: unknown) => (error ? next(error) : form(req, res, next)));
  };
}
