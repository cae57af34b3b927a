// The components of the page a new window opens first: `/`, or for a visitor who has not logged in yet
// the login page `/` sends them to. The host prepares them as soon as it listens, while the window (or
// the browser) is still on its way, instead of when that first request arrives. Only a head start: a
// wrong guess costs some idle time, never a wrong page.
import { loginTarget, requiresLogin } from '../manifest/auth-rules.js';
import type { Manifest } from '../manifest/types.js';
import type { RouteTable } from './routes.js';

export function firstPageComponents(manifest: Manifest, routes: RouteTable): string[] {
  let match = routes.match('GET', '/');
  if (match.kind !== 'route' || match.route.type !== 'view') return [];
  // the rule app.ts applies to a request without a login
  if (requiresLogin({ manifest }, match.route)) {
    match = routes.match('GET', loginTarget({ manifest }, match.route));
    if (match.kind !== 'route' || match.route.type !== 'view') return [];
  }
  return [...new Set([match.route.layout, ...Object.values(match.route.inject ?? {})])];
}
