// What every check works from: the raw manifest (its shape is not trusted, so each check guards its
// own reads), the app folder, the findings, and a few derived views computed once.
import path from 'node:path';
import { formatKeyPath } from '../manifest/schema.js';
import type { Findings } from './findings.js';

export type Dict = Record<string, unknown>;

export function isRecord(value: unknown): value is Dict {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export function stringsOf(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** A manifest key path as an author writes it: at('routes', 'GET /', 'steps', 0) → routes["GET /"].steps[0] */
export function at(...parts: PropertyKey[]): string {
  return formatKeyPath(parts);
}

export interface RouteInfo {
  key: string;
  route: Dict;
  type: 'view' | 'action';
  /** the method and path the route answers, as the HTTP layer matches them */
  method: string;
  path: string;
}

export interface ValidationContext {
  appDir: string;
  /** absolute path of the manifest file, when there is one */
  manifestFile?: string;
  manifest: Dict;
  findings: Findings;
  connectors: Dict;
  components: Dict;
  routes: Dict;
  sockets: Dict;
  /** routes whose type is view or action (others are reported and skipped) */
  routeList: RouteInfo[];
}

/** The path shown for a file of the app: relative to the app folder. */
export function appRelative(ctx: { appDir: string }, file: string): string {
  const relative = path.relative(ctx.appDir, file);
  return (relative.startsWith('..') ? file : relative).split(path.sep).join('/');
}

export function componentsDir(ctx: { appDir: string }): string {
  return path.join(ctx.appDir, 'app', 'components');
}

export function actionsDir(ctx: { appDir: string }): string {
  return path.join(ctx.appDir, 'app', 'actions');
}

/** "GET /x" → GET, /x; a bare key answers /<key> with the method its type implies (http/routes.ts). */
export function routeTarget(key: string, type: 'view' | 'action'): { method: string; path: string } {
  const space = key.indexOf(' ');
  if (space > 0) return { method: key.slice(0, space).toUpperCase(), path: key.slice(space + 1).trim() };
  return { method: type === 'view' ? 'GET' : 'POST', path: `/${key}` };
}

export function viewPaths(ctx: ValidationContext): string[] {
  return ctx.routeList.filter((r) => r.type === 'view' && r.method === 'GET').map((r) => r.path);
}

/** The path part of a URL written in a template or a redirect: no query, no fragment. */
export function pathOf(url: string): string {
  const cut = url.search(/[?#]/);
  return cut === -1 ? url : url.slice(0, cut);
}

export function componentTemplate(ctx: ValidationContext, name: string): string | undefined {
  const config = ctx.components[name];
  const file = typeof config === 'string' ? config : isRecord(config) && typeof config.template === 'string' ? config.template : undefined;
  return file ? path.resolve(componentsDir(ctx), file) : undefined;
}
