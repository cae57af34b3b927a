// Route matching from the manifest, method-aware (compatibility.md D25): "METHOD /path" keys match exactly; HEAD falls back to
// a GET view; bare keys ("recalculate") answer /recalculate only with the method their type implies;
// a path known under another method answers 405 with Allow.
import type { Manifest, RouteConfig } from '../manifest/types.js';

export type RouteMatch =
  | { kind: 'route'; key: string; route: RouteConfig }
  | { kind: 'internal'; key: string }
  | { kind: 'method-not-allowed'; allow: string[] }
  | { kind: 'not-found' };

export class RouteTable {
  private readonly exact = new Map<string, { key: string; route: RouteConfig }>();
  private readonly byPath = new Map<string, Set<string>>();

  constructor(manifest: Manifest) {
    for (const [key, route] of Object.entries(manifest.routes) as Array<[string, RouteConfig]>) {
      const space = key.indexOf(' ');
      let method: string;
      let path: string;
      if (space > 0) {
        method = key.slice(0, space).toUpperCase();
        path = key.slice(space + 1).trim();
      } else {
        method = route.type === 'view' ? 'GET' : 'POST';
        path = `/${key}`;
      }
      this.exact.set(`${method} ${path}`, { key, route });
      const methods = this.byPath.get(path) ?? new Set();
      methods.add(method);
      if (method === 'GET' && route.type === 'view') methods.add('HEAD');
      this.byPath.set(path, methods);
    }
  }

  match(method: string, pathname: string): RouteMatch {
    const upper = method.toUpperCase();
    let hit = this.exact.get(`${upper} ${pathname}`);
    if (!hit && upper === 'HEAD') {
      const get = this.exact.get(`GET ${pathname}`);
      if (get?.route.type === 'view') hit = get;
    }
    if (hit) {
      if (hit.route.type === 'action' && hit.route.internal) return { kind: 'internal', key: hit.key };
      return { kind: 'route', ...hit };
    }
    const methods = this.byPath.get(pathname);
    if (methods) return { kind: 'method-not-allowed', allow: [...methods] };
    return { kind: 'not-found' };
  }
}
