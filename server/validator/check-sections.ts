// The sections around the core: globals.injectData (compatibility.md §9.3 #3), sockets (channels), auth and its
// prerequisites, launch. The runtime refuses most of these at start-up; here they come with a fix.
import { didYouMean } from '../manifest/did-you-mean.js';
import { findKind } from '../store/kinds.js';
import { at, isRecord, pathOf, stringsOf, viewPaths, type ValidationContext } from './context.js';
import { reachesStep, routeSteps } from './step-walk.js';
import { templateScanOf } from './pages.js';
import { loginTarget, requiresLogin, sessionConnectorName } from '../manifest/auth-rules.js';

export function checkGlobals(ctx: ValidationContext): void {
  const globals = ctx.manifest.globals;
  if (!isRecord(globals) || !Array.isArray(globals.injectData)) return;
  globals.injectData.forEach((name, index) => {
    if (typeof name === 'string' && !Object.hasOwn(ctx.connectors, name)) {
      ctx.findings.error(at('globals', 'injectData', index), `connector "${name}" does not exist`, didYouMean(name, Object.keys(ctx.connectors)));
    }
  });
}

export function checkSockets(ctx: ValidationContext): void {
  const written = new Set(ctx.routeList.flatMap((r) => (r.type === 'action' ? stringsOf(r.route.writes) : [])));
  const subscribed = new Set<string>();
  /** channel → components whose templates listen to it */
  const listeners = new Map<string, Set<string>>();
  for (const name of Object.keys(ctx.components)) {
    for (const element of templateScanOf(ctx, name)?.elements ?? []) {
      const channel = element.attributes.get('atom-socket');
      if (channel === undefined) continue;
      subscribed.add(channel.trim());
      if (element.attributes.has('atom-on-event')) {
        const set = listeners.get(channel.trim()) ?? new Set<string>();
        set.add(name);
        listeners.set(channel.trim(), set);
      }
    }
  }
  const dynamicSubscriptions = [...subscribed].some((c) => c.includes('{{'));
  for (const [name, channel] of Object.entries(ctx.sockets)) {
    if (!isRecord(channel)) continue;
    const watch = channel.watch;
    if (watch === undefined && typeof channel.listen !== 'string') {
      ctx.findings.error(at('sockets', name), 'a channel needs watch (a connector) or listen (a PostgreSQL notification channel)');
    } else if (watch !== undefined && channel.listen !== undefined) {
      ctx.findings.error(at('sockets', name, 'listen'), 'a channel has watch or listen, not both', 'make two channels');
    }
    if (typeof watch === 'string' && !Object.hasOwn(ctx.connectors, watch)) {
      ctx.findings.error(at('sockets', name, 'watch'), `connector "${watch}" does not exist`, didYouMean(watch, Object.keys(ctx.connectors)));
    } else if (typeof watch === 'string' && !written.has(watch)) {
      ctx.findings.warning(at('sockets', name, 'watch'), `no action writes "${watch}", so this channel never sends anything`);
    }
    const emit = isRecord(channel.emit) ? channel.emit : undefined;
    if (emit && typeof emit.render === 'string' && !Object.hasOwn(ctx.components, emit.render)) {
      ctx.findings.error(at('sockets', name, 'emit', 'render'), `component "${emit.render}" does not exist`, didYouMean(emit.render, Object.keys(ctx.components)));
    }
    if (emit && Array.isArray(emit.reads)) {
      emit.reads.forEach((read, index) => {
        if (typeof read === 'string' && !Object.hasOwn(ctx.connectors, read)) {
          ctx.findings.error(at('sockets', name, 'emit', 'reads', index), `connector "${read}" does not exist`, didYouMean(read, Object.keys(ctx.connectors)));
        }
      });
    }
    if (emit && typeof emit.render === 'string') {
      // the client swaps a pushed fragment into every element listening to the event: all must show that component
      const others = [...(listeners.get(name) ?? [])].filter((component) => component !== emit.render);
      if (others.length > 0) {
        ctx.findings.warning(
          at('sockets', name, 'emit', 'render'),
          `the pushed "${emit.render}" also reaches ${others.map((c) => `"${c}"`).join(', ')} (listening to this channel), whose content it would replace`,
          'give those components a channel of their own (without render), or remove render here',
        );
      }
    }
    if (emit && typeof emit.payload === 'string' && typeof watch === 'string' && emit.payload !== watch) {
      ctx.findings.warning(
        at('sockets', name, 'emit', 'payload'),
        `payload "${emit.payload}" is not the watched connector "${watch}"; the whole state of "${watch}" is sent`,
        `write payload: "${watch}", or a list of its keys to send only those`,
      );
    }
    if (!dynamicSubscriptions && !subscribed.has(name)) {
      ctx.findings.warning(at('sockets', name), `no template has atom-socket="${name}", so nobody receives this channel`);
    }
    if (isRecord(channel.auth) && (channel.auth.required === true || Array.isArray(channel.auth.roles)) && !isRecord(ctx.manifest.auth)) {
      ctx.findings.error(at('sockets', name, 'auth'), 'this channel is for logged-in users, but the manifest has no auth section', 'add an auth section, or remove the channel\'s auth');
    }
  }
}

export function checkAuth(ctx: ValidationContext): void {
  const auth = isRecord(ctx.manifest.auth) ? ctx.manifest.auth : undefined;
  if (!auth) {
    checkAuthWithoutSection(ctx);
    return;
  }
  const connectors = Object.keys(ctx.connectors);
  const users = typeof auth.userConnector === 'string' ? auth.userConnector : undefined;
  const sessionName = sessionConnectorName(auth);
  if (users !== undefined && !Object.hasOwn(ctx.connectors, users)) {
    ctx.findings.error(at('auth', 'userConnector'), `connector "${users}" does not exist`, didYouMean(users, connectors));
  }
  if (!Object.hasOwn(ctx.connectors, sessionName)) {
    ctx.findings.error(
      auth.sessionConnector === undefined ? at('auth') : at('auth', 'sessionConnector'),
      `auth keeps sessions in a connector named "${sessionName}", which does not exist`,
      didYouMean(sessionName, connectors) || `add connectors.${sessionName} = { type: "lowdb" }`,
    );
  }
  for (const [name, role] of [[users, 'users'], [sessionName, 'sessions']] as const) {
    const config = name !== undefined ? ctx.connectors[name] : undefined;
    if (!isRecord(config)) continue;
    if ((config.scope ?? 'global') !== 'global') {
      ctx.findings.error(at('connectors', name!, 'scope'), `connector "${name}" holds the ${role} of auth and must have scope "global"`, 'remove scope');
    }
    const kind = typeof config.type === 'string' ? findKind(config.type) : undefined;
    if (kind && !kind.persistent) {
      ctx.findings.warning(at('connectors', name!, 'type'), `connector "${name}" holds the ${role} of auth in memory: they are lost on every restart`, 'use type: "lowdb"');
    }
  }

  const loginRoutes = ctx.routeList.filter((r) => r.type === 'action' && reachesStep(ctx, r.key, 'auth:login'));
  if (loginRoutes.length === 0) {
    ctx.findings.warning(at('auth'), 'no action has an auth:login step, so nobody can log in', 'add an action with { "auth:login": "context.user" }');
  }
  for (const info of loginRoutes) {
    if (info.route.internal !== true && requiresLogin(ctx, info.route)) {
      ctx.findings.error(at('routes', info.key), 'this route logs users in but itself requires a login, so nobody can log in', 'add public: true to the route');
    }
  }

  const pages = viewPaths(ctx);
  const checkedTargets = new Set<string>();
  for (const info of ctx.routeList) {
    if (info.route.internal === true || !requiresLogin(ctx, info.route)) continue;
    const routeAuth = isRecord(info.route.auth) ? info.route.auth : {};
    const explicit = typeof routeAuth.failureRedirect === 'string';
    const target = loginTarget(ctx, info.route);
    const where = explicit ? at('routes', info.key, 'auth', 'failureRedirect') : auth.loginPath !== undefined ? at('auth', 'loginPath') : at('auth');
    if (checkedTargets.has(where + target)) continue;
    checkedTargets.add(where + target);
    const targetPath = pathOf(target);
    const page = ctx.routeList.find((r) => r.type === 'view' && r.method === 'GET' && r.path === targetPath);
    if (!page) {
      ctx.findings.error(where, `logged-out visitors are sent to ${targetPath}, which is not a page (no GET view route)`, didYouMean(targetPath, pages) || 'add a login page, or set auth.loginPath');
    } else if (requiresLogin(ctx, page.route)) {
      ctx.findings.error(at('routes', page.key), `the login page ${targetPath} itself requires a login: visitors are redirected in a loop`, 'add public: true to the route');
    }
  }
}

function checkAuthWithoutSection(ctx: ValidationContext): void {
  for (const info of ctx.routeList) {
    const routeAuth = isRecord(info.route.auth) ? info.route.auth : undefined;
    if (routeAuth && (routeAuth.required === true || Array.isArray(routeAuth.roles))) {
      ctx.findings.error(at('routes', info.key, 'auth'), 'this route requires a login, but the manifest has no auth section, so nobody can ever open it', 'add an auth section, or remove the route\'s auth');
    }
    routeSteps(ctx, info.key, ({ kind, path }) => {
      if (kind === 'auth:login' || kind === 'auth:logout') {
        ctx.findings.error(at(...path), `${kind} needs the manifest's auth section`, 'add auth: { userConnector, identityField, passwordField }');
      }
    });
  }
}

export function checkLaunch(ctx: ValidationContext): void {
  const launch = isRecord(ctx.manifest.launch) ? ctx.manifest.launch : undefined;
  if (!launch) return;
  const modes = ['server', 'native'];
  if (typeof launch.mode === 'string' && !modes.includes(launch.mode)) {
    ctx.findings.warning(at('launch', 'mode'), `launch mode "${launch.mode}" is not known; it is treated as "native"`, didYouMean(launch.mode, modes) || 'use "server" or "native"');
  }
  const pages = viewPaths(ctx);
  for (const part of ['customerDisplay', 'print'] as const) {
    const section = launch[part];
    if (!isRecord(section) || typeof section.path !== 'string') continue;
    const target = pathOf(section.path);
    if (!pages.includes(target)) {
      ctx.findings.error(at('launch', part, 'path'), `${target} is not a page (no GET view route)`, didYouMean(target, pages));
    }
  }
}
