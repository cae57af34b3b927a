// What a running action carries: the variables expressions see, the effects steps request
// (redirect, login, logout), and the engine services steps may use.
import type { Redirect } from '../../protocol/wire.js';
import type { ActionRoute, Manifest, Step } from '../manifest/types.js';
import type { Logger } from '../store/types.js';

export type Vars = Record<string, unknown> & {
  data: Record<string, unknown>;
  user: Record<string, unknown> | null;
  body: unknown;
  query: Record<string, string>;
  context: Record<string, unknown>;
};

export interface ActionServices {
  manifest: Manifest;
  appDir: string;
  debug: boolean;
  log: Logger;
  /** loads app/actions/<name>.js (cached) */
  handler(name: string): Promise<(context: Vars, body: unknown) => unknown>;
  /** reads a connector for the current requester (used when a sub-action reads what the caller did not) */
  read(name: string): Promise<unknown>;
  /** the require() expressions get */
  require(name: string): unknown;
  allowHosts?: string[];
}

export interface RunState {
  vars: Vars;
  routeKey: string;
  route: ActionRoute;
  services: ActionServices;
  redirect?: Redirect;
  interrupted: boolean;
  login?: Record<string, unknown>;
  logout: boolean;
  /** connectors written by this action, including sub-actions' writes */
  writes: Set<string>;
  /** sub-actions entered, for recursion protection */
  depth: number;
}

export interface StepKind {
  /** the key that identifies the kind in a step object */
  key: string;
  run(step: Step & Record<string, unknown>, state: RunState, path: string): Promise<void> | void;
}
