// A page: the connectors it reads (the store's own frozen states), rendered whole, or as the SPA answer.
import type { Request, Response } from 'express';
import type { ViewDownload, ViewRoute } from '../manifest/types.js';
import type { AppDeps } from './deps.js';
import { csrfToken, requesterOf } from './identity.js';
import { finishPage } from './page.js';
import { renderInput } from './render-input.js';
import { isSpa, locals, queryOf } from './respond.js';

export async function serveView(deps: AppDeps, req: Request, res: Response, key: string, route: ViewRoute): Promise<void> {
  const engine = deps.engine();
  const { identity, nonce } = locals(res);
  const requester = requesterOf(engine, identity);
  const query = queryOf(req);
  let data: Record<string, unknown>;
  let context: Record<string, unknown> = {};
  if (route.steps?.length) {
    // read-only steps compute what the page shows from the query string (GET /sales?number=17 → context.sale)
    const outcome = await engine.runner.runView(key, route, query, requester);
    if (outcome.redirect !== undefined) {
      const url = typeof outcome.redirect === 'string' ? outcome.redirect : outcome.redirect.url;
      if (isSpa(req)) res.json({ redirect: outcome.redirect });
      else res.redirect(302, url);
      return;
    }
    data = outcome.vars.data;
    context = outcome.vars.context;
    if (route.download) return sendDownload(req, res, route.download, context);
  } else {
    data = await engine.runner.readFor(route.reads ?? [], requester, { shared: true });
  }
  const csrf = csrfToken(deps.secret, identity);
  const input = renderInput(identity, data, { pathname: req.path, query }, csrf, identity.user, deps.chainStatus?.() ?? null, context);
  if (isSpa(req)) {
    if (!route.inject?.pageContent) {
      res.json({ redirect: { url: req.originalUrl, full: true } });
      return;
    }
    res.json(engine.renderer.renderSpa(route, input));
    return;
  }
  // while the host cannot save (a full disk), the page says so
  const status = engine.store.status();
  const hostProblem = status.ok ? undefined : status.message;
  const html = finishPage(engine.renderer.renderPage(route, input), { csrf, nonce, dev: deps.dev, hostProblem });
  res.type('html');
  if (req.method === 'HEAD') {
    res.setHeader('Content-Length', Buffer.byteLength(html));
    res.end();
    return;
  }
  res.send(html);
}

/** A view with `download`: the text its steps computed, as a file (never a page, never cached). */
function sendDownload(req: Request, res: Response, download: ViewDownload, context: Record<string, unknown>): void {
  let value: unknown = { context };
  for (const part of download.body.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  if (typeof value !== 'string') throw new Error(`download: ${download.body} is ${value === undefined ? 'not set' : typeof value} after the view's steps, not a text`);
  res.setHeader('Content-Type', download.contentType ?? 'text/plain; charset=utf-8');
  res.setHeader('Content-Disposition', `attachment; filename="${download.fileName}"`);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', Buffer.byteLength(value));
  if (req.method === 'HEAD') res.end();
  else res.end(value);
}
