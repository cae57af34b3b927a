// The auth rules several parts of the engine apply to a manifest: whether a route needs a login, where a
// visitor without one is sent, and which connector keeps the sessions. The HTTP layer, the first-page
// warm-up, the engine's start-up checks and the validator all ask here, so they cannot disagree. The
// validator calls them with a manifest that has not been checked yet, hence the loose parameter types.

export const DEFAULT_SESSION_CONNECTOR = 'session';
export const DEFAULT_LOGIN_PATH = '/login';

/** Anything holding a manifest: the engine, the validator's context, or { manifest }. */
export interface HasManifest {
  manifest: { auth?: unknown };
}

interface LooseRoute {
  auth?: unknown;
  public?: unknown;
}

const record = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/**
 * A route needs a login when its auth says so, or when the app protects every route by default and the
 * route is not marked public (auth.required: false counts as public).
 */
export function requiresLogin(app: HasManifest, route: LooseRoute): boolean {
  const routeAuth = record(route.auth);
  if (routeAuth.required === true) return true;
  if (routeAuth.required === false || route.public === true) return false;
  return record(app.manifest.auth).protectByDefault === true;
}

/** Where a visitor without a login is sent from this route: its failureRedirect, else auth.loginPath, else /login. */
export function loginTarget(app: HasManifest, route: LooseRoute): string {
  const failureRedirect = record(route.auth).failureRedirect;
  if (typeof failureRedirect === 'string') return failureRedirect;
  const loginPath = record(app.manifest.auth).loginPath;
  return typeof loginPath === 'string' ? loginPath : DEFAULT_LOGIN_PATH;
}

/** The connector that keeps login sessions: auth.sessionConnector, else "session". */
export function sessionConnectorName(auth: unknown): string {
  const name = record(auth).sessionConnector;
  return typeof name === 'string' ? name : DEFAULT_SESSION_CONNECTOR;
}
