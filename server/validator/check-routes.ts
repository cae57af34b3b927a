// Routes (compatibility.md §9.3 #11–18, plus route keys, duplicates and inject maps): every name a route gives must be
// declared, and each page's inject map must fill placeholders that exist on it.
import { didYouMean } from '../manifest/did-you-mean.js';
import { checkRouteSteps } from './check-steps.js';
import { at, isRecord, stringsOf, type RouteInfo, type ValidationContext } from './context.js';
import { pagesOf } from './pages.js';
import { reachesStep, routeSteps, dataRootOf, subRoutes, actionRunName } from './step-walk.js';
import { collectWrites } from '../actions/reachable.js';
import type { ActionRoute } from '../manifest/types.js';

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export function checkRoutes(ctx: ValidationContext): void {
  checkRouteKeys(ctx);
  for (const info of ctx.routeList) {
    checkNames(ctx, info, 'reads', ctx.connectors, 'connector');
    if (info.type === 'view') checkView(ctx, info);
    else checkAction(ctx, info);
  }
  checkInjectMaps(ctx);
}

function checkRouteKeys(ctx: ValidationContext): void {
  const answered = new Map<string, string>();
  for (const info of ctx.routeList) {
    const { key } = info;
    const space = key.indexOf(' ');
    if (space > 0) {
      const method = key.slice(0, space).toUpperCase();
      const rest = key.slice(space + 1).trim();
      if (!METHODS.includes(method)) {
        ctx.findings.error(at('routes', key), `unknown HTTP method "${key.slice(0, space)}"`, didYouMean(method, METHODS) || `use one of ${METHODS.join(', ')}`);
        continue;
      }
      if (!rest.startsWith('/')) {
        ctx.findings.error(at('routes', key), `the path "${rest}" must start with "/"`, `write "${method} /${rest}"`);
        continue;
      }
      if (/\s/.test(rest)) {
        ctx.findings.error(at('routes', key), `the path "${rest}" contains a space, so no request can match it`, 'route keys are "METHOD /path"');
        continue;
      }
    } else if (space === 0 || /\s/.test(key)) {
      ctx.findings.error(at('routes', key), 'a route key is "METHOD /path" (e.g. "GET /") or a bare name for internal actions');
      continue;
    }
    const request = `${info.method} ${info.path}`;
    const first = answered.get(request);
    if (first !== undefined) {
      ctx.findings.error(at('routes', key), `answers the same requests (${request}) as routes[${JSON.stringify(first)}]; only one of them is used`, 'remove or rename one of the two');
    } else {
      answered.set(request, key);
    }
    if (info.type === 'view' && info.method !== 'GET') {
      ctx.findings.warning(at('routes', key), `a view route answering ${info.method}: pages are opened with GET`, `write "GET ${info.path}"`);
    }
  }
}

function checkNames(ctx: ValidationContext, info: RouteInfo, field: string, declared: Record<string, unknown>, what: string): void {
  const value = info.route[field];
  if (!Array.isArray(value)) return;
  value.forEach((name, index) => {
    if (typeof name !== 'string' || Object.hasOwn(declared, name)) return;
    ctx.findings.error(at('routes', info.key, field, index), `${what} "${name}" does not exist`, didYouMean(name, Object.keys(declared)));
  });
}

function checkComponentName(ctx: ValidationContext, location: string, name: unknown): void {
  if (typeof name !== 'string' || Object.hasOwn(ctx.components, name)) return;
  ctx.findings.error(location, `component "${name}" does not exist`, didYouMean(name, Object.keys(ctx.components)));
}

function checkView(ctx: ValidationContext, info: RouteInfo): void {
  const { route, key } = info;
  if (route.layout === undefined) {
    ctx.findings.error(at('routes', key), 'a view route needs a layout: the component that renders the page', 'add layout: "<component>"');
  } else {
    checkComponentName(ctx, at('routes', key, 'layout'), route.layout);
  }
  if (isRecord(route.inject)) {
    for (const [placeholder, name] of Object.entries(route.inject)) checkComponentName(ctx, at('routes', key, 'inject', placeholder), name);
  }
  if (isRecord(route.download) && !(Array.isArray(route.steps) && route.steps.length > 0)) {
    ctx.findings.error(at('routes', key, 'download'), 'a download is the text the view\'s steps compute, and this view has no steps', `add steps that set ${String(route.download.body)}`);
  }
  checkViewReadsOnly(ctx, info);
  checkRouteSteps(ctx, info);
}

/** A view's steps only compute what the page shows: nothing they do may be saved, nobody logs in or out. */
function checkViewReadsOnly(ctx: ValidationContext, info: RouteInfo): void {
  const { route, key } = info;
  if (route.writes !== undefined) {
    ctx.findings.error(
      at('routes', key, 'writes'),
      'a view only reads: its steps compute what the page shows (from query) and nothing they change is saved',
      'remove writes, and make the change in an action route (a form or atom-action on the page)',
    );
  }
  routeSteps(ctx, key, ({ step, kind, path }) => {
    if (kind === 'auth:login' || kind === 'auth:logout' || kind === 'auth:endSessions') {
      ctx.findings.error(at(...path), `a view cannot run ${kind}: pages only read`, 'log in or out in an action route');
    }
    const sub = kind === 'action:run' ? actionRunName(step) : undefined;
    if (sub === undefined) return;
    const target = ctx.routes[sub];
    const writes = isRecord(target) ? [...collectWrites({ routes: ctx.routes }, target as unknown as ActionRoute)] : [];
    if (writes.length > 0) {
      ctx.findings.error(
        at(...path),
        `a view only reads, but action:run "${sub}" writes ${writes.join(', ')}`,
        'run only read-only sub-actions from a view, or make the change in an action route',
      );
    }
  });
}

function checkAction(ctx: ValidationContext, info: RouteInfo): void {
  const { route, key } = info;
  checkNames(ctx, info, 'writes', ctx.connectors, 'connector');
  if (route.update !== undefined) checkComponentName(ctx, at('routes', key, 'update'), route.update);
  const internal = route.internal === true;
  const hasSteps = Array.isArray(route.steps) && route.steps.length > 0;
  if (!internal && route.update === undefined && !reachesStep(ctx, key, 'client:redirect')) {
    if (!hasSteps) {
      ctx.findings.warning(at('routes', key), 'this action has no steps, no update and no redirect: it does nothing', 'add steps, or update: "<component>" to re-render one');
    } else {
      ctx.findings.warning(
        at('routes', key),
        'the page that calls this action sees no change: it has no update component and no client:redirect',
        'add update: "<component>" (re-rendered into the atom-target) or a client:redirect step',
      );
    }
  }
  if (internal && route.auth !== undefined) {
    ctx.findings.warning(at('routes', key, 'auth'), 'an internal route is never requested over HTTP, so its auth is not checked', 'protect the routes that run it');
  }
  checkWritesWithoutReads(ctx, info);
  checkRouteSteps(ctx, info);
}

/** A connector written but never read is replaced by whatever the steps build from nothing. */
function checkWritesWithoutReads(ctx: ValidationContext, info: RouteInfo): void {
  const reads = new Set(stringsOf(info.route.reads));
  for (const sub of subRoutes(ctx, info.key)) {
    const route = ctx.routes[sub];
    if (isRecord(route)) for (const name of stringsOf(route.reads)) reads.add(name);
  }
  if (reachesStep(ctx, info.key, 'run')) return;
  const built = new Set<string>();
  routeSteps(ctx, info.key, ({ step, kind }) => {
    const name = kind === 'set' ? dataRootOf(step.set) : undefined;
    if (name) built.add(name);
  });
  stringsOf(info.route.writes).forEach((name, index) => {
    if (reads.has(name) || !built.has(name) || !Object.hasOwn(ctx.connectors, name)) return;
    ctx.findings.warning(
      at('routes', info.key, 'writes', index),
      `"${name}" is written but not read: its stored state is replaced by what the steps build from nothing`,
      `add "${name}" to reads`,
    );
  });
}

/** inject entries that fill no placeholder on their page (often a misspelt placeholder name). */
function checkInjectMaps(ctx: ValidationContext): void {
  for (const page of pagesOf(ctx)) {
    if (!page.complete) continue;
    for (const placeholder of Object.keys(page.inject)) {
      if (page.placeholders.has(placeholder)) continue;
      ctx.findings.warning(
        at('routes', page.routeKey, 'inject', placeholder),
        `no <atom-inject into="${placeholder}"> on this page, so "${page.inject[placeholder]}" is not shown`,
        didYouMean(placeholder, [...page.placeholders]),
      );
    }
  }
}
