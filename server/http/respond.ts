// Answering: the request's locals, what kind of client asks (a page load, the SPA client, fetch), and the
// one shape of an error answer (JSON { error } for the client, a small page for a person loading a page).
import type { Request, Response } from 'express';
import type { ActionResponse, ErrorBody, Redirect } from '../../protocol/wire.js';
import { SPA_HEADER, SPA_HEADER_VALUE } from '../../protocol/wire.js';
import type { Identity } from './identity.js';
import { enginePage, escapeHtml } from './page.js';

export type Locals = { identity: Identity; nonce: string };

export function locals(res: Response): Locals {
  return res.locals as Locals;
}

export function isSpa(req: Request): boolean {
  return req.get(SPA_HEADER) === SPA_HEADER_VALUE;
}

/** A person loading a page gets a page; the client (fetch, Accept: application/json) gets JSON. */
function wantsPage(req: Request): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && !isSpa(req) && req.accepts(['json', 'html']) === 'html';
}

export function sendError(res: Response, error: ErrorBody, redirect?: Redirect): void {
  if (res.headersSent) return;
  const req = res.req as Request;
  if (req && wantsPage(req)) {
    const back = typeof redirect === 'string' ? redirect : (redirect?.url ?? '/');
    res
      .status(error.status)
      .type('html')
      .send(enginePage(`Ошибка ${error.status}`, `<h1>${escapeHtml(error.message)}</h1><p><a href="${escapeHtml(back)}">Вернуться</a></p>`));
    return;
  }
  const body: ActionResponse = redirect ? { error, redirect } : { error };
  res.status(error.status).json(body);
}

export function queryOf(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  const url = new URL(req.originalUrl, 'http://host');
  for (const [key, value] of url.searchParams) out[key] = value;
  return out;
}

/** The page a fragment belongs to: the Referer when it is this host, else the request itself. */
export function pageUrl(req: Request): { pathname: string; query: Record<string, string> } {
  const referer = req.get('referer');
  if (referer) {
    try {
      const url = new URL(referer);
      if (url.host === req.get('host')) return { pathname: url.pathname, query: Object.fromEntries(url.searchParams) };
    } catch {
      // fall through to the request's own URL
    }
  }
  return { pathname: req.path, query: queryOf(req) };
}

/**
 * res.json for a body already serialised to UTF-8: the same headers and bytes (res.json of an answer sets
 * application/json, and res.send adds the charset it encodes the string in).
 */
export function sendJsonText(res: Response, body: Buffer): void {
  res.set('Content-Type', 'application/json; charset=utf-8');
  res.send(body);
}
