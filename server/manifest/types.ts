// Types an app author sees (defineManifest / JSDoc @type). They mirror schema.ts, with
// steps spelled out per kind so editors can complete them.

import type { ConnectorType } from './connector-types.js';

export type { ConnectorType } from './connector-types.js';

export type ConnectorScope = 'global' | 'terminal' | 'user';

export interface MigrationRule {
  if_not_exists: string;
  set: Record<string, unknown>;
}

export interface ComputedRule {
  target: string;
  formula?: string;
  format?: string;
  defaultValue?: unknown;
}

export interface ConnectorConfig {
  /**
   * lowdb (persistent JSON file; aliases wise-json, json), memory (alias in-memory), journal (append-only),
   * postgres (kept in the PostgreSQL database the host is given, while the other connectors stay in files).
   */
  type: ConnectorType;
  collection?: string;
  initialState?: unknown;
  migrations?: MigrationRule[];
  /** @deprecated kept for manifests written for the original engine */
  computed?: ComputedRule[];
  /** global (default): one state for everyone; terminal: one per terminal; user: one per logged-in user. */
  scope?: ConnectorScope;
  /** journal only: readers see the newest `last` records as `items` (default 200) plus `count`. */
  view?: { last?: number };
  /**
   * Fields that identify an item of `items`, the first being its identity (default `id`): O(1) lookups by
   * them (`keyed(items, field)` in expressions, and `items.find(i => i.field === value)`), and commits log
   * only the items they changed.
   */
  keys?: string[];
  /** journal only: every new record gets `uid`, a UUID v7 made at the till when it is written (head office keys on it). */
  uid?: boolean;
  /**
   * journal only: fields (dotted paths, e.g. `cashier.login`) its records can be filtered by with the
   * `journal:read` step, beyond the `view.last` records readers see: a day's page of 100,000 records costs
   * the page, not the journal.
   */
  index?: string[];
}

/** Where a `journal:read` step's records come from and which of them it takes. */
export interface JournalReadSpec {
  /** the journal connector (declared with `index` for the fields `where` names) */
  journal: string;
  /** field → expression (equals; a list: one of), or { from?, to? } expressions (inclusive); an empty value filters nothing */
  where?: Record<string, Expression | { from?: Expression; to?: Expression }>;
  /** expression: the page, 1-based (default 1) */
  page?: Expression;
  /** expression: records per page (default 20, at most 500) */
  size?: Expression | number;
  /** newest first (default) or oldest first */
  order?: 'newest' | 'oldest';
  /** where the page goes, e.g. "context.history": { items, page, pages, total, size } */
  saveTo: string;
}

export type ComponentConfig = string | { template: string; style?: string; title?: string };

/** An expression: a JavaScript expression string evaluated against data, user, body, query, context, zod. */
export type Expression = string;

export type Step =
  | { set: string; to: unknown }
  | { if: Expression | boolean; then?: Step[]; else?: Step[] }
  | { forEach: Expression; as?: string; steps: Step[] }
  | { run: string }
  | { 'action:run': { name: string } }
  | { 'auth:login': Expression }
  | { 'auth:logout': true }
  | { 'auth:endSessions': Expression }
  | { 'journal:read': JournalReadSpec }
  | { 'client:redirect': Expression | { url: string; full?: boolean } }
  | { 'http:get': { url: Expression; saveTo: string; timeoutMs?: number; maxBytes?: number } }
  | { fail: Expression; status?: number; field?: string }
  | { sql: { query: string; params?: Expression[]; saveTo?: string } };

export interface RouteAuth {
  required?: boolean;
  failureRedirect?: string;
  roles?: string[];
}

export interface ViewRoute {
  type: 'view';
  layout: string;
  inject?: Record<string, string>;
  reads?: string[];
  auth?: RouteAuth;
  public?: boolean;
  title?: string;
  /**
   * Read-only steps run before the page is rendered, with the query string (`query`): they compute
   * `context` for the templates. A view writes nothing (no `writes`, no sub-action that writes, no login).
   */
  steps?: Step[];
  /**
   * The view answers a file instead of a page: the text its steps put at `body` (a path into `context`,
   * e.g. "context.csv"), downloaded as `fileName` with `contentType` (default text/plain; charset=utf-8).
   */
  download?: ViewDownload;
}

export interface ViewDownload {
  body: string;
  fileName: string;
  contentType?: string;
}

export interface ActionRoute {
  type: 'action';
  reads?: string[];
  writes?: string[];
  update?: string;
  steps?: Step[];
  internal?: boolean;
  auth?: RouteAuth;
  public?: boolean;
  /** the largest request body this action takes, in MB (default 1, at most 16): an uploaded file's text */
  bodyLimitMb?: number;
}

export type RouteConfig = ViewRoute | ActionRoute;

export interface ChannelConfig {
  /** the connector whose writes this channel announces (or `listen`) */
  watch?: string;
  /**
   * a PostgreSQL notification channel (on the host's database, `serve --database`): every NOTIFY on it — from
   * a trigger, another program, another host — refreshes the subscribers, within the 250 ms they are gathered
   * over. For tables the engine does not manage (a chain's central tables). Instead of `watch`; never pushed.
   */
  listen?: string;
  emit: {
    event: string;
    /** connector name (whole state, secrets removed) or a list of top-level keys to send */
    payload?: string | string[];
    /** component rendered once per scope and pushed with the event (subscribers skip the round trip) */
    render?: string;
    /**
     * connectors the pushed component is rendered with (default: the watched one); each is read with the
     * change's scope key when it has the watched connector's scope, its global state otherwise
     */
    reads?: string[];
  };
  auth?: { required?: boolean; roles?: string[] };
  /**
   * Automatic push (default true): subscribers' read-only soft refreshes are rendered by the host once per
   * distinct request and sent with the event; false keeps every refresh an HTTP round trip.
   */
  push?: boolean;
}

export interface AuthConfig {
  userConnector: string;
  identityField: string;
  passwordField: string;
  sessionConnector?: string;
  roleField?: string;
  protectByDefault?: boolean;
  loginPath?: string;
  session?: { idleMinutes?: number; absoluteHours?: number };
  /**
   * Roles that may open the host machine's terminals page (/__terminals: the pairing code, revoking
   * devices); default ["admin", "manager"]. Anyone else is sent to the login page (with ?next=/__terminals).
   */
  terminalsRoles?: string[];
}

export interface LaunchConfig {
  mode?: 'server' | 'native' | string;
  lan?: boolean;
  port?: number;
  window?: {
    title?: string;
    width?: number;
    height?: number;
    devtools?: boolean;
    kiosk?: boolean;
    fullscreen?: boolean;
  };
  customerDisplay?: { path?: string; enabled?: boolean };
  print?: { path?: string; widthMm?: number; printer?: string };
  /** automatic backups of the data folder (see README "Backups") */
  backup?: BackupConfig;
  /** a shop of a chain (README "A chain of shops"): its id; the URL and the password come from the environment */
  chain?: { shop?: string; catalogue?: string };
}

export interface BackupConfig {
  /** how often: "30m", "6h", "1d" */
  every: string;
  /** how many backups to keep in `to` (oldest removed first); default 7 */
  keep?: number;
  /** the folder: absolute, or relative to the folder holding the data folder; default `<data folder>-backups` */
  to?: string;
}

export interface ExportColumn {
  title: string;
  /** a dotted path into the record, e.g. "cashier.name" */
  field: string;
  /** money: kopecks as 12,50; json: the value as JSON text; text (default) */
  format?: 'text' | 'money' | 'json';
}

/** A journal people may download by date range as CSV or JSON lines, at /__export/<name>. */
export interface ExportConfig {
  /** the journal connector downloaded (or `sql`) */
  journal?: string;
  /**
   * a query on the host's PostgreSQL database (`serve --database`) instead of a journal: $1 is the range's
   * first day and $2 its last (YYYY-MM-DD text, or null when open), e.g.
   * "SELECT … WHERE ($1::date IS NULL OR at >= $1::date) AND ($2::date IS NULL OR at < $2::date + 1)"
   */
  sql?: string;
  /** the record field holding its date (YYYY-MM-DD…); default "day", else "at" */
  dateField?: string;
  /** who may download it (any logged-in user when absent) */
  roles?: string[];
  title?: string;
  /** CSV columns; default: every top-level field */
  columns?: ExportColumn[];
}

export interface Manifest {
  globals?: Record<string, unknown>;
  connectors: Record<string, ConnectorConfig>;
  components: Record<string, ComponentConfig>;
  routes: Record<string, RouteConfig>;
  sockets?: Record<string, ChannelConfig>;
  auth?: AuthConfig;
  launch?: LaunchConfig;
  /** npm modules (besides Node built-ins, bcrypt and zod) that expressions may require() */
  allowModules?: string[];
  http?: { allowHosts?: string[] };
  /** journals that can be downloaded by date range (CSV, JSON lines) at /__export/<name> */
  exports?: Record<string, ExportConfig>;
}

/** Identity helper that gives editors completion for a manifest. */
export function defineManifest<M extends Manifest>(manifest: M): M {
  return manifest;
}
