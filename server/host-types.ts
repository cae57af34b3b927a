// Options and handle of the one entry point, createHost (server/host.ts). Electron imports only these
// (as types: nothing of the engine is loaded by importing this file).
import type { Engine } from './engine.js';
import type { RealtimeHub } from './realtime/hub.js';
import type { LaunchConfig } from './manifest/types.js';

/** Milliseconds since the epoch, like Date.now (the default). */
export type Clock = () => number;

export interface HostOptions {
  /** application folder holding manifest.js (or manifest.ts / manifest.mjs) */
  appDir: string;
  /** folder for persistent connector files; default <appDir>/.data */
  dataDir?: string;
  /**
   * postgres://user:password@host:5432/database (default: SERVEROKEY_DATABASE_URL): the app's stored
   * connectors, sessions, paired terminals and signing secret live in PostgreSQL, and several hosts may
   * serve one database (no data-folder lock; channels reach subscribers on every host)
   */
  database?: string;
  /**
   * A shop of a chain: its journal records are sent to head office (`url`: postgres://shop_<id>:<password>@…,
   * default SERVEROKEY_CHAIN_URL; `shop`: default SERVEROKEY_SHOP or the manifest's launch.chain.shop).
   */
  chain?: { url?: string; shop?: string };
  /** interface to bind; default 127.0.0.1 ('0.0.0.0' or launch.lan for LAN mode) */
  host?: string;
  /** port; default: this option, then PORT, then launch.port, then a free port */
  port?: number;
  /** bind the LAN and require pairing for other devices; default: launch.lan, or launch.mode "server" */
  lan?: boolean;
  debug?: boolean;
  /** watch files and reload (serverokey dev) */
  dev?: boolean;
  /** silence the host's own log lines */
  quiet?: boolean;
  /** a secret shared with trusted local windows (Electron) so they get a terminal identity without pairing */
  localTerminalSecret?: string;
  /** the caller (serverokey dev) already holds the data folder's lock */
  dataLockHeld?: boolean;
  /** the time login sessions expire by (default Date.now): tests move it instead of waiting */
  clock?: Clock;
  /**
   * How long committed changes may stay only in the write-ahead log before the connector files are
   * brought up to date (default 1 s): tests that look at the files shorten it or call flush.
   */
  checkpointDelayMs?: number;
}

export interface Host {
  url: string;
  port: number;
  host: string;
  /** finishes in-flight actions, flushes writes, closes sockets */
  close(): Promise<void>;
  /** paired LAN terminals and the current pairing code (LAN mode) */
  terminals: TerminalRegistryView;
  /**
   * A cookie that gives a trusted local window (an Electron session partition) its own terminal identity
   * without pairing. Set it in the window's session before loading the URL.
   */
  terminalCookie(terminal: { id: string; name: string }): { name: string; value: string };
  /** the parsed manifest's launch section (window size, title, customer display, printing) */
  launch: LaunchConfig;
  /** the loaded application (a new one after reload): its store, renderer, runner and sessions */
  engine(): Engine;
  /** the WebSocket hub (undefined only while the host is being set up) */
  hub(): RealtimeHub | undefined;
  /** dev mode: loads the app again; the old engine keeps serving if the new one fails */
  reload(): Promise<void>;
  /** a chain's shop: whether head office is reached and how many records wait; null when not in a chain */
  chainStatus(): ChainStatus | null;
  /** whether the host can save changes (a full disk or a read-only data folder stops it until fixed) */
  storeStatus(): StoreStatus;
  /** told when that changes; returns the function that stops telling */
  onStoreStatus(listener: (status: StoreStatus) => void): () => void;
  /** a consistent backup of the data folder into a new folder inside `to` (see README "Backups") */
  backup(to: string): Promise<BackupResult>;
  /** when the last backup was made, the schedule (launch.backup) and whether a backup is overdue */
  backupStatus(): BackupStatus;
  onBackupStatus(listener: (status: BackupStatus) => void): () => void;
}

export type { BackupResult } from './backup/backup-folder.js';
export type { BackupStatus } from './backup/host-backups.js';
import type { BackupResult } from './backup/backup-folder.js';
import type { BackupStatus } from './backup/host-backups.js';

export type { StoreStatus } from './store/health.js';
export type { ChainStatus } from './chain/uploader.js';
import type { ChainStatus } from './chain/uploader.js';
import type { StoreStatus } from './store/health.js';

export interface TerminalInfo {
  id: string;
  name: string;
  pairedAt: string;
  revoked?: boolean;
}

export interface TerminalRegistryView {
  list(): TerminalInfo[];
  revoke(id: string): Promise<boolean>;
  pairingCode(): { code: string; expiresAt: number };
}
