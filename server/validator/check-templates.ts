// Templates (compatibility.md D29): the atom-* attributes must agree with the manifest. atom-action names a route
// and method that exist, atom-target selects an element on the pages that show the component,
// atom-socket/atom-on-event name a channel and its event, atom-link points at a page, atom-if
// compiles and (outside Mustache sections) only uses names the render context has, and every
// <atom-inject into> is filled by some route.
import path from 'node:path';
import { didYouMean } from '../manifest/did-you-mean.js';
import { RouteTable } from '../http/routes.js';
import type { Manifest } from '../manifest/types.js';
import { buildRenderContext } from '../render/context.js';
import { appRelative, componentTemplate, isRecord, pathOf, viewPaths, type ValidationContext } from './context.js';
import { inspectExpression, quoteHint } from './expressions.js';
import { pagesWith, templateScanOf } from './pages.js';
import { parseTarget, selectorMatchesAny } from './selectors.js';
import type { TemplateElement, TemplateScan } from './templates.js';
import { ACTION_EVENTS, ATTR } from '../../protocol/wire.js';

/** attributes the server handles itself */
const SERVER_ATTRIBUTES = ['atom-if', 'atom-run'];
const KNOWN_ATTRIBUTES: string[] = [...Object.values(ATTR), ...SERVER_ATTRIBUTES];

interface TemplateCheck {
  ctx: ValidationContext;
  scan: TemplateScan;
  /** the components this template file belongs to */
  components: string[];
  /** every element of the pages that show this template */
  pageElements: TemplateElement[];
  /** inject keys of the routes that show this template */
  injectKeys: Set<string>;
  routes: RouteTable;
  renderRoots: string[];
  where(line: number): string;
}

export function checkTemplates(ctx: ValidationContext): void {
  const byFile = new Map<string, string[]>();
  for (const name of Object.keys(ctx.components)) {
    const file = componentTemplate(ctx, name);
    if (file) byFile.set(file, [...(byFile.get(file) ?? []), name]);
  }
  const routes = new RouteTable({ routes: Object.fromEntries(ctx.routeList.map((r) => [r.key, r.route])) } as unknown as Manifest);
  const globals = isRecord(ctx.manifest.globals) ? ctx.manifest.globals : {};
  // the same keys the renderer gives templates (http/app.ts adds terminal and csrfToken)
  const renderRoots = Object.keys(
    buildRenderContext({ data: {}, user: null, url: { pathname: '/', query: {} }, extra: { terminal: null, csrfToken: '' } }, globals, ''),
  );
  for (const [file, components] of byFile) {
    const scan = templateScanOf(ctx, components[0]);
    if (!scan) continue;
    const pages = components.flatMap((name) => pagesWith(ctx, name));
    // a template on no page: any route's inject map may fill it (also one whose type is wrong)
    const injectKeys = pages.length > 0 ? pages.flatMap((p) => Object.keys(p.inject)) : Object.values(ctx.routes).flatMap((r) => (isRecord(r) && isRecord(r.inject) ? Object.keys(r.inject) : []));
    const pageComponents = new Set(pages.length > 0 ? pages.flatMap((p) => p.components) : Object.keys(ctx.components));
    const pageElements = [...pageComponents].flatMap((name) => templateScanOf(ctx, name)?.elements ?? []);
    const check: TemplateCheck = {
      ctx,
      scan,
      components,
      pageElements,
      injectKeys: new Set(injectKeys),
      routes,
      renderRoots,
      where: (line) => `${appRelative(ctx, path.resolve(file))}:${line}`,
    };
    for (const element of scan.elements) checkElement(check, element);
    for (const placeholder of scan.placeholders) checkPlaceholder(check, placeholder);
  }
}

function checkElement(check: TemplateCheck, element: TemplateElement): void {
  const { ctx } = check;
  const line = (name: string) => check.where(element.attributeLines.get(name) ?? element.line);
  for (const name of element.attributes.keys()) {
    if (name.startsWith('atom-') && !KNOWN_ATTRIBUTES.includes(name)) {
      // compared without the shared "atom-" prefix, which would make every attribute look close
      const closest = didYouMean(name.slice(5), KNOWN_ATTRIBUTES.map((known) => known.slice(5))).replace('"', '"atom-');
      ctx.findings.warning(line(name), `unknown attribute ${name} is ignored`, closest);
    }
  }
  const get = (name: string) => element.attributes.get(name);
  const dynamic = (value: string | undefined) => value !== undefined && value.includes('{{');
  const condition = get('atom-if');
  if (condition !== undefined && !dynamic(condition)) checkCondition(check, element, condition, line('atom-if'));
  const action = get(ATTR.action);
  if (action !== undefined && !dynamic(action)) checkAction(check, action, get(ATTR.target) !== undefined, line(ATTR.action));
  const target = get(ATTR.target);
  if (target !== undefined && !dynamic(target)) checkTarget(check, target, line(ATTR.target));
  const event = get(ATTR.event);
  if (event !== undefined && !dynamic(event) && !(ACTION_EVENTS as readonly string[]).includes(event.trim().toLowerCase())) {
    ctx.findings.warning(line(ATTR.event), `atom-event "${event}" never fires`, didYouMean(event.trim().toLowerCase(), ACTION_EVENTS) || `use one of ${ACTION_EVENTS.join(', ')}`);
  }
  checkRealtime(check, element, line);
  const link = get(ATTR.link);
  if (link !== undefined && !dynamic(link)) checkLink(check, element, link, line(ATTR.link));
  const print = get(ATTR.print)?.trim();
  if (print && !dynamic(print) && print.startsWith('/') && !print.startsWith('//')) {
    const pages = viewPaths(ctx);
    const target = pathOf(print);
    if (!pages.includes(target)) {
      ctx.findings.error(line(ATTR.print), `atom-print prints ${target}, which is not a page (no GET view route)`, didYouMean(target, pages));
    }
  }
}

function checkCondition(check: TemplateCheck, element: TemplateElement, source: string, where: string): void {
  const facts = inspectExpression(source);
  if (facts.problem) {
    check.ctx.findings.error(where, `atom-if does not compile: ${facts.problem}`, quoteHint(source));
    return;
  }
  // inside {{#section}} the names of the section's items are in scope too: nothing to say
  if (element.inSection) return;
  for (const root of facts.roots) {
    if (check.renderRoots.includes(root) || facts.typeofNames.has(root)) continue;
    const hint = Object.hasOwn(check.ctx.connectors, root)
      ? `connector states are under data: write data.${root}`
      : didYouMean(root, check.renderRoots) || `templates see ${check.renderRoots.join(', ')}`;
    check.ctx.findings.error(where, `atom-if uses "${root}", which templates do not have, so the element is never shown`, hint);
  }
}

/** "POST /x" → POST, /x; a lone URL means POST (renderer/client/attributes.ts). */
function parseAction(text: string): { method: string; url: string; extra: boolean } | null {
  const parts = text.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return null;
  if (parts.length === 1) return { method: 'POST', url: parts[0], extra: false };
  return { method: parts[0].toUpperCase(), url: parts[1], extra: parts.length > 2 };
}

function checkAction(check: TemplateCheck, text: string, hasTarget: boolean, where: string): void {
  const { ctx } = check;
  const spec = parseAction(text);
  if (!spec) {
    ctx.findings.error(where, 'atom-action is empty', 'write atom-action="POST /action/name"');
    return;
  }
  if (spec.extra) ctx.findings.warning(where, `atom-action "${text}" has extra words after the URL; they are ignored`);
  if (dynamicUrl(spec.url)) return;
  if (!spec.url.startsWith('/') || spec.url.startsWith('//')) {
    ctx.findings.error(where, `atom-action URL "${spec.url}" is not a path of this app`, 'write it as "METHOD /path"');
    return;
  }
  const urlPath = pathOf(spec.url);
  const match = check.routes.match(spec.method, urlPath);
  const actions = ctx.routeList.filter((r) => r.type === 'action' && r.route.internal !== true);
  switch (match.kind) {
    case 'route':
      if (match.route.type === 'view') {
        ctx.findings.error(where, `atom-action "${text}" names a page (view route); actions must name action routes`, `for a link to the page write <a href="${urlPath}" atom-link="spa">`);
      } else if (!hasTarget && typeof (match.route as { update?: unknown }).update === 'string') {
        ctx.findings.warning(
          where,
          `${spec.method} ${urlPath} answers with the HTML of "${(match.route as { update: string }).update}", but this element has no atom-target, so it is dropped`,
          'add atom-target="#<container id>"',
        );
      }
      return;
    case 'internal':
      ctx.findings.error(where, `atom-action "${text}" names the internal route "${match.key}", which pages cannot call`, 'remove internal: true from the route, or call a public action that runs it');
      return;
    case 'method-not-allowed': {
      const allow = match.allow.filter((m) => m !== 'HEAD');
      ctx.findings.error(where, `no ${spec.method} route for ${urlPath} (it answers ${allow.join(', ')})`, `write atom-action="${allow[0]} ${urlPath}"`);
      return;
    }
    case 'not-found':
      ctx.findings.error(
        where,
        `atom-action "${text}": no route answers ${spec.method} ${urlPath}`,
        didYouMean(`${spec.method} ${urlPath}`, actions.map((r) => `${r.method} ${r.path}`)),
      );
  }
}

function dynamicUrl(url: string): boolean {
  return url.includes('{{');
}

function checkTarget(check: TemplateCheck, selector: string, where: string): void {
  const compounds = parseTarget(selector);
  if (compounds === null) {
    check.ctx.findings.error(where, `atom-target "${selector}" is not a CSS selector`, 'write atom-target="#<element id>"');
    return;
  }
  if (selectorMatchesAny(compounds, check.pageElements)) return;
  const ids = [...new Set(check.pageElements.map((e) => e.attributes.get('id')).filter((id): id is string => !!id && !id.includes('{{')))];
  const names = check.components.map((c) => `"${c}"`).join(', ');
  check.ctx.findings.warning(
    where,
    `atom-target "${selector}" matches no element on the pages that use ${names}`,
    didYouMean(selector, ids.map((id) => `#${id}`)),
  );
}

function checkRealtime(check: TemplateCheck, element: TemplateElement, line: (name: string) => string): void {
  const { ctx } = check;
  const channel = element.attributes.get(ATTR.socket)?.trim();
  const channels = Object.keys(ctx.sockets);
  const known = channel !== undefined && Object.hasOwn(ctx.sockets, channel);
  if (channel !== undefined && !channel.includes('{{') && !known) {
    ctx.findings.error(
      line(ATTR.socket),
      `atom-socket "${channel}" names no channel`,
      didYouMean(channel, channels) || (channels.length ? `channels: ${channels.join(', ')}` : 'declare it in the manifest\'s sockets section'),
    );
  }
  const event = element.attributes.get(ATTR.onEvent)?.trim();
  if (event === undefined || event.includes('{{')) return;
  const eventOf = (name: string) => {
    const config = ctx.sockets[name];
    return isRecord(config) && isRecord(config.emit) && typeof config.emit.event === 'string' ? config.emit.event : undefined;
  };
  const events = (known ? [eventOf(channel!)] : channels.map(eventOf)).filter((e): e is string => e !== undefined);
  if (channel !== undefined && !known) return;
  if (!events.includes(event)) {
    const from = known ? `channel "${channel}" emits ${events.map((e) => `"${e}"`).join(', ') || 'no event'}` : 'no channel emits it';
    ctx.findings.error(line(ATTR.onEvent), `atom-on-event "${event}" never fires: ${from}`, didYouMean(event, events));
  }
  if (!element.attributes.has(ATTR.action) && !element.attributes.has(ATTR.target)) {
    ctx.findings.warning(line(ATTR.onEvent), `atom-on-event "${event}" does nothing: the element has no atom-action to refresh with`, 'add atom-action and atom-target (a soft refresh)');
  }
}

function checkLink(check: TemplateCheck, element: TemplateElement, value: string, where: string): void {
  const { ctx } = check;
  if (value.trim() !== 'spa') {
    ctx.findings.warning(where, `atom-link="${value}" is ignored: the only kind is "spa"`, 'write atom-link="spa"');
    return;
  }
  if (element.tag !== 'a') {
    ctx.findings.warning(where, `atom-link works on <a href> links, not on <${element.tag}>`);
    return;
  }
  const href = element.attributes.get('href');
  if (href === undefined) {
    ctx.findings.error(where, 'atom-link="spa" needs an href: the page to open');
    return;
  }
  if (dynamicUrl(href) || !href.startsWith('/') || href.startsWith('//')) return;
  const target = pathOf(href);
  const pages = viewPaths(ctx);
  if (!pages.includes(target)) {
    ctx.findings.error(where, `atom-link points at ${target}, which is not a page (no GET view route)`, didYouMean(target, pages));
  }
}

function checkPlaceholder(check: TemplateCheck, placeholder: { name: string; line: number }): void {
  if (check.injectKeys.has(placeholder.name)) return;
  const names = check.components.map((c) => `"${c}"`).join(', ');
  check.ctx.findings.warning(
    check.where(placeholder.line),
    `<atom-inject into="${placeholder.name}"> is filled by no route that shows ${names}, so it stays empty`,
    didYouMean(placeholder.name, [...check.injectKeys]) || `add inject: { ${placeholder.name}: "<component>" } to the view route`,
  );
}
