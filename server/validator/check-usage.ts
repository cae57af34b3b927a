// Declared but never used: connectors no route reads or writes, components no route or channel shows,
// internal routes no action runs. Warnings: the app works, but something is probably forgotten.
import { sessionConnectorName } from '../manifest/auth-rules.js';
import { at, isRecord, stringsOf, type ValidationContext } from './context.js';
import { pagesOf } from './pages.js';
import { subRoutes, walkSteps } from './step-walk.js';

export function checkUsage(ctx: ValidationContext): void {
  const usedConnectors = new Set<string>();
  for (const info of ctx.routeList) {
    for (const name of [...stringsOf(info.route.reads), ...stringsOf(info.route.writes)]) usedConnectors.add(name);
    // a journal:read step reads its journal without listing it in reads
    if (info.route.steps !== undefined) {
      walkSteps(info.route.steps, [], ({ step, kind }) => {
        const spec = kind === 'journal:read' ? step['journal:read'] : undefined;
        if (isRecord(spec) && typeof spec.journal === 'string') usedConnectors.add(spec.journal);
      });
    }
  }
  for (const channel of Object.values(ctx.sockets)) if (isRecord(channel) && typeof channel.watch === 'string') usedConnectors.add(channel.watch);
  const auth = ctx.manifest.auth;
  if (isRecord(auth)) {
    if (typeof auth.userConnector === 'string') usedConnectors.add(auth.userConnector);
    usedConnectors.add(sessionConnectorName(auth));
  }
  const globals = ctx.manifest.globals;
  if (isRecord(globals)) for (const name of stringsOf(globals.injectData)) usedConnectors.add(name);
  for (const name of Object.keys(ctx.connectors)) {
    if (!usedConnectors.has(name)) ctx.findings.warning(at('connectors', name), `connector "${name}" is not read or written by any route`, 'remove it, or add it to the reads of the routes that need it');
  }

  const usedComponents = new Set<string>();
  for (const page of pagesOf(ctx)) for (const name of page.components) usedComponents.add(name);
  // every route record counts, also one whose type is wrong (that is reported once, on the route)
  for (const route of Object.values(ctx.routes)) {
    if (!isRecord(route)) continue;
    if (typeof route.layout === 'string') usedComponents.add(route.layout);
    if (typeof route.update === 'string') usedComponents.add(route.update);
    // inject entries that fill nothing are reported on the route
    if (isRecord(route.inject)) for (const name of Object.values(route.inject)) if (typeof name === 'string') usedComponents.add(name);
  }
  for (const channel of Object.values(ctx.sockets)) {
    if (isRecord(channel) && isRecord(channel.emit) && typeof channel.emit.render === 'string') usedComponents.add(channel.emit.render);
  }
  for (const name of Object.keys(ctx.components)) {
    if (!usedComponents.has(name)) ctx.findings.warning(at('components', name), `component "${name}" is not used by any route or channel`, 'remove it, or use it as a layout, an inject entry or an update');
  }

  const run = new Set(ctx.routeList.flatMap((info) => subRoutes(ctx, info.key)));
  for (const info of ctx.routeList) {
    if (info.type === 'action' && info.route.internal === true && !run.has(info.key)) {
      ctx.findings.warning(at('routes', info.key), 'this internal route is never run: no step has { "action:run": { name: ' + JSON.stringify(info.key) + ' } }', 'remove it, or run it from an action');
    }
  }
}
