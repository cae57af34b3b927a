// Walks a route's steps (recursively through then, else and forEach bodies, compatibility.md §9.5) and answers the
// questions several checks ask about routes: which routes an action runs, which connectors its steps
// put into data, whether a step kind is reached.
import { stepKindOf, STEP_KINDS } from '../actions/run-steps.js';
import { reachesStep as reachesStepAt } from '../actions/reachable.js';
import type { ActionRoute } from '../manifest/types.js';
import { isRecord, stringsOf, type Dict, type ValidationContext } from './context.js';

export interface StepVisit {
  step: Dict;
  /** key path parts of the step, e.g. ['routes', 'POST /x', 'steps', 2, 'then', 0] */
  path: PropertyKey[];
  /** the step's kind key ('set', 'if', …), undefined when no kind matches */
  kind: string | undefined;
  /** loop variables in scope (forEach `as` and `<as>Index`) */
  locals: string[];
  /** the list entry is not an object at all */
  notAnObject?: boolean;
}

export const STEP_KIND_KEYS: string[] = STEP_KINDS.map((kind) => kind.key);

export function loopVariable(step: Dict): string {
  return typeof step.as === 'string' && step.as !== '' ? step.as : 'item';
}

export function walkSteps(steps: unknown, path: PropertyKey[], visit: (v: StepVisit) => void, locals: string[] = []): void {
  if (!Array.isArray(steps)) return;
  steps.forEach((step, index) => {
    const stepPath = [...path, index];
    if (!isRecord(step)) {
      visit({ step: {}, path: stepPath, kind: undefined, locals, notAnObject: true });
      return;
    }
    const kind = stepKindOf(step)?.key;
    visit({ step, path: stepPath, kind, locals });
    walkSteps(step.then, [...stepPath, 'then'], visit, locals);
    walkSteps(step.else, [...stepPath, 'else'], visit, locals);
    const inner = kind === 'forEach' ? [...locals, loopVariable(step), `${loopVariable(step)}Index`] : locals;
    walkSteps(step.steps, [...stepPath, 'steps'], visit, inner);
  });
}

export function routeSteps(ctx: ValidationContext, key: string, visit: (v: StepVisit) => void): void {
  const route = ctx.routes[key];
  if (isRecord(route)) walkSteps(route.steps, ['routes', key, 'steps'], visit);
}

/** The route key an action:run step names (string or { name }). */
export function actionRunName(step: Dict): string | undefined {
  const spec = step['action:run'];
  if (typeof spec === 'string') return spec;
  return isRecord(spec) && typeof spec.name === 'string' ? spec.name : undefined;
}

export function subRoutes(ctx: ValidationContext, key: string): string[] {
  const out: string[] = [];
  routeSteps(ctx, key, ({ step, kind }) => {
    const name = kind === 'action:run' ? actionRunName(step) : undefined;
    if (name !== undefined && !out.includes(name)) out.push(name);
  });
  return out;
}

/** Does the route, or a route it runs with action:run, have a step of this kind? (the runtime's walk) */
export function reachesStep(ctx: ValidationContext, key: string, kind: string): boolean {
  const route = ctx.routes[key];
  return isRecord(route) && reachesStepAt({ routes: ctx.routes }, route as unknown as ActionRoute, kind);
}

/** The connector (or other) name a data path puts into data: "data.receipt.total" → receipt. */
export function dataRootOf(pathText: unknown): string | undefined {
  if (typeof pathText !== 'string') return undefined;
  const [root, name] = pathText.split('.').map((s) => s.trim());
  return root === 'data' && name ? name : undefined;
}

export interface DataFacts {
  names: Set<string>;
  /** a run handler can put anything into data: checks of data.<name> are skipped */
  open: boolean;
}

/** What a route's own steps (and the routes it runs) bring into data. */
function ownData(ctx: ValidationContext, key: string, seen: Set<string>): DataFacts {
  const facts: DataFacts = { names: new Set(), open: false };
  if (seen.has(key)) return facts;
  seen.add(key);
  const route = ctx.routes[key];
  if (!isRecord(route)) return facts;
  for (const name of stringsOf(route.reads)) facts.names.add(name);
  routeSteps(ctx, key, ({ step, kind }) => {
    if (kind === 'run') facts.open = true;
    if (kind === 'set') {
      const name = dataRootOf(step.set);
      if (name) facts.names.add(name);
    }
    if (kind === 'http:get' && isRecord(step['http:get'])) {
      const name = dataRootOf(step['http:get'].saveTo);
      if (name) facts.names.add(name);
    }
    if (kind === 'sql' && isRecord(step.sql)) {
      const name = dataRootOf(step.sql.saveTo);
      if (name) facts.names.add(name);
    }
    if (kind === 'action:run') {
      const sub = actionRunName(step);
      if (sub) {
        const inner = ownData(ctx, sub, seen);
        for (const name of inner.names) facts.names.add(name);
        facts.open ||= inner.open;
      }
    }
  });
  return facts;
}

function callers(ctx: ValidationContext, key: string): string[] {
  return ctx.routeList.filter((info) => subRoutes(ctx, info.key).includes(key)).map((info) => info.key);
}

/**
 * Names a route's expressions may read as data.<name>: its reads, what its steps (or the routes it
 * runs) set, and, for a route run by others, what its callers have. Order is not considered, so a
 * read before the set that provides it is not reported. `open`: a run handler is involved, which may
 * put anything into data.
 */
export function availableData(ctx: ValidationContext, key: string, seen = new Set<string>()): DataFacts {
  const own = ownData(ctx, key, new Set());
  if (seen.has(key)) return own;
  seen.add(key);
  for (const caller of callers(ctx, key)) {
    const theirs = availableData(ctx, caller, seen);
    for (const name of theirs.names) own.names.add(name);
    own.open ||= theirs.open;
  }
  return own;
}

