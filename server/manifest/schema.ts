// One source of truth for the manifest's shape: the runtime loads through it and the
// validator reports through it. The types app authors see (types.ts) are written by hand, not derived
// from it, so that steps can be spelled out per kind for editors; shared vocabularies (connector types)
// come from one module both import, and a change here needs the matching change there.
// the namespace import lets the bundle keep only the schema kinds used here (not every locale and kind)
import * as z from 'zod';

const name = z.string().min(1);

import { connectorTypes } from './connector-types.js';

export { connectorTypes };

export const migrationRuleSchema = z.object({
  if_not_exists: z.string().min(1),
  set: z.record(z.string(), z.unknown()),
});

export const computedRuleSchema = z.looseObject({
  target: z.string().min(1),
  formula: z.string().optional(),
  format: z.string().optional(),
  defaultValue: z.unknown().optional(),
});

export const connectorSchema = z.looseObject({
  type: z.enum(connectorTypes, {
    error: (issue) =>
      issue.input === undefined
        ? `connector is missing the 'type' property (one of: ${connectorTypes.join(', ')})`
        : `unknown connector type ${JSON.stringify(issue.input)} (one of: ${connectorTypes.join(', ')})`,
  }),
  collection: z.string().optional(),
  initialState: z.unknown().optional(),
  migrations: z.array(migrationRuleSchema).optional(),
  computed: z.array(computedRuleSchema).optional(),
  scope: z.enum(['global', 'terminal', 'user']).optional(),
  /** journal only: how many of the newest records readers see as `items` (default 200) */
  view: z.object({ last: z.number().int().min(0).optional() }).optional(),
  /**
   * Fields that identify an item of `items` (first: the identity; e.g. ['id', 'barcode']). Lookups by them
   * are O(1) (`keyed(data.x.items, 'barcode').get(code)`, and `items.find(i => i.barcode === code)`), and a
   * commit logs only the items it changed. Default: `id` identifies items when every item has a unique one.
   */
  keys: z.array(z.string().min(1)).min(1).optional(),
  /** journal only: every new record gets `uid`, a UUID v7 made when it is written (a chain's head office keys on it) */
  uid: z.boolean().optional(),
  /** journal only: fields the journal:read step can filter its records by (an in-memory index, or SQL) */
  index: z.array(z.string().min(1)).min(1).optional(),
});

export const componentSchema = z.union([
  z.string().min(1),
  z.looseObject({
    template: z.string().min(1),
    style: z.string().optional(),
    title: z.string().optional(),
  }),
]);

export const routeAuthSchema = z.looseObject({
  required: z.boolean().optional(),
  failureRedirect: z.string().optional(),
  roles: z.array(z.string()).optional(),
});

// Steps are checked per kind by the step registry (server/actions/steps), which knows each kind's keys.
export const stepSchema: z.ZodType<Record<string, unknown>> = z.record(z.string(), z.unknown());

export const routeSchema = z.looseObject({
  type: z.enum(['view', 'action'], {
    error: (issue) => `route 'type' must be "view" or "action" (got ${JSON.stringify(issue.input)})`,
  }),
  layout: z.string().optional(),
  inject: z.record(z.string(), z.string()).optional(),
  reads: z.array(name).optional(),
  writes: z.array(name).optional(),
  update: z.string().optional(),
  steps: z.array(stepSchema).optional(),
  internal: z.boolean().optional(),
  public: z.boolean().optional(),
  auth: routeAuthSchema.optional(),
  title: z.string().optional(),
  bodyLimitMb: z.number().int('bodyLimitMb is a whole number of MB').min(1, 'bodyLimitMb is at least 1 (MB)').max(16, 'bodyLimitMb is at most 16 (MB)').optional(),
  download: z
    .looseObject({
      body: z.string().regex(/^context\.[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/, 'download.body is a path into context, e.g. "context.csv"'),
      fileName: z.string().regex(/^[\w.-]{1,100}$/, 'download.fileName: letters, digits, ".", "-", "_" (e.g. "catalogue.csv")'),
      contentType: z.string().optional(),
    })
    .optional(),
});

export const channelSchema = z.looseObject({
  watch: name.optional(),
  /** a PostgreSQL NOTIFY channel that refreshes the subscribers (instead of watch) */
  listen: z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, 'listen is a PostgreSQL channel name: lower-case letters, digits and _').optional(),
  emit: z.looseObject({
    event: name,
    payload: z.union([z.string(), z.array(z.string())]).optional(),
    render: z.string().optional(),
    reads: z.array(z.string()).optional(),
  }),
  auth: z
    .looseObject({ required: z.boolean().optional(), roles: z.array(z.string()).optional() })
    .optional(),
  /** false: subscribers' soft refreshes are never rendered by the host and pushed with the event */
  push: z.boolean().optional(),
});

export const authSchema = z.looseObject({
  userConnector: name,
  identityField: name,
  passwordField: name,
  sessionConnector: z.string().optional(),
  roleField: z.string().optional(),
  protectByDefault: z.boolean().optional(),
  loginPath: z.string().optional(),
  terminalsRoles: z.array(z.string().min(1)).min(1).optional(),
  session: z
    .object({
      idleMinutes: z.number().positive().optional(),
      absoluteHours: z.number().positive().optional(),
    })
    .optional(),
});

export const launchSchema = z.looseObject({
  mode: z.string().optional(),
  lan: z.boolean().optional(),
  port: z.number().int().min(0).max(65535).optional(),
  window: z
    .looseObject({
      title: z.string().optional(),
      width: z.number().positive().optional(),
      height: z.number().positive().optional(),
      devtools: z.boolean().optional(),
      kiosk: z.boolean().optional(),
      fullscreen: z.boolean().optional(),
    })
    .optional(),
  customerDisplay: z
    .looseObject({ path: z.string().optional(), enabled: z.boolean().optional() })
    .optional(),
  print: z
    .looseObject({
      path: z.string().optional(),
      widthMm: z.number().positive().optional(),
      printer: z.string().optional(),
    })
    .optional(),
  backup: z
    .object({
      every: z
        .string({ error: 'launch.backup.every is required: how often to back up, e.g. "6h" (m: minutes, h: hours, d: days)' })
        .regex(/^\s*[1-9]\d*\s*[mhd]$/, 'launch.backup.every is a duration like "30m", "6h" or "1d" (m: minutes, h: hours, d: days)'),
      keep: z.number({ error: 'launch.backup.keep is how many backups to keep: a whole number from 1' }).int().min(1, 'launch.backup.keep must be at least 1').optional(),
      to: z.string().min(1, 'launch.backup.to is a folder (absolute, or relative to the folder that holds the data folder)').optional(),
    })
    .optional(),
  /** a shop of a chain: its id (head office's URL and the shop's password come from the environment, never from here) */
  chain: z
    .strictObject(
      {
        shop: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,39}$/, 'launch.chain.shop is the shop id: 1–40 lower-case letters, digits, "-" or "_"').optional(),
        /** the connector head office's catalogue is pulled into */
        catalogue: z.string().min(1).optional(),
      },
      { error: "launch.chain holds the shop id and the catalogue connector; head office's URL and the password come from SERVEROKEY_CHAIN_URL, never from the manifest" },
    )
    .optional(),
});

export const exportColumnSchema = z.object({
  title: z.string().min(1),
  /** a dotted path into the record: "number", "cashier.name", "payment.method" */
  field: z.string().min(1),
  /** money: kopecks written as 12,50; json: the value as JSON text */
  format: z.enum(['text', 'money', 'json']).optional(),
});

export const exportSchema = z.object({
  journal: name.optional(),
  /** a query on the host's database instead of a journal: $1, $2 = the range's first and last day (or null) */
  sql: z.string().min(1).optional(),
  /** the record field whose first 10 characters (YYYY-MM-DD) --from/--to select by; default "day", else "at" */
  dateField: z.string().min(1).optional(),
  roles: z.array(z.string()).optional(),
  title: z.string().optional(),
  columns: z.array(exportColumnSchema).optional(),
});

export const manifestSchema = z.looseObject({
  globals: z.record(z.string(), z.unknown()).optional(),
  connectors: z.record(z.string(), connectorSchema),
  components: z.record(z.string(), componentSchema),
  routes: z.record(z.string(), routeSchema),
  sockets: z.record(z.string(), channelSchema).optional(),
  auth: authSchema.optional(),
  launch: launchSchema.optional(),
  allowModules: z.array(z.string()).optional(),
  http: z.looseObject({ allowHosts: z.array(z.string()).optional() }).optional(),
  seed: z.string().optional(),
  exports: z.record(z.string().regex(/^[A-Za-z0-9_-]+$/, 'an export name is letters, digits, "-" or "_" (it is part of the URL /__export/<name>)'), exportSchema).optional(),
});

export type ManifestInput = z.input<typeof manifestSchema>;
export type ParsedManifest = z.output<typeof manifestSchema>;

export interface SchemaProblem {
  path: string;
  message: string;
}

/** Formats a zod path as the key path an author would write: routes["POST /x"].steps[2].to */
export function formatKeyPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else if (typeof part === 'string' && /^[A-Za-z_$][\w$]*$/.test(part)) out += out ? `.${part}` : part;
    else out += `[${JSON.stringify(String(part))}]`;
  }
  return out || '(root)';
}

export function checkManifestShape(value: unknown): SchemaProblem[] {
  // one check per start: zod's generated fast path costs more to generate than it saves on one manifest
  const result = manifestSchema.safeParse(value, { jitless: true });
  if (result.success) return [];
  return result.error.issues.map((issue) => ({
    path: formatKeyPath(issue.path),
    message:
      issue.code === 'invalid_type' && issue.input === undefined
        ? `required key '${String(issue.path[issue.path.length - 1] ?? '')}' is missing`
        : issue.message,
  }));
}
