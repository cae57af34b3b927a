// The components of the page a new window opens first: `/`, or for a visitor who has not logged in yet
// the login page `/` sends them to. The host prepares them as soon as it listens, while the window (or
// the browser) is still on its way, instead of when that first request arrives. Only a head start: a
// wrong guess costs some idle time, never a wrong page.
import type { Manifest } from '../manifest/types.js';
import type { RouteTable } from './routes.js';

export function firstPageComponents(manifest: Manifest, routes: RouteTable): string[] {
  let match = routes.match('GET', '/');
  if (match.kind !== 'route' || match.route.type !== 'view') return [];
  const auth = match.route.auth;
  // as app.ts decides it for a request without a login
  const requiresLogin = auth?.required || (auth?.required !== false && !match.route.public && Boolean(manifest.auth?.protectByDefault));
  if (requiresLogin) {
    match = routes.match('GET', auth?.failureRedirect ?? manifest.auth?.loginPath ?? '/login');
    if (match.kind !== 'route' || match.route.type !== 'view') return [];
  }
  return [...new Set([match.route.layout, ...Object.values(match.route.inject ?? {})])];
}
