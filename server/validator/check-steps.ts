// The step walk (compatibility.md §9.5, with D29's fixes): every step of every action route, its kind and keys, the
// handlers and routes it names, and each expression compiled with the runtime's compiler, whose free
// names must be ones the step can see.
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { parseSource } from '../actions/expression/parse.js';
import { compileExpression } from '../actions/expression.js';
import { splitPath } from '../actions/paths.js';
import { handlerName } from '../actions/steps/run.js';
import { didYouMean } from '../manifest/did-you-mean.js';
import { actionsDir, at, isRecord, pathOf, viewPaths, type RouteInfo, type ValidationContext } from './context.js';
import { inspectExpression, quoteHint } from './expressions.js';
import { actionRunName, availableData, loopVariable, STEP_KIND_KEYS, walkSteps, type DataFacts, type StepVisit } from './step-walk.js';
import { isBarePath } from '../actions/steps/client-redirect.js';
import { EXPRESSION_NAMES, isExpressionName } from '../actions/context.js';

/** What expressions in steps can see besides loop variables and the vetted globals (one list, actions/context.ts). */
export const STEP_ROOTS: readonly string[] = EXPRESSION_NAMES;

const KIND_KEYS: Record<string, string[]> = {
  set: ['set', 'to'],
  if: ['if', 'then', 'else'],
  forEach: ['forEach', 'as', 'steps'],
  'http:get': ['http:get'],
  'auth:login': ['auth:login'],
  'auth:logout': ['auth:logout'],
  'auth:endSessions': ['auth:endSessions'],
  'client:redirect': ['client:redirect'],
  run: ['run'],
  'action:run': ['action:run'],
  fail: ['fail', 'status', 'field'],
  'journal:read': ['journal:read'],
  sql: ['sql'],
};
const HANDLER_EXTENSIONS = ['.js', '.cjs', '.mjs', '.ts'];

interface RouteStepContext {
  ctx: ValidationContext;
  info: RouteInfo;
  data: DataFacts;
  handlers: string[] | null;
}

export function checkRouteSteps(ctx: ValidationContext, info: RouteInfo): void {
  if (info.route.steps === undefined) return;
  const routeCtx: RouteStepContext = { ctx, info, data: availableData(ctx, info.key), handlers: listHandlers(ctx) };
  walkSteps(info.route.steps, ['routes', info.key, 'steps'], (visit) => checkStep(routeCtx, visit));
}

function listHandlers(ctx: ValidationContext): string[] | null {
  try {
    return readdirSync(actionsDir(ctx))
      .filter((file) => HANDLER_EXTENSIONS.includes(path.extname(file)))
      .map((file) => file.slice(0, -path.extname(file).length));
  } catch {
    return null;
  }
}

function checkStep(rc: RouteStepContext, visit: StepVisit): void {
  const { ctx } = rc;
  const { step, kind } = visit;
  const where = at(...visit.path);
  const keys = Object.keys(step);
  if (visit.notAnObject || keys.length === 0) {
    ctx.findings.error(where, 'a step must be an object such as { set: "data.x", to: "1" }');
    return;
  }
  if (kind === undefined) {
    ctx.findings.error(where, `unknown step (keys: ${keys.join(', ')})`, didYouMean(keys[0], STEP_KIND_KEYS) || `a step is one of: ${STEP_KIND_KEYS.join(', ')}`);
    return;
  }
  const known = KIND_KEYS[kind] ?? [kind];
  for (const key of keys) {
    if (known.includes(key)) continue;
    if (STEP_KIND_KEYS.includes(key)) {
      ctx.findings.warning(at(...visit.path, key), `this step is a "${kind}" step; its "${key}" is ignored`, 'split it into two steps');
    } else {
      ctx.findings.warning(at(...visit.path, key), `unknown key "${key}" in a ${kind} step is ignored`, didYouMean(key, known));
    }
  }
  const field = (...parts: PropertyKey[]) => [...visit.path, ...parts];
  switch (kind) {
    case 'set':
      checkSetPath(rc, field('set'), step.set);
      if (step.to === undefined) ctx.findings.error(at(...field('to')), 'a set step needs "to": the value (an expression)');
      else expression(rc, visit, field('to'), step.to);
      return;
    case 'if':
      if (typeof step.if !== 'boolean') expression(rc, visit, field('if'), step.if);
      for (const branch of ['then', 'else'] as const) {
        if (step[branch] !== undefined && !Array.isArray(step[branch])) ctx.findings.error(at(...field(branch)), `"${branch}" must be a list of steps`);
      }
      return;
    case 'forEach':
      checkForEach(rc, visit);
      return;
    case 'http:get':
      checkHttpGet(rc, visit);
      return;
    case 'journal:read':
      checkJournalRead(rc, visit);
      return;
    case 'sql':
      checkSql(rc, visit);
      return;
    case 'auth:login':
      expression(rc, visit, field('auth:login'), step['auth:login'], { requireString: 'the user record to log in, e.g. "context.user"' });
      return;
    case 'auth:endSessions':
      expression(rc, visit, field('auth:endSessions'), step['auth:endSessions'], { requireString: 'the login of the user whose sessions end, e.g. "body.login"' });
      return;
    case 'client:redirect':
      checkRedirect(rc, visit);
      return;
    case 'run':
      checkRun(rc, visit);
      return;
    case 'action:run':
      checkActionRun(rc, visit);
      return;
    case 'fail':
      expression(rc, visit, field('fail'), step.fail);
      if (step.status !== undefined && !(typeof step.status === 'number' && step.status >= 400 && step.status < 600)) {
        ctx.findings.warning(at(...field('status')), `status ${JSON.stringify(step.status)} is not an HTTP error status; 422 is sent instead`, 'use a number from 400 to 599');
      }
      return;
  }
}

function checkSetPath(rc: RouteStepContext, pathParts: PropertyKey[], value: unknown): void {
  if (typeof value !== 'string' || value === '') {
    rc.ctx.findings.error(at(...pathParts), '"set" must be a dotted path such as "data.cart.total"');
    return;
  }
  let segments: string[];
  try {
    segments = splitPath(value).map(String);
  } catch (error) {
    rc.ctx.findings.error(at(...pathParts), (error as Error).message);
    return;
  }
  // a change to a connector the route only reads stays private to the request (never saved)
  const [root, connector] = segments;
  const { route } = rc.info;
  const reads = Array.isArray(route.reads) ? route.reads : [];
  const writes = Array.isArray(route.writes) ? route.writes : [];
  if (root === 'data' && typeof connector === 'string' && reads.includes(connector) && !writes.includes(connector) && !hasActionRun(route.steps)) {
    rc.ctx.findings.warning(
      at(...pathParts),
      `sets ${value}, but this route only reads "${connector}": the change is seen by later steps and the answer, and is never saved`,
      `add "${connector}" to writes to save it, or keep working values in context`,
    );
  }
}

/** Sub-actions may write what the route lists only as read: no warning can be sure then. */
function hasActionRun(steps: unknown): boolean {
  return JSON.stringify(steps ?? []).includes('"action:run"');
}

function checkForEach(rc: RouteStepContext, visit: StepVisit): void {
  const { step } = visit;
  const where = (part: string) => at(...visit.path, part);
  if (typeof step.forEach === 'string') expression(rc, visit, [...visit.path, 'forEach'], step.forEach);
  else if (!Array.isArray(step.forEach)) rc.ctx.findings.error(where('forEach'), 'forEach needs a list: an expression such as "data.cart.items"');
  if (step.as !== undefined) {
    const name = loopVariable(step);
    if (typeof step.as !== 'string' || !/^[A-Za-z_$][\w$]*$/.test(step.as)) {
      rc.ctx.findings.error(where('as'), `"as" must be a variable name (got ${JSON.stringify(step.as)})`);
    } else if (isExpressionName(name)) {
      rc.ctx.findings.error(where('as'), `"as: ${name}" would hide a built-in variable`, 'choose another name, e.g. "line"');
    }
  }
  if (!Array.isArray(step.steps)) rc.ctx.findings.error(where('steps'), 'forEach needs "steps": the list of steps run for each element');
}

/** journal:read: a journal connector, filtered only by fields its `index` lists, expressions that compile. */
function checkJournalRead(rc: RouteStepContext, visit: StepVisit): void {
  const { ctx } = rc;
  const spec = visit.step['journal:read'];
  const base = [...visit.path, 'journal:read'];
  const example = '{ journal: "sales", where: { day: "query.day" }, page: "query.page", size: 50, saveTo: "context.history" }';
  if (!isRecord(spec)) {
    ctx.findings.error(at(...base), '"journal:read" needs { journal, saveTo }', `e.g. ${example}`);
    return;
  }
  for (const key of Object.keys(spec)) {
    if (!['journal', 'where', 'page', 'size', 'order', 'saveTo'].includes(key)) {
      ctx.findings.warning(at(...base, key), `unknown key "${key}" in journal:read is ignored`, didYouMean(key, ['journal', 'where', 'page', 'size', 'order', 'saveTo']));
    }
  }
  const name = spec.journal;
  const connector = typeof name === 'string' ? ctx.connectors[name] : undefined;
  let index: string[] | null = null;
  if (typeof name !== 'string' || name === '') {
    ctx.findings.error(at(...base, 'journal'), 'journal:read needs journal: the name of a journal connector', `e.g. ${example}`);
  } else if (!isRecord(connector)) {
    ctx.findings.error(at(...base, 'journal'), `no connector named "${name}"`, didYouMean(name, Object.keys(ctx.connectors)) || 'declare it in connectors with type "journal"');
  } else if (connector.type !== 'journal') {
    ctx.findings.error(at(...base, 'journal'), `connector "${name}" is ${String(connector.type)}, not a journal: journal:read reads journal records`, 'name a journal connector, or use page(list, …) for the items of other connectors');
  } else {
    index = Array.isArray(connector.index) ? connector.index.filter((field): field is string => typeof field === 'string') : [];
  }
  if (spec.where !== undefined) {
    if (!isRecord(spec.where)) {
      ctx.findings.error(at(...base, 'where'), 'where is an object { field: "<expression>" | { from, to } }', `e.g. ${example}`);
    } else {
      for (const [field, value] of Object.entries(spec.where)) {
        const here = [...base, 'where', field];
        if (index && !index.includes(field)) {
          ctx.findings.error(
            at(...here),
            `journal "${String(name)}" is not indexed by "${field}" (index: ${index.join(', ') || 'none'})`,
            `add "${field}" to connectors.${String(name)}.index`,
          );
        }
        if (isRecord(value)) {
          for (const [key, bound] of Object.entries(value)) {
            if (key !== 'from' && key !== 'to') ctx.findings.error(at(...here, key), `a range is { from, to }; "${key}" is not one of them`);
            else expression(rc, visit, [...here, key], bound);
          }
        } else expression(rc, visit, here, value);
      }
    }
  }
  if (spec.page !== undefined) expression(rc, visit, [...base, 'page'], spec.page);
  if (spec.size !== undefined && typeof spec.size !== 'number') expression(rc, visit, [...base, 'size'], spec.size);
  if (spec.order !== undefined && spec.order !== 'newest' && spec.order !== 'oldest') {
    ctx.findings.error(at(...base, 'order'), `order is "newest" or "oldest" (got ${JSON.stringify(spec.order)})`);
  }
  if (typeof spec.saveTo !== 'string' || spec.saveTo === '') {
    ctx.findings.error(at(...base, 'saveTo'), 'journal:read needs saveTo: where to put the page, e.g. "context.history"');
  } else checkSetPath(rc, [...base, 'saveTo'], spec.saveTo);
}

function checkSql(rc: RouteStepContext, visit: StepVisit): void {
  const spec = visit.step.sql;
  const base = [...visit.path, 'sql'];
  if (!isRecord(spec) || typeof spec.query !== 'string' || spec.query.trim() === '') {
    rc.ctx.findings.error(at(...base), '"sql" needs { query: "SELECT …", params?: [expressions], saveTo?: "context.rows" }');
    return;
  }
  for (const key of Object.keys(spec)) {
    if (!['query', 'params', 'saveTo'].includes(key)) rc.ctx.findings.warning(at(...base, key), `unknown key "${key}" in sql is ignored`, didYouMean(key, ['query', 'params', 'saveTo']));
  }
  const placeholders = [...spec.query.matchAll(/\$(\d+)/g)].map((match) => Number(match[1]));
  const needed = placeholders.length ? Math.max(...placeholders) : 0;
  const params = spec.params === undefined ? [] : spec.params;
  if (!Array.isArray(params)) {
    rc.ctx.findings.error(at(...base, 'params'), 'params must be a list of expressions, one per $1, $2, …');
  } else {
    params.forEach((param, index) => expression(rc, visit, [...base, 'params', index], param));
    if (params.length < needed) rc.ctx.findings.error(at(...base, 'params'), `the query uses $${needed} but params has ${params.length} value(s)`);
  }
  if (spec.saveTo !== undefined) {
    if (typeof spec.saveTo !== 'string' || spec.saveTo === '') rc.ctx.findings.error(at(...base, 'saveTo'), 'saveTo is where the rows go, e.g. "context.rows"');
    else checkSetPath(rc, [...base, 'saveTo'], spec.saveTo);
  }
}

function checkHttpGet(rc: RouteStepContext, visit: StepVisit): void {
  const spec = visit.step['http:get'];
  const base = [...visit.path, 'http:get'];
  if (!isRecord(spec)) {
    rc.ctx.findings.error(at(...base), '"http:get" needs { url, saveTo }');
    return;
  }
  if (spec.url === undefined) rc.ctx.findings.error(at(...base, 'url'), 'http:get needs a url (an expression, e.g. "\'https://example.com/api\'")');
  else expression(rc, visit, [...base, 'url'], spec.url, { requireString: 'an expression giving the URL' });
  if (typeof spec.saveTo !== 'string' || spec.saveTo === '') {
    rc.ctx.findings.error(at(...base, 'saveTo'), 'http:get needs saveTo: where to put the answer, e.g. "context.result"');
  } else {
    checkSetPath(rc, [...base, 'saveTo'], spec.saveTo);
    const root = spec.saveTo.split('.')[0];
    if (root !== 'context' && root !== 'data') {
      rc.ctx.findings.warning(at(...base, 'saveTo'), `saveTo "${spec.saveTo}" is outside context and data`, `use "context.${spec.saveTo}"`);
    }
  }
  const url = typeof spec.url === 'string' ? literalString(spec.url) : undefined;
  const http = rc.ctx.manifest.http;
  const allowHosts = isRecord(http) && Array.isArray(http.allowHosts) ? http.allowHosts : undefined;
  if (url && allowHosts) {
    let host: string | undefined;
    try {
      host = new URL(url).hostname;
    } catch {
      host = undefined;
    }
    if (host && !allowHosts.includes(host)) {
      rc.ctx.findings.warning(at(...base, 'url'), `host ${host} is not in http.allowHosts, so this request always fails`, `add "${host}" to http.allowHosts`);
    }
  }
}

/** The text of an expression that is one string literal ('x', "x", `x`), else undefined. */
function literalString(source: string): string | undefined {
  try {
    const node = parseSource(source) as { type: string; value?: unknown; expressions?: unknown[]; quasis?: Array<{ value: { cooked: string } }> };
    const inner = node.type === 'ParenthesizedExpression' ? (node as unknown as { expression: typeof node }).expression : node;
    if (inner.type === 'Literal' && typeof inner.value === 'string') return inner.value;
    if (inner.type === 'TemplateLiteral' && inner.expressions?.length === 0) return inner.quasis?.[0]?.value.cooked;
  } catch {
    return undefined;
  }
  return undefined;
}

function checkRedirect(rc: RouteStepContext, visit: StepVisit): void {
  const spec = visit.step['client:redirect'];
  const where = [...visit.path, 'client:redirect'];
  let target: string | undefined;
  if (typeof spec === 'string') {
    const text = spec.trim();
    if (isBarePath(text)) target = text;
    else {
      expression(rc, visit, where, spec);
      target = literalString(text) ?? objectUrl(text);
    }
  } else if (isRecord(spec)) {
    if (typeof spec.url !== 'string') rc.ctx.findings.error(at(...where, 'url'), 'a redirect object needs url: "/path"');
    else target = spec.url;
  } else {
    rc.ctx.findings.error(at(...where), 'client:redirect needs a URL: "/path", an expression, or { url, full }');
  }
  if (target === undefined || !target.startsWith('/') || target.startsWith('//')) return;
  const targetPath = pathOf(target);
  const pages = viewPaths(rc.ctx);
  if (!pages.includes(targetPath)) {
    rc.ctx.findings.warning(at(...where), `redirects to ${targetPath}, which is not a page (no GET view route)`, didYouMean(targetPath, pages));
  }
}

/** url of an object-literal expression such as "({ url: '/', full: true })". */
function objectUrl(source: string): string | undefined {
  try {
    let node = parseSource(source) as any;
    while (node.type === 'ParenthesizedExpression') node = node.expression;
    if (node.type !== 'ObjectExpression') return undefined;
    for (const property of node.properties) {
      const key = property.key?.type === 'Identifier' ? property.key.name : property.key?.value;
      if (key === 'url' && property.value?.type === 'Literal' && typeof property.value.value === 'string') return property.value.value;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

function checkRun(rc: RouteStepContext, visit: StepVisit): void {
  const value = visit.step.run;
  const where = at(...visit.path, 'run');
  if (typeof value !== 'string' || value === '') {
    rc.ctx.findings.error(where, '"run" must name a handler file in app/actions');
    return;
  }
  const name = handlerName(value);
  if (rc.handlers === null) {
    rc.ctx.findings.error(where, `handler "${name}" not found: the folder app/actions does not exist`, `create app/actions/${name}.js exporting a function (context, body)`);
    return;
  }
  if (!rc.handlers.includes(name)) {
    const file = path.join(actionsDir(rc.ctx), `${name}.js`);
    rc.ctx.findings.error(where, `handler not found: app/actions/${name}.js`, didYouMean(name, rc.handlers) || `create ${existsSync(path.dirname(file)) ? `app/actions/${name}.js` : 'it'} exporting a function (context, body)`);
  }
}

function checkActionRun(rc: RouteStepContext, visit: StepVisit): void {
  const name = actionRunName(visit.step);
  const where = at(...visit.path, 'action:run');
  const actions = rc.ctx.routeList.filter((r) => r.type === 'action').map((r) => r.key);
  if (name === undefined) {
    rc.ctx.findings.error(where, '"action:run" needs { name: "<route key>" }');
    return;
  }
  const target = rc.ctx.routeList.find((r) => r.key === name);
  if (!target) rc.ctx.findings.error(where, `there is no route "${name}"`, didYouMean(name, actions));
  else if (target.type !== 'action') rc.ctx.findings.error(where, `"${name}" is a view route; action:run runs action routes`);
  else if (name === rc.info.key) rc.ctx.findings.warning(where, `the route runs itself; the runtime stops after 16 levels`);
}

interface ExpressionOptions {
  /** when set, a non-string value is an error; the text says what is expected */
  requireString?: string;
}

function expression(rc: RouteStepContext, visit: StepVisit, pathParts: PropertyKey[], value: unknown, options: ExpressionOptions = {}): void {
  const where = at(...pathParts);
  if (typeof value !== 'string') {
    if (options.requireString) rc.ctx.findings.error(where, `expected ${options.requireString}, got ${JSON.stringify(value)}`);
    return;
  }
  const facts = inspectExpression(value);
  if (facts.problem) {
    rc.ctx.findings.error(where, `expression does not compile: ${facts.problem}`, quoteHint(value));
    return;
  }
  const visible = [...new Set([...STEP_ROOTS, ...visit.locals])];
  for (const root of facts.roots) {
    if (visible.includes(root) || facts.typeofNames.has(root)) continue;
    rc.ctx.findings.error(where, `unknown name "${root}" in ${JSON.stringify(value)}`, unknownRootHint(rc.ctx, root, visible));
  }
  if (!facts.roots.includes('data')) return;
  // with a run handler involved the name may come from it: said as a warning, not an error
  const report = rc.data.open ? rc.ctx.findings.warning.bind(rc.ctx.findings) : rc.ctx.findings.error.bind(rc.ctx.findings);
  const unless = rc.data.open ? ' (unless an app/actions handler puts it there)' : '';
  for (const name of facts.dataKeys) {
    if (rc.data.names.has(name)) continue;
    if (Object.hasOwn(rc.ctx.connectors, name)) {
      report(where, `reads data.${name}, but "${name}" is not in the reads of ${rc.info.key}${unless}`, `add "${name}" to reads`);
    } else {
      report(
        where,
        `reads data.${name}, which is neither a connector this route reads nor set by its steps${unless}`,
        didYouMean(name, [...rc.data.names, ...Object.keys(rc.ctx.connectors)]),
      );
    }
  }
}

function unknownRootHint(ctx: ValidationContext, root: string, visible: string[]): string {
  if (Object.hasOwn(ctx.connectors, root)) return `connector states are under data: write data.${root}`;
  if (root === 'bcrypt' || root === 'bcryptjs') return "bcrypt is loaded with require('bcrypt')";
  return didYouMean(root, visible) || `steps see ${visible.join(', ')} and the standard helpers (Math, JSON, Number, …)`;
}

