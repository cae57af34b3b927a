// What the HTTP layer needs from the host: the engine (replaced on reload in dev mode), the route table, the
// terminal registry, the realtime hub and the host's secret.
import type { Engine } from '../engine.js';
import type { TerminalRegistry } from '../auth/terminals.js';
import type { RealtimeHub } from '../realtime/hub.js';
import type { AdminHandlers } from '../backup/admin.js';
import type { RouteTable } from './routes.js';
import type { ChainStatus } from '../chain/uploader.js';

export interface AppDeps {
  /** the current engine (replaced in dev mode when the app is reloaded) */
  engine(): Engine;
  terminals: TerminalRegistry;
  hub(): RealtimeHub | undefined;
  secret: Buffer;
  lan: boolean;
  /** dev mode: pages keep a socket open for reload and error frames */
  dev: boolean;
  clientScript(): Promise<string>;
  inFlight: { count: number; idle: Array<() => void> };
  routes(): RouteTable;
  /** the admin endpoint for commands on this computer (serverokey backup while the host runs) */
  admin?: AdminHandlers;
  /** a chain's shop: whether head office is reached and what waits (templates see it as `chain`) */
  chainStatus?(): ChainStatus | null;
}
