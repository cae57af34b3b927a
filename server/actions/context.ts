// What a running action carries: the variables expressions see, the effects steps request
// (redirect, login, logout), and the engine services steps may use.
import type { Redirect } from '../../protocol/wire.js';
import type { ActionRoute, Manifest, Step } from '../manifest/types.js';
import type { Logger } from '../log.js';
import type { JournalPage, JournalQuery } from '../store/journal-query.js';
import type { AppDatabase } from '../database/app-database.js';
import type { StoredView } from './stored.js';

/**
 * The names every expression sees: the variables an action's steps run with (built in actions/runner.ts)
 * plus `zod` and `require`. `chain` is a chain shop's link to head office (null elsewhere), as templates see it. The validator checks free names against this list, and a forEach variable
 * (`as`) may not hide one of them, at run time (steps/for-each.ts) and in the validator alike.
 */
export const EXPRESSION_NAMES = ['data', 'user', 'body', 'query', 'context', 'terminal', 'chain', 'zod', 'require'] as const;

export type ExpressionName = (typeof EXPRESSION_NAMES)[number];

export function isExpressionName(name: string): name is ExpressionName {
  return (EXPRESSION_NAMES as readonly string[]).includes(name);
}

export type Vars = Record<string, unknown> & {
  data: Record<string, unknown>;
  user: Record<string, unknown> | null;
  body: unknown;
  query: Record<string, string>;
  context: Record<string, unknown>;
  /** handlers only (not an expression name): a value reached through `data` as the store holds it (actions/stored.ts) */
  stored?: StoredView;
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
  /** one page of a journal connector's records for the current requester (journal:read) */
  queryJournal(name: string, query: JournalQuery): Promise<JournalPage>;
  /** the require() expressions get */
  require(name: string): unknown;
  allowHosts?: string[];
  /** the app's SQL on the host's PostgreSQL database (the sql step); absent when the host has no database */
  database?: Pick<AppDatabase, 'query'>;
  /** a chain shop's link to head office (expressions see it as `chain`); null outside a chain */
  chain?(): unknown;
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
  /** users (identity values) whose logins end everywhere once the action is saved (auth:endSessions) */
  endSessions?: string[];
  /** connectors written by this action, including sub-actions' writes */
  writes: Set<string>;
  /** sub-actions entered, for recursion protection */
  depth: number;
  /** a view's steps: SQL runs READ ONLY */
  view?: boolean;
}

export interface StepKind {
  /** the key that identifies the kind in a step object */
  key: string;
  run(step: Step & Record<string, unknown>, state: RunState, path: string): Promise<void> | void;
}
