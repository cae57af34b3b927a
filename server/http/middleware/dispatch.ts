// The manifest's routes: found by method and path (404 / 405 / internal), then the login and role rules,
// then the view or the action.
import type { RequestHandler } from 'express';
import type { ActionRoute, ViewRoute } from '../../manifest/types.js';
import { loginTarget, requiresLogin } from '../../manifest/auth-rules.js';
import type { LoginGuard } from '../../auth/login-guard.js';
import type { AppDeps } from '../deps.js';
import { HttpError } from '../http-error.js';
import { isSpa, locals } from '../respond.js';
import { serveView } from '../serve-view.js';
import { serveAction } from '../serve-action.js';

export function dispatchRoutes(deps: AppDeps, loginGuard: LoginGuard): RequestHandler {
  return async (req, res) => {
    const engine = deps.engine();
    const match = deps.routes().match(req.method, req.path);
    if (match.kind === 'not-found') throw new HttpError(404, `Нет такой страницы или действия: ${req.method} ${req.path}`);
    if (match.kind === 'internal') throw new HttpError(403, `${match.key} is internal: reachable only through action:run`);
    if (match.kind === 'method-not-allowed') {
      throw new HttpError(405, `${req.method} is not allowed for ${req.path} (allowed: ${match.allow.join(', ')})`, {
        headers: { Allow: match.allow.join(', ') },
      });
    }
    const { key, route } = match;
    const { identity } = locals(res);
    if (requiresLogin(engine, route) && !identity.user) {
      const target = loginTarget(engine, route);
      if (route.type === 'view') {
        if (isSpa(req)) return void res.json({ redirect: target });
        return res.redirect(302, target);
      }
      throw new HttpError(401, 'Войдите в систему, чтобы продолжить', { redirect: target });
    }
    const roles = route.auth?.roles;
    if (roles?.length && !identity.roles.some((r) => roles.includes(r))) {
      throw new HttpError(403, `Недостаточно прав: нужна роль ${roles.join(' или ')}`);
    }
    if (route.type === 'view') return serveView(deps, req, res, key, route as ViewRoute);
    return serveAction(deps, req, res, key, route as ActionRoute, loginGuard);
  };
}
