// An action: same-origin and CSRF checks, the login guard for login routes, the transaction (the runner),
// the session change a login or logout asked for, then the answer: a redirect, or the updated component.
import type { Request, Response } from 'express';
import type { ActionResponse } from '../../protocol/wire.js';
import { CSRF_HEADER, SOCKET_ID_HEADER } from '../../protocol/wire.js';
import type { ActionRoute } from '../manifest/types.js';
import type { Engine } from '../engine.js';
import { ActionError } from '../actions/errors.js';
import { LoginGuard } from '../auth/login-guard.js';
import type { Initiator } from '../realtime/hub.js';
import { notifyOnCommit } from '../realtime/notify-on-commit.js';
import type { AppDeps } from './deps.js';
import { HttpError } from './http-error.js';
import { csrfToken, csrfValid, originAllowed, requesterOf, type Identity } from './identity.js';
import { FragmentCache } from './fragment-cache.js';
import { applySessionChange, loginAttempt } from './login-session.js';
import { renderInput } from './render-input.js';
import { locals, pageUrl, queryOf, sendJsonText } from './respond.js';

const fragmentCaches = new WeakMap<Engine, FragmentCache>();

function fragmentCacheOf(engine: Engine): FragmentCache {
  let cache = fragmentCaches.get(engine);
  if (!cache) {
    cache = new FragmentCache();
    fragmentCaches.set(engine, cache);
  }
  return cache;
}

/** The window that sent the action (its socket gets no echo of its own change), when it said so. */
function initiatorOf(req: Request, identity: Identity): Initiator | undefined {
  const socketId = req.get(SOCKET_ID_HEADER);
  return socketId ? { socketId, terminalId: identity.terminal?.id ?? null } : undefined;
}

export async function serveAction(deps: AppDeps, req: Request, res: Response, key: string, route: ActionRoute, loginGuard: LoginGuard): Promise<void> {
  const engine = deps.engine();
  const { identity } = locals(res);
  if (!originAllowed(req)) throw new HttpError(403, 'запрос с чужого сайта отклонён (Origin не совпадает с адресом кассы)');
  const body: unknown = req.body === undefined ? {} : req.body;
  const presented = req.get(CSRF_HEADER) ?? (body && typeof body === 'object' ? (body as Record<string, unknown>)._csrf : undefined);
  if (!csrfValid(deps.secret, identity, presented)) throw new HttpError(403, 'Сессия страницы устарела (CSRF): обновите страницу и повторите');
  if (body && typeof body === 'object' && !Array.isArray(body)) delete (body as Record<string, unknown>)._csrf;

  const attempt = engine.loginRoutes.has(key) ? loginAttempt(engine, identity, req, body) : undefined;
  if (attempt) {
    const refused = LoginGuard.refusedName(attempt.account);
    if (refused) throw new HttpError(400, refused, { fields: { [engine.manifest.auth?.identityField ?? 'login']: refused } });
    const wait = loginGuard.retryAfter(attempt);
    if (wait > 0) {
      throw new HttpError(429, `Слишком много попыток входа. Повторите через ${Math.ceil(wait / 60_000)} мин.`, {
        headers: { 'Retry-After': String(Math.ceil(wait / 1000)) },
      });
    }
  }

  const initiator = initiatorOf(req, identity);
  const outcome = await engine.runner.run({
    routeKey: key,
    route,
    body,
    query: queryOf(req),
    requester: requesterOf(engine, identity),
    committing: (changes, durable) => notifyOnCommit(deps.hub(), engine.store, engine.log, changes, durable, initiator),
    origin: initiator,
  });
  // auth:endSessions: the users' logins end on every terminal once the change is saved, and their windows reload
  for (const userKey of outcome.endSessions) {
    await engine.sessions?.destroyUser(userKey);
    deps.hub()?.endUserSessions(userKey);
  }
  if (attempt && !outcome.login) loginGuard.failed(attempt);
  const { user, sessionToken } = await applySessionChange(deps, req, res, identity, outcome);
  if (attempt && outcome.login) loginGuard.succeeded(attempt);

  if (outcome.redirect !== undefined) {
    res.json({ redirect: outcome.redirect });
    return;
  }
  if (!route.update) {
    res.json({});
    return;
  }
  const csrf = csrfToken(deps.secret, { sessionToken, terminalCookie: identity.terminalCookie });
  const url = pageUrl(req);
  // a read-only action over states already answered a moment ago (a refresh storm): the same JSON
  const cache = outcome.readOnly ? fragmentCacheOf(engine) : undefined;
  const cacheKey = cache ? JSON.stringify([key, url, identity.terminal?.id, identity.terminal?.name, csrf]) : '';
  const inputs = cache ? [identity.storedUser, ...Object.values(outcome.vars.data)] : [];
  const cached = cache?.get(cacheKey, inputs);
  if (cached !== undefined) return sendJsonText(res, cached);
  let rendered;
  try {
    rendered = engine.renderer.renderComponent(
      route.update,
      renderInput(identity, outcome.vars.data, url, csrf, user, deps.chainStatus?.() ?? null, outcome.vars.context),
    );
  } catch (error) {
    const saved = outcome.changes.length > 0 ? 'Данные сохранены, но ' : '';
    throw new ActionError(500, `${saved}компонент "${route.update}" не удалось отрисовать: ${(error as Error).message}`, {
      cause: error,
      publicMessage: saved ? 'Данные сохранены, но экран не удалось обновить' : undefined,
    });
  }
  const answer: ActionResponse = {
    html: rendered.html,
    styles: rendered.styles.map((s) => s.css).join('\n'),
    scripts: rendered.scripts,
    componentName: route.update,
  };
  if (!cache) {
    res.json(answer);
    return;
  }
  const text = Buffer.from(JSON.stringify(answer));
  cache.set(cacheKey, inputs, text);
  sendJsonText(res, text);
}
