// The host's RefreshRenderer (automatic push, refresh-push.ts): renders a window's soft refresh as the HTTP
// action would answer it — the route's `update` component with the states it reads, the window's user,
// terminal, CSRF token and page — for read-only routes only (no steps, nothing written: the runner's
// `readOnly`). Anything else (a route with steps or writes, one needing a login or role the window lacks,
// a state not loaded) is not pushed, and the window fetches it over HTTP as before.
import type { ActionFragment, RefreshRequest } from '../../protocol/wire.js';
import type { ActionRoute } from '../manifest/types.js';
import type { Engine } from '../engine.js';
import type { RouteTable } from '../http/routes.js';
import { collectWrites } from '../actions/reachable.js';
import { requiresLogin } from '../manifest/auth-rules.js';
import { publicUser } from '../auth/user.js';
import type { SocketPrincipal } from './hub.js';
import type { RefreshRenderer } from './refresh-push.js';

/** What a window's render needs beyond its principal: its terminal as templates see it, and its CSRF token. */
export interface WindowIdentity {
  terminal: { id: string; name: string };
  csrf: string;
}

const windows = new WeakMap<SocketPrincipal, WindowIdentity>();

/** Called where the principal is made (the upgrade's authorize): without it the window's refreshes are fetched. */
export function rememberWindow(principal: SocketPrincipal, identity: WindowIdentity): SocketPrincipal {
  windows.set(principal, identity);
  return principal;
}

export interface RefreshRenderSources {
  engine(): Engine;
  routes(): RouteTable;
}

interface Pushable {
  route: ActionRoute;
  routeKey: string;
  update: string;
  scopeKeys: string[];
  identity: WindowIdentity;
}

function readOnly(engine: Engine, route: ActionRoute, memo: WeakMap<ActionRoute, boolean>): boolean {
  let known = memo.get(route);
  if (known === undefined) {
    known = !route.steps?.length && collectWrites(engine.manifest, route).size === 0;
    memo.set(route, known);
  }
  return known;
}

function urlOf(text: string): { pathname: string; query: Record<string, string> } {
  const url = new URL(text, 'http://host');
  return { pathname: url.pathname, query: Object.fromEntries(url.searchParams) };
}

export function refreshRenderer(sources: RefreshRenderSources): RefreshRenderer {
  const readOnlyRoutes = new WeakMap<ActionRoute, boolean>();

  const pushable = (request: RefreshRequest, principal: SocketPrincipal): Pushable | null => {
    const identity = windows.get(principal);
    if (!identity) return null;
    const engine = sources.engine();
    const match = sources.routes().match(request.method, urlOf(request.url).pathname);
    if (match.kind !== 'route' || match.route.type !== 'action') return null;
    const route = match.route as ActionRoute;
    if (!route.update || !readOnly(engine, route, readOnlyRoutes)) return null;
    // the same guards as the HTTP request: a window that would be refused is not answered here either
    if (requiresLogin(engine, route) && !principal.loggedIn) return null;
    const roles = route.auth?.roles;
    if (roles?.length && !principal.roles.some((role) => roles.includes(role))) return null;
    const requester = { terminal: identity.terminal, userKey: principal.userKey };
    const scopeKeys: string[] = [];
    for (const name of route.reads ?? []) {
      const key = engine.runner.scopeKeyOf(name, requester);
      if (key === null) return null;
      scopeKeys.push(key);
    }
    return { route, routeKey: match.key, update: route.update, scopeKeys, identity };
  };

  /** The window's user as templates see it (secrets removed), from the latest user state; undefined: not loaded. */
  const userOf = (engine: Engine, userKey: string | null): Record<string, unknown> | null | undefined => {
    const auth = engine.manifest.auth;
    if (!auth || !userKey) return null;
    const state = engine.store.peek(auth.userConnector, 'global', { latest: true }) as { items?: unknown } | unknown[] | undefined;
    if (state === undefined) return undefined;
    const items = Array.isArray(state) ? state : Array.isArray(state?.items) ? state.items : [];
    const found = (items as Array<Record<string, unknown>>).find((u) => u && String(u[auth.identityField]) === userKey);
    return found ? publicUser(found, engine.secrets) : undefined;
  };

  return {
    keyOf(request, principal) {
      const found = pushable(request, principal);
      if (!found) return null;
      const page = urlOf(request.page);
      // everything the answer is rendered from: the route, its page and input, whose states, who asks
      return JSON.stringify([
        found.routeKey,
        page.pathname,
        page.query,
        request.body,
        found.scopeKeys,
        principal.userKey,
        found.identity.terminal.id,
        found.identity.terminal.name,
        found.identity.csrf,
      ]);
    },
    render(request, principal): ActionFragment | undefined {
      const found = pushable(request, principal);
      if (!found) return undefined;
      const engine = sources.engine();
      const data: Record<string, unknown> = {};
      const reads = found.route.reads ?? [];
      for (let i = 0; i < reads.length; i++) {
        // the latest state: the push goes out only once the commit is durable (a refused one sends nothing)
        const state = engine.store.peek(reads[i], found.scopeKeys[i], { latest: true });
        if (state === undefined) return undefined;
        data[reads[i]] = state;
      }
      const user = userOf(engine, principal.userKey);
      if (user === undefined) return undefined;
      const rendered = engine.renderer.renderComponent(found.update, {
        data,
        user,
        url: urlOf(request.page),
        extra: { terminal: found.identity.terminal, csrfToken: found.identity.csrf },
      });
      return { html: rendered.html, styles: rendered.styles.map((s) => s.css).join('\n'), scripts: rendered.scripts, componentName: found.update };
    },
  };
}
