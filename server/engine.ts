// Everything one loaded application needs at run time, assembled from its manifest: the store, the
// renderer, the action runner, sessions and channels. The HTTP layer and the socket hub sit on top.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadManifest, loadAppModule } from './manifest/load.js';
import type { AuthConfig, Manifest, RouteConfig } from './manifest/types.js';
import { createStore } from './store/index.js';
import type { Logger } from './log.js';
import type { Store } from './store/types.js';
import { createRenderer, type Renderer, type RendererWarmUp } from './render/index.js';
import { ActionRunner } from './actions/runner.js';
import { createAppRequire, preloadAppModules } from './actions/modules.js';
import type { Vars } from './actions/context.js';
import { SessionManager } from './auth/sessions.js';
import { secretFields } from './auth/user.js';
import { buildChannels, type Channel } from './realtime/channels.js';
import { reachesStep } from './actions/reachable.js';
import { sessionConnectorName } from './manifest/auth-rules.js';
import type { Clock } from './host-types.js';
import { hasStoredState, importWiseDb, WISE_DB_FOLDER } from './import/import-wise-db.js';
import { checkExports } from './export/journal-export.js';
import { AppDatabase } from './database/app-database.js';

export interface Engine {
  appDir: string;
  dataDir: string;
  manifest: Manifest;
  store: Store;
  renderer: Renderer & RendererWarmUp;
  runner: ActionRunner;
  sessions: SessionManager | null;
  channels: Map<string, Channel>;
  secrets: Set<string>;
  loginRoutes: Set<string>;
  debug: boolean;
  log: Logger;
  /** the app's own SQL (sql steps, sockets that `listen`, exports with `sql`) on the host's database; null without one */
  database: AppDatabase | null;
  /**
   * Does ahead of need what start-up left for first use (preparing the components no page has rendered
   * yet, loading zod for expressions), a little at a time; stops when `stop()` answers true.
   */
  warmUp(stop?: () => boolean): Promise<void>;
  close(): Promise<void>;
}

/** Misconfigured auth stops start-up with a reason (the original silently disabled it, compatibility.md D22). */
function checkAuth(manifest: Manifest, auth: AuthConfig): void {
  const users = manifest.connectors[auth.userConnector];
  if (!users) throw new Error(`auth.userConnector names "${auth.userConnector}", which is not a declared connector`);
  const sessionName = sessionConnectorName(auth);
  if (!manifest.connectors[sessionName]) {
    throw new Error(
      `auth needs a connector for sessions named "${sessionName}": add connectors.${sessionName} = { type: "lowdb" } (or set auth.sessionConnector)`,
    );
  }
  for (const name of [auth.userConnector, sessionName]) {
    if ((manifest.connectors[name].scope ?? 'global') !== 'global') throw new Error(`connector "${name}" is used by auth and must have scope "global"`);
  }
}

export async function createEngine(options: {
  appDir: string;
  dataDir: string;
  debug: boolean;
  log: Logger;
  fresh?: boolean;
  /** when components are prepared (createRenderer's option of the same name); default 'at-start' */
  prepareComponents?: 'at-start' | 'on-first-use';
  /** the time sessions expire by (HostOptions.clock) */
  clock?: Clock;
  /** how long commits stay only in the write-ahead log (HostOptions.checkpointDelayMs) */
  checkpointDelayMs?: number;
  /** postgres://… : the stored connectors live in PostgreSQL (createStore's option of the same name) */
  database?: string;
  /** a chain shop's link to head office, which expressions see as `chain` (null outside a chain) */
  chainStatus?: () => unknown;
}): Promise<Engine> {
  const appDir = path.resolve(options.appDir);
  const { manifest } = await loadManifest(appDir, { fresh: options.fresh });
  if (manifest.auth) checkAuth(manifest, manifest.auth);
  checkExports(manifest);
  const channels = buildChannels(manifest);
  // the original engine's data beside the manifest comes along on the first start (the folder is only read)
  const originalData = path.join(appDir, WISE_DB_FOLDER);
  const importOriginal = existsSync(originalData) && !(await hasStoredState(options.dataDir));
  const store = await createStore({
    connectors: manifest.connectors,
    dataDir: options.dataDir,
    log: options.log,
    checkpointDelayMs: options.checkpointDelayMs,
    database: options.database,
  });
  try {
    if (importOriginal) {
      options.log.info(`import: the data folder is empty and ${originalData} exists: importing the original engine's data`);
      await importWiseDb({ source: originalData, manifest, store, log: options.log });
    }
    const renderer = createRenderer({
      appDir,
      components: manifest.components,
      globals: manifest.globals,
      windowTitle: manifest.launch?.window?.title,
      debug: options.debug,
      log: options.log,
      prepare: options.prepareComponents,
    });
    const database = options.database ? new AppDatabase(options.database, options.log) : null;
    const handlers = new Map<string, (context: Vars, body: unknown) => unknown>();
    const actionsDir = path.join(appDir, 'app', 'actions');
    const runner = new ActionRunner(manifest, store, {
      manifest,
      appDir,
      debug: options.debug,
      log: options.log,
      require: createAppRequire(appDir, manifest.allowModules),
      allowHosts: manifest.http?.allowHosts,
      database: database ?? undefined,
      chain: options.chainStatus,
      async handler(name) {
        const cached = handlers.get(name);
        if (cached) return cached;
        const file = ['.js', '.cjs', '.mjs', '.ts'].map((ext) => path.join(actionsDir, name + ext)).find((f) => existsSync(f));
        if (!file) throw new Error(`no handler app/actions/${name}.js`);
        const mod = (await loadAppModule(file, appDir, options.fresh)) as unknown;
        const fn = typeof mod === 'function' ? mod : (mod as { run?: unknown; handler?: unknown })?.run ?? (mod as { handler?: unknown })?.handler;
        if (typeof fn !== 'function') throw new Error(`app/actions/${path.basename(file)} must export a function (context, body)`);
        handlers.set(name, fn as (context: Vars, body: unknown) => unknown);
        return fn as (context: Vars, body: unknown) => unknown;
      },
    });
    const sessions = manifest.auth ? new SessionManager(store, manifest.auth, options.clock) : null;
    await sessions?.load();
    const loginRoutes = new Set(
      Object.entries(manifest.routes as Record<string, RouteConfig>)
        .filter(([, r]) => r.type === 'action' && reachesStep(manifest, r, 'auth:login'))
        .map(([key]) => key),
    );
    return {
      appDir,
      dataDir: options.dataDir,
      manifest,
      store,
      renderer,
      runner,
      sessions,
      channels,
      secrets: secretFields(manifest.auth),
      loginRoutes,
      debug: options.debug,
      log: options.log,
      database,
      async warmUp(stop = () => false) {
        await renderer.prepareRemaining(stop);
        if (!stop()) preloadAppModules();
      },
      async close() {
        await database?.close();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
