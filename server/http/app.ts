// The express application: routing from the manifest, guards (terminal, session, CSRF, origin, roles),
// body limits and typed errors. Every failure answers JSON { error } with a 4xx/5xx the client shows.
import express, { type NextFunction, type Request, type Response } from 'express';
import { randomBytes } from 'node:crypto';
import type { ActionResponse, ErrorBody, Redirect } from '../../protocol/wire.js';
import { CSRF_HEADER, SOCKET_ID_HEADER, SPA_HEADER, SPA_HEADER_VALUE } from '../../protocol/wire.js';
import type { ActionRoute, RouteConfig, ViewRoute } from '../manifest/types.js';
import type { Engine } from '../engine.js';
import { ActionError } from '../actions/errors.js';
import { StoreWriteError } from '../store/types.js';
import type { RenderInput } from '../render/index.js';
import { expiredCookie, serializeCookie, SESSION_COOKIE } from '../auth/cookies.js';
import { LoginGuard, type LoginAttempt } from '../auth/login-guard.js';
import type { TerminalRegistry } from '../auth/terminals.js';
import { publicUser } from '../auth/user.js';
import { loginTarget, requiresLogin } from '../manifest/auth-rules.js';
import type { Initiator, RealtimeHub } from '../realtime/hub.js';
import { notifyOnCommit } from '../realtime/notify-on-commit.js';
import { csrfToken, csrfValid, hostAllowed, identify, isSecure, originAllowed, requesterOf, type Identity } from './identity.js';
import { contentSecurityPolicy, enginePage, escapeHtml, finishPage } from './page.js';
import { RouteTable } from './routes.js';
import { pairingRouter } from './pairing.js';
import { FragmentCache } from './fragment-cache.js';
import { OFFLINE_WORKER_PATH, offlineWorkerScript } from './offline-worker.js';
import { ADMIN_PATH, adminRouter, type AdminHandlers } from '../backup/admin.js';
import { EXPORT_PATH, serveExport } from '../export/export-endpoint.js';

export interface AppDeps {
  /** the current engine (replaced in dev mode when the app is reloaded) */
  engine(): Engine;
  terminals: TerminalRegistry;
  hub(): RealtimeHub | undefined;
  secret: Buffer;
  lan: boolean;
  /** dev mode: pages keep a socket open for reload and error frames */
  dev: boolean;
  clientScript(): Promise<string>;
  inFlight: { count: number; idle: Array<() => void> };
  routes(): RouteTable;
  /** the admin endpoint for commands on this computer (serverokey backup while the host runs) */
  admin?: AdminHandlers;
}

type Locals = { identity: Identity; nonce: string };

const JSON_LIMIT = '1mb';
/** login bodies: a name (at most MAX_LOGIN_NAME_LENGTH) and a password, with room to spare */
const LOGIN_BODY_LIMIT = '16kb';

// CSP nonces: 16 random bytes each, cut from a larger random block (one call into the CSPRNG per 256 requests)
let noncePool = Buffer.alloc(0);
let nonceOffset = 0;

function newNonce(): string {
  if (nonceOffset + 16 > noncePool.length) {
    noncePool = randomBytes(4096);
    nonceOffset = 0;
  }
  const nonce = noncePool.toString('base64', nonceOffset, nonceOffset + 16);
  nonceOffset += 16;
  return nonce;
}

function locals(res: Response): Locals {
  return res.locals as Locals;
}

/** A person loading a page gets a page; the client (fetch, Accept: application/json) gets JSON. */
function wantsPage(req: Request): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && !isSpa(req) && req.accepts(['json', 'html']) === 'html';
}

function sendError(res: Response, error: ErrorBody, redirect?: Redirect): void {
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

function queryOf(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  const url = new URL(req.originalUrl, 'http://host');
  for (const [key, value] of url.searchParams) out[key] = value;
  return out;
}

/** The window that sent the action (its socket gets no echo of its own change), when it said so. */
function initiatorOf(req: Request, identity: Identity): Initiator | undefined {
  const socketId = req.get(SOCKET_ID_HEADER);
  return socketId ? { socketId, terminalId: identity.terminal?.id ?? null } : undefined;
}

function isSpa(req: Request): boolean {
  return req.get(SPA_HEADER) === SPA_HEADER_VALUE;
}

/** The page a fragment belongs to: the Referer when it is this host, else the request itself. */
function pageUrl(req: Request): { pathname: string; query: Record<string, string> } {
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

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  const loginGuard = new LoginGuard();

  // one middleware for what every request gets: counted as in flight until answered (so close() can let
  // it finish), the security headers, and the DNS-rebinding guard
  app.use((req, res, next) => {
    deps.inFlight.count++;
    let done = false;
    const finished = () => {
      if (done) return;
      done = true;
      deps.inFlight.count--;
      if (deps.inFlight.count === 0) for (const resolve of deps.inFlight.idle.splice(0)) resolve();
    };
    res.on('finish', finished);
    res.on('close', finished);

    const nonce = newNonce();
    res.locals.nonce = nonce;
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(nonce));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cache-Control', 'no-store');

    if (hostAllowed(req)) return next();
    sendError(res, {
      status: 403,
      message: `Запрос к кассе по чужому имени (Host: ${req.get('host')}) отклонён: откройте кассу по её IP-адресу или по имени этого компьютера`,
    });
  });

  app.get('/engine-client.js', async (_req, res, next) => {
    try {
      res.type('application/javascript').setHeader('Cache-Control', 'no-cache');
      res.send(await deps.clientScript());
    } catch (error) {
      next(error);
    }
  });

  // public like the client script: it holds no data, and a page registers it before anyone logs in
  app.get(OFFLINE_WORKER_PATH, (_req, res) => {
    res.type('application/javascript').setHeader('Cache-Control', 'no-cache');
    res.send(offlineWorkerScript());
  });

  app.get('/__health', (_req, res) => {
    res.json({ ok: true });
  });

  if (deps.admin) app.use(ADMIN_PATH, adminRouter(deps.admin, deps.secret));

  app.use(async (req, res, next) => {
    try {
      const identity = await identify(deps.engine(), deps.terminals, req, {
        lan: deps.lan,
        issueBrowserTerminal: true,
      });
      res.locals.identity = identity;
      for (const cookie of identity.setCookies) res.append('Set-Cookie', cookie);
      next();
    } catch (error) {
      next(error);
    }
  });

  // the pairing pages live under two prefixes; other requests skip the router's matching
  const pairing = pairingRouter(deps);
  app.use((req, res, next) => {
    const lower = req.path.toLowerCase();
    if (lower.startsWith('/__pair') || lower.startsWith('/__terminals')) return pairing(req, res, next);
    next();
  });

  app.use((req, res, next) => {
    // a LAN device that has not paired sees the pairing page and nothing else
    const { identity } = locals(res);
    if (!identity.terminal) {
      if (req.method === 'GET' && !isSpa(req) && req.accepts(['html', 'json']) === 'html') return res.redirect(303, '/__pair');
      return sendError(res, { status: 403, message: 'Это устройство не подключено к кассе: откройте /__pair и введите код с экрана кассы' }, '/__pair');
    }
    // bodies: JSON or form up to 1 MB; anything else is refused before parsing
    const length = Number(req.get('content-length') ?? 0);
    const type = req.get('content-type');
    if ((length > 0 || req.get('transfer-encoding')) && type && !req.is(['application/json', 'application/x-www-form-urlencoded'])) {
      return sendError(res, { status: 415, message: `unsupported body type ${type}: send application/json or a form` });
    }
    const charset = /;\s*charset=([^;\s]+)/i.exec(type ?? '')?.[1]?.replace(/"/g, '').toLowerCase();
    if (charset && charset !== 'utf-8' && charset !== 'utf8') {
      return sendError(res, { status: 415, message: `unsupported charset ${charset}: send UTF-8` });
    }
    next();
  });
  app.use(loginBodies(deps));
  app.use(express.json({ limit: JSON_LIMIT, strict: false }));
  app.use(express.urlencoded({ limit: JSON_LIMIT, extended: false }));

  // journal downloads (CSV, JSON lines) for the app's pages
  app.get(`${EXPORT_PATH}:name`, (req, res, next) => void serveExport(deps.engine(), req, res).catch(next));

  app.use(async (req, res, next) => {
    const engine = deps.engine();
    const match = deps.routes().match(req.method, req.path);
    if (match.kind === 'not-found') {
      return sendError(res, { status: 404, message: `Нет такой страницы или действия: ${req.method} ${req.path}` });
    }
    if (match.kind === 'internal') return sendError(res, { status: 403, message: `${match.key} is internal: reachable only through action:run` });
    if (match.kind === 'method-not-allowed') {
      res.setHeader('Allow', match.allow.join(', '));
      return sendError(res, { status: 405, message: `${req.method} is not allowed for ${req.path} (allowed: ${match.allow.join(', ')})` });
    }
    const { key, route } = match;
    const { identity } = locals(res);
    try {
      if (requiresLogin(engine, route) && !identity.user) {
        const target = loginTarget(engine, route);
        if (route.type === 'view') {
          if (isSpa(req)) return res.json({ redirect: target });
          return res.redirect(302, target);
        }
        return sendError(res, { status: 401, message: 'Войдите в систему, чтобы продолжить' }, target);
      }
      const roles = route.auth?.roles;
      if (roles?.length && !identity.roles.some((r) => roles.includes(r))) {
        return sendError(res, { status: 403, message: `Недостаточно прав: нужна роль ${roles.join(' или ')}` });
      }
      if (route.type === 'view') return await serveView(deps, req, res, route as ViewRoute);
      return await serveAction(deps, req, res, key, route as ActionRoute, loginGuard);
    } catch (error) {
      next(error);
    }
  });

  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const engine = deps.engine();
    const err = error as { type?: string; status?: number; message?: string };
    if (err?.type === 'entity.too.large') return sendError(res, { status: 413, message: 'Слишком большой запрос (больше 1 МБ)' });
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
  });

  return app;
}

const fragmentCaches = new WeakMap<Engine, FragmentCache>();

function fragmentCacheOf(engine: Engine): FragmentCache {
  let cache = fragmentCaches.get(engine);
  if (!cache) {
    cache = new FragmentCache();
    fragmentCaches.set(engine, cache);
  }
  return cache;
}

/**
 * res.json for a body already serialised to UTF-8: the same headers and bytes (res.json of an answer sets
 * application/json, and res.send adds the charset it encodes the string in).
 */
function sendJsonText(res: Response, body: Buffer): void {
  res.set('Content-Type', 'application/json; charset=utf-8');
  res.send(body);
}

function renderInput(engine: Engine, identity: Identity, data: Record<string, unknown>, url: RenderInput['url'], csrf: string, user = identity.user): RenderInput {
  return {
    data,
    user,
    url,
    extra: {
      terminal: identity.terminal ? { id: identity.terminal.id, name: identity.terminal.name } : null,
      csrfToken: csrf,
    },
  };
}

async function serveView(deps: AppDeps, req: Request, res: Response, route: ViewRoute): Promise<void> {
  const engine = deps.engine();
  const { identity, nonce } = locals(res);
  const requester = requesterOf(engine, identity);
  const data = await engine.runner.readFor(route.reads ?? [], requester, { shared: true });
  const csrf = csrfToken(deps.secret, identity);
  const input = renderInput(engine, identity, data, { pathname: req.path, query: queryOf(req) }, csrf);
  if (isSpa(req)) {
    if (!route.inject?.pageContent) {
      res.json({ redirect: { url: req.originalUrl, full: true } });
      return;
    }
    res.json(engine.renderer.renderSpa(route, input));
    return;
  }
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

/**
 * Bodies of login routes are parsed with a small limit: a login name and a password are short, and a
 * flood of anonymous attempts with near-1 MB bodies would otherwise have the host read and parse each one
 * (the heap it grew for that stayed). Anything larger is refused before it is read.
 */
function loginBodies(deps: AppDeps): express.RequestHandler {
  const parsers = [express.json({ limit: LOGIN_BODY_LIMIT, strict: false }), express.urlencoded({ limit: LOGIN_BODY_LIMIT, extended: false })];
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    const match = deps.routes().match(req.method, req.path);
    if (match.kind !== 'route' || !deps.engine().loginRoutes.has(match.key)) return next();
    const [json, form] = parsers;
    const refuse = (error: unknown) => {
      if ((error as { type?: string })?.type !== 'entity.too.large') return next(error);
      sendError(res, { status: 413, message: 'Слишком длинные данные для входа (больше 16 КБ): проверьте имя пользователя и пароль' });
    };
    json(req, res, (error?: unknown) => (error ? refuse(error) : form(req, res, (error2?: unknown) => (error2 ? refuse(error2) : next()))));
  };
}

/**
 * Who is trying to log in, and as whom. Every window on the host machine shares 127.0.0.1: there the
 * terminal is the source, so one till's typos cannot hold the others back; a browser's terminal cookie
 * there is free to get, which the guard takes into account (`mintable`).
 */
function loginAttempt(engine: Engine, identity: Identity, req: Request, body: unknown): LoginAttempt {
  const identityField = engine.manifest.auth?.identityField ?? 'login';
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[identityField] : undefined;
  const local = identity.local && identity.terminal;
  return {
    account: typeof value === 'string' ? value : String(value ?? ''),
    source: local ? `terminal:${identity.terminal!.id}` : `ip:${req.socket.remoteAddress ?? 'unknown'}`,
    mintable: Boolean(local && identity.terminal!.kind === 'browser'),
  };
}

async function serveAction(
  deps: AppDeps,
  req: Request,
  res: Response,
  key: string,
  route: ActionRoute,
  loginGuard: LoginGuard,
): Promise<void> {
  const engine = deps.engine();
  const { identity } = locals(res);
  if (!originAllowed(req)) {
    return sendError(res, { status: 403, message: 'запрос с чужого сайта отклонён (Origin не совпадает с адресом кассы)' });
  }
  const body: unknown = req.body === undefined ? {} : req.body;
  const presented = req.get(CSRF_HEADER) ?? (body && typeof body === 'object' ? (body as Record<string, unknown>)._csrf : undefined);
  if (!csrfValid(deps.secret, identity, presented)) {
    return sendError(res, { status: 403, message: 'Сессия страницы устарела (CSRF): обновите страницу и повторите' });
  }
  if (body && typeof body === 'object' && !Array.isArray(body)) delete (body as Record<string, unknown>)._csrf;

  const attempt = engine.loginRoutes.has(key) ? loginAttempt(engine, identity, req, body) : undefined;
  if (attempt) {
    const refused = LoginGuard.refusedName(attempt.account);
    if (refused) return sendError(res, { status: 400, message: refused, fields: { [engine.manifest.auth?.identityField ?? 'login']: refused } });
    const wait = loginGuard.retryAfter(attempt);
    if (wait > 0) {
      res.setHeader('Retry-After', String(Math.ceil(wait / 1000)));
      return sendError(res, { status: 429, message: `Слишком много попыток входа. Повторите через ${Math.ceil(wait / 60_000)} мин.` });
    }
  }

  {
    const requester = requesterOf(engine, identity);
    const initiator = initiatorOf(req, identity);
    const outcome = await engine.runner.run({
      routeKey: key,
      route,
      body,
      query: queryOf(req),
      requester,
      committing: (changes, durable) => notifyOnCommit(deps.hub(), engine.store, engine.log, changes, durable, initiator),
      origin: initiator,
    });

    let user = identity.user;
    let sessionToken = identity.sessionToken;
    if (attempt && !outcome.login) loginGuard.failed(attempt);
    if (engine.sessions && (outcome.login || outcome.logout)) {
      // a login always starts a fresh session (no fixation); the old one is gone either way
      await engine.sessions.destroy(identity.sessionToken ?? undefined);
      sessionToken = null;
      user = null;
      if (outcome.login) {
        const auth = engine.manifest.auth!;
        const userKey = String(outcome.login[auth.identityField] ?? '');
        if (!userKey) throw new ActionError(500, `auth:login: the user record has no "${auth.identityField}" (auth.identityField)`);
        // the session belongs to the terminal it was made on: its cookie opens nothing on another one
        sessionToken = await engine.sessions.create(userKey, userKey, identity.terminal!.id);
        user = publicUser(outcome.login, engine.secrets);
        if (attempt) loginGuard.succeeded(attempt);
        res.append('Set-Cookie', serializeCookie(SESSION_COOKIE, sessionToken, { maxAgeSeconds: engine.sessions.maxAgeSeconds, secure: isSecure(req) }));
      } else {
        res.append('Set-Cookie', expiredCookie(SESSION_COOKIE, isSecure(req)));
      }
      // once the browser holds the new cookie, the terminal's sockets reconnect as the new login (or none)
      const terminalId = identity.terminal?.id;
      if (terminalId) res.once('finish', () => deps.hub()?.sessionChanged(terminalId));
    }

    if (outcome.redirect !== undefined) {
      res.json({ redirect: outcome.redirect });
      return;
    }
    if (route.update) {
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
        rendered = engine.renderer.renderComponent(route.update, renderInput(engine, identity, outcome.vars.data, url, csrf, user));
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
      const body = Buffer.from(JSON.stringify(answer));
      cache.set(cacheKey, inputs, body);
      sendJsonText(res, body);
      return;
    }
    res.json({});
  }
}
