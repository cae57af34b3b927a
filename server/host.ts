// createHost: the one entry point. Loads the app, opens its store, serves it over HTTP and WebSocket.
// The CLI (serverokey serve/dev) and the Electron main process both start the engine through it.
import { tuneHeap } from './heap-tuning.js';
import { createServer, type Server } from 'node:http';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Host, HostOptions, StoreStatus } from './host-types.js';
import type { ServerFrame } from '../protocol/wire.js';
import { ChainUploader } from './chain/uploader.js';
import { followDatabaseChannels } from './realtime/listen-channels.js';
import type { LaunchConfig } from './manifest/types.js';
import { createEngine, type Engine } from './engine.js';
import { createLogger } from './log.js';
import { fileHostStorage, providesHostStorage } from './auth/host-storage.js';
import { TerminalRegistry } from './auth/terminals.js';
import { publicUser, redactState } from './auth/user.js';
import { createApp, type AppDeps } from './http/app.js';
import { csrfToken, hostAllowed, identify, originAllowed, storedUserNow } from './http/identity.js';
import { RouteTable } from './http/routes.js';
import { firstPageComponents } from './http/first-page.js';
import { RealtimeHub, type HubOptions } from './realtime/hub.js';
import { pushedPerUser, renderPushed } from './realtime/push-render.js';
import { refreshRenderer, rememberWindow } from './realtime/refresh-render.js';
import { sessionConnectorName } from './manifest/auth-rules.js';
import { notifyRemoteCommit } from './realtime/notify-on-commit.js';
import { TERMINAL_COOKIE } from './auth/cookies.js';
import { acquireDataLock } from './data-lock.js';
import { announceHost, type Announcement } from './http/discovery.js';
import { importModule } from './manifest/import-module.js';
import { HostBackups } from './backup/host-backups.js';
import { finishInterruptedSwap } from './backup/swap.js';

export type { Host, HostOptions } from './host-types.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The project root, both from server/ (sources) and dist/server/ (built). */
function projectRoot(): string {
  let dir = here;
  for (let i = 0; i < 4; i++) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'renderer'))) return dir;
    dir = path.dirname(dir);
  }
  return path.resolve(here, '..');
}

let clientCache: Promise<string> | undefined;

/** How long after listening the host starts preparing what no request has needed yet. */
const WARM_UP_DELAY_MS = 1000;

/**
 * The browser client: the bundle the build made (renderer/dist/engine-client.js, by `npm install` or
 * `npm run build`), read once. The host never builds it: a change to renderer/ needs `npm run build`.
 */
export function loadClientScript(): Promise<string> {
  clientCache ??= (async () => {
    const bundle = path.join(projectRoot(), 'renderer', 'dist', 'engine-client.js');
    try {
      return await readFile(bundle, 'utf8');
    } catch (error) {
      throw new Error(`the browser client is not built (${bundle}: ${(error as NodeJS.ErrnoException).code ?? error}): run npm run build`);
    }
  })();
  clientCache.catch(() => (clientCache = undefined));
  return clientCache;
}

/** launch.lan, or launch.mode "server" (the host serves the shop's tills over the LAN, headless). */
export function servesLan(launch: LaunchConfig | undefined): boolean {
  return Boolean(launch?.lan) || launch?.mode === 'server';
}

function resolvePort(option: number | undefined, launchPort: number | undefined): number {
  if (option !== undefined) return option;
  const env = process.env.PORT;
  if (env && /^\d+$/.test(env)) return Number(env);
  return launchPort ?? 0;
}

export async function createHost(options: HostOptions): Promise<Host> {
  tuneHeap(); // (already done by the built host's loader, code-cache.ts)
  const appDir = path.resolve(options.appDir);
  const dataDir = path.resolve(options.dataDir ?? path.join(appDir, '.data'));
  const log = createLogger(options.quiet);
  const debug = Boolean(options.debug);
  // a restore a crash interrupted is finished (or its unfinished copy removed) before anything opens the folder
  const swapped = await finishInterruptedSwap(dataDir);
  if (swapped) log.warn(`data folder: ${swapped}`);
  const database = options.database ?? (process.env.SERVEROKEY_DATABASE_URL || undefined);
  // several hosts share one database: the data-folder lock is taken only when the store keeps files (below)
  let lock = options.dataLockHeld || database ? null : acquireDataLock(dataDir);
  const unlock = () => lock?.release();
  // A served app prepares each component when it is first rendered, so a start pays for its first page
  // only (files are still read, and templates checked, at start-up); dev mode keeps preparing them all
  // up front, so a reload with a broken template is refused and the old app keeps serving.
  const prepareComponents = options.dev ? 'at-start' : 'on-first-use';
  const engineTiming = { clock: options.clock, checkpointDelayMs: options.checkpointDelayMs };
  let engine: Engine;
  let backups: HostBackups;
  // a chain's shop: the uploader starts once the engine is up; expressions and templates see its status
  let chain: ChainUploader | null = null;
  const chainStatus = () => chain?.status ?? null;
  try {
    engine = await createEngine({ appDir, dataDir, debug, log, prepareComponents, database, chainStatus, ...engineTiming });
    // an app that keeps some connectors in files beside the database still owns its data folder
    if (database && !options.dataLockHeld && !engine.store.shared) {
      try {
        lock = acquireDataLock(dataDir);
      } catch (error) {
        await engine.close();
        throw error;
      }
    }
    try {
      backups = new HostBackups({ dataDir, store: () => engine.store, manifest: () => engine.manifest, log });
    } catch (error) {
      await engine.close();
      throw error;
    }
  } catch (error) {
    unlock();
    throw error;
  }
  let routes = new RouteTable(engine.manifest);
  const lan = options.lan ?? servesLan(engine.manifest.launch);
  const bindHost = options.host ?? (lan ? '0.0.0.0' : '127.0.0.1');
  // on a shared database the signing secret and the paired terminals are the database's, the same for every host
  let records;
  try {
    records = providesHostStorage(engine.store) ? await engine.store.hostStorage() : fileHostStorage(dataDir);
  } catch (error) {
    await engine.close();
    unlock();
    throw error;
  }
  const secret = records.secret;
  const terminals = new TerminalRegistry(secret, records.terminals);
  const inFlight = { count: 0, idle: [] as Array<() => void> };

  let hub: RealtimeHub | undefined;
  // The store's status (a full disk) goes to every page's banner, new sockets included, and to the host's
  // own listeners (the desktop window); a reloaded engine (dev mode) is followed.
  const statusListeners = new Set<(status: StoreStatus) => void>();
  const statusFrame = (status: StoreStatus): ServerFrame =>
    status.ok ? { type: 'host-status', ok: true } : { type: 'host-status', ok: false, message: status.message };
  const followStatus = (current: Engine) =>
    current.store.onStatus((status) => {
      hub?.broadcast(statusFrame(status));
      for (const listener of statusListeners) listener(status);
    });
  let stopFollowingStatus = followStatus(engine);
  const hubOptions = (current: Engine): HubOptions => ({
      greeting: () => (current.store.status().ok ? [] : [statusFrame(current.store.status())]),
      channels: current.channels,
      log,
      redact: (connector, state) =>
        connector === current.manifest.auth?.userConnector || connector === sessionConnectorName(current.manifest.auth)
          ? redactState(state, current.secrets)
          : state,
      async authorize(req) {
        if (!hostAllowed(req)) return 'unknown host name (DNS rebinding?): connect by IP address or this computer\'s name';
        if (!originAllowed(req)) return 'foreign origin';
        const identity = await identify(current, terminals, req, { lan, issueBrowserTerminal: false });
        if (!identity.terminal) return lan ? 'this device is not paired' : 'no terminal identity: open a page first';
        // a known terminal without a login may connect, but channels that need a login refuse its
        // subscriptions, so it never receives a payload; a page left open after logging out stays online
        const principal = {
          terminalId: identity.terminal.id,
          userKey: identity.session?.userKey ?? null,
          roles: identity.roles,
          loggedIn: Boolean(identity.user),
          session: identity.user ? identity.sessionToken : null,
        };
        // what the window's pushed refreshes are rendered with: its terminal and the CSRF token its page has
        return rememberWindow(principal, {
          terminal: { id: identity.terminal.id, name: identity.terminal.name },
          csrf: csrfToken(secret, identity),
        });
      },
      sessionLive: (session) => current.sessions?.isLive(session) ?? false,
      // a fragment whose template uses `user` is rendered per recipient user, with that user (secrets removed)
      pushPerUser: (channel) => pushedPerUser(current, channel),
      renderPush: (channel, change, viewer) => {
        if (!viewer) return renderPushed(current, channel, change);
        const stored = viewer.userKey === null ? null : storedUserNow(current, viewer.userKey);
        // a user not loaded (or gone): no push; the windows refresh as they would without one
        if (stored === undefined) return undefined;
        return renderPushed(current, channel, change, stored && publicUser(stored, current.secrets));
      },
      renderRefresh: refreshRenderer({ engine: () => current, routes: () => routes }),
  });

  const deps: AppDeps = {
    chainStatus,
    engine: () => engine,
    routes: () => routes,
    terminals,
    hub: () => hub,
    secret,
    lan,
    dev: Boolean(options.dev),
    clientScript: loadClientScript,
    inFlight,
    admin: { backup: (to) => backups.backup(to), flush: () => engine.store.flush() },
  };
  const app = createApp(deps);
  const server: Server = createServer(app);
  server.keepAliveTimeout = 65_000;
  hub = new RealtimeHub(hubOptions(engine));
  hub.start();
  try {
    await followDatabaseChannels(engine, () => hub, log);
    // before the first request: a chain shop's pages know from the start that they are a chain's
    chain = startChain(options, engine, dataDir, log);
  } catch (error) {
    await hub.close();
    await engine.close();
    unlock();
    throw error;
  }
  // another host's commit on a shared database reaches this host's subscribers like one of its own
  const followRemote = (current: Engine) =>
    current.store.onRemoteCommit?.((commit) => void notifyRemoteCommit(hub, current.store, current.log, commit)) ?? (() => {});
  let stopFollowingRemote = followRemote(engine);
  server.on('upgrade', (req, socket, head) => {
    if (hub) void hub.handleUpgrade(req, socket, head);
    else socket.destroy();
  });
  // a revoked device is cut off at once: its sockets close, and its logins end (stored before revoke() resolves)
  terminals.onRevoke(async (id) => {
    hub?.disconnectTerminal(id);
    await engine.sessions?.destroyTerminal(id);
  });

  const port = resolvePort(options.port, engine.manifest.launch?.port);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, bindHost, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await chain?.stop();
    await hub.close();
    await engine.close();
    unlock();
    const err = error as NodeJS.ErrnoException;
    throw new Error(
      err.code === 'EADDRINUSE' ? `port ${port} is already in use: stop the other program or choose another port (--port)` : err.message,
    );
  }
  const address = server.address() as AddressInfo;
  const shownHost = bindHost === '0.0.0.0' || bindHost === '::' ? '127.0.0.1' : bindHost;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${address.port}`;
  lock?.update(url);
  const announcement: Announcement | null = lan
    ? await announceHost(address.port, String(engine.manifest.globals?.appName ?? 'Serverokey'), log)
    : null;
  log.info(`serving ${path.basename(appDir)} at ${url}${lan ? ' (LAN mode: other devices pair at /__pair)' : ''}`);
  await backups.start();

  let closing: Promise<void> | undefined;
  const stopWarmUp = () => closing !== undefined;
  // The components of the first page are prepared while the window that asks for it is on its way; the
  // rest of what start-up left for first use once that page is out and nobody waits (the cashier is typing
  // a password), so later pages and the first sale find everything ready.
  // (only a head start: what fails here fails again, and is reported, when a request needs it)
  const aheadOfNeed = (work: () => Promise<void>) => async () => {
    try {
      await work();
    } catch (error) {
      log.warn(`preparing ahead of need failed: ${(error as Error)?.message ?? String(error)}`);
    }
  };
  setImmediate(aheadOfNeed(() => engine.renderer.prepare(firstPageComponents(engine.manifest, routes), stopWarmUp)));
  const warmUp = setTimeout(aheadOfNeed(() => engine.warmUp(stopWarmUp)), WARM_UP_DELAY_MS);
  warmUp.unref();
  const host: Host = {
    url,
    port: address.port,
    host: bindHost,
    launch: engine.manifest.launch ?? {},
    terminals: {
      list: () => terminals.list(),
      revoke: (id) => terminals.revoke(id),
      pairingCode: () => terminals.pairingCode(),
    },
    terminalCookie(terminal) {
      // the value as it travels in a Cookie header (URL-encoded like every cookie the host sets): set raw, a
      // name with non-ASCII letters ("Касса 1") would be decoded on arrival and fail its signature
      const value = terminals.cookieValue({ id: terminal.id, name: terminal.name, kind: 'local' });
      return { name: TERMINAL_COOKIE, value: encodeURIComponent(value) };
    },
    chainStatus,
    storeStatus: () => engine.store.status(),
    backup: (to) => backups.backup(to),
    backupStatus: () => backups.status(),
    onBackupStatus: (listener) => backups.onChange(listener),
    onStoreStatus(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },
    engine: () => engine,
    hub: () => hub,
    async reload() {
      await engine.store.flush();
      const next = await createEngine({ appDir, dataDir, debug, log, fresh: true, database, chainStatus, ...engineTiming });
      const previous = engine;
      engine = next;
      await followDatabaseChannels(next, () => hub, log);
      stopFollowingStatus();
      stopFollowingStatus = followStatus(next);
      stopFollowingRemote();
      stopFollowingRemote = followRemote(next);
      routes = new RouteTable(next.manifest);
      hub?.reconfigure(hubOptions(next));
      await previous.close();
    },
    close() {
      clearTimeout(warmUp);
      closing ??= (async () => {
        await chain?.stop();
        await announcement?.stop();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // requests already received finish (bounded, so a stuck client cannot hold the till open)
        if (inFlight.count > 0) {
          await Promise.race([
            new Promise<void>((resolve) => inFlight.idle.push(resolve)),
            new Promise<void>((resolve) => setTimeout(resolve, 10_000).unref()),
          ]);
        }
        await hub?.close();
        server.closeAllConnections();
        await stopped;
        backups.stop();
        await backups.settle();
        await engine.close();
        unlock();
      })();
      return closing;
    },
  };
  return host;
}

/**
 * A chain's shop sends its journal records to head office (server/chain/uploader.ts), from the host's own
 * process; the URL (with the shop's password) comes from the options or the environment, never the manifest.
 */
function startChain(options: HostOptions, engine: Engine, dataDir: string, log: ReturnType<typeof createLogger>): ChainUploader | null {
  const url = options.chain?.url ?? (process.env.SERVEROKEY_CHAIN_URL || undefined);
  if (!url) return null;
  const shop = options.chain?.shop ?? (process.env.SERVEROKEY_SHOP || undefined) ?? engine.manifest.launch?.chain?.shop;
  if (!shop) throw new Error('a chain needs the shop id: --shop, SERVEROKEY_SHOP or launch.chain.shop in the manifest');
  const journals = Object.entries(engine.manifest.connectors)
    .filter(([, config]) => config.type === 'journal' && (config.scope ?? 'global') === 'global')
    .map(([name]) => name);
  const catalogue = engine.manifest.launch?.chain?.catalogue;
  if (catalogue && !engine.manifest.connectors[catalogue]) {
    throw new Error(`launch.chain.catalogue names "${catalogue}", which is not a connector of this app (one of: ${Object.keys(engine.manifest.connectors).join(', ')})`);
  }
  const uploader = new ChainUploader(dataDir, { url, shop, journals, catalogue }, log, engine.store);
  void uploader.start();
  log.info(`chain: shop "${shop}" sends ${journals.map((name) => `"${name}"`).join(', ') || 'no journals'} to head office`);
  return uploader;
}
