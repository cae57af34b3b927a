// Connectors (compatibility.md §9.3 #4–8, plus types and scopes): what the store would refuse, and rules whose
// formulas point at fields the initial state does not have.
import { sessionConnectorName } from '../manifest/auth-rules.js';
import { findKind } from '../store/kinds.js';
import { isLogFileName } from '../store/write-ahead-log.js';
import { at, isRecord, type ValidationContext } from './context.js';

function sessionConnector(ctx: ValidationContext): string | undefined {
  const auth = ctx.manifest.auth;
  if (!isRecord(auth)) return undefined;
  return sessionConnectorName(auth);
}

const FORMULA = /^\s*(\w+)\s*\((.*)\)\s*$/s;

export function checkConnectors(ctx: ValidationContext): void {
  const { findings } = ctx;
  for (const [name, config] of Object.entries(ctx.connectors)) {
    if (!isRecord(config)) continue; // the schema check reported it
    const type = typeof config.type === 'string' ? config.type : undefined;
    const kind = type ? findKind(type) : undefined;
    if (isLogFileName(encodeURIComponent(name))) {
      findings.error(at('connectors', name), `the name "${name}" is reserved for the store's write-ahead log`, 'rename the connector');
    }
    // compatibility.md §9.3 #5: without initialState a connector starts as {} (a journal starts with no records, and
    // the session connector is filled by the engine)
    const exempt = type === 'wise-json' || kind?.type === 'journal' || name === sessionConnector(ctx);
    if (kind && !exempt && config.initialState === undefined) {
      findings.warning(
        at('connectors', name),
        `connector "${name}" has no initialState, so it starts as {}${kind.persistent ? '' : ' after every restart'}`,
        'add initialState with the fields templates and steps use, e.g. { items: [] }',
      );
    }
    if (config.view !== undefined && kind && kind.type !== 'journal') {
      findings.warning(at('connectors', name, 'view'), `"view" only applies to journal connectors; it is ignored for type "${type}"`);
    }
    checkIndex(ctx, name, config, kind?.type);
    if (config.scope === 'user' && !isRecord(ctx.manifest.auth)) {
      findings.error(
        at('connectors', name, 'scope'),
        `scope "user" keeps one state per logged-in user, but the manifest has no auth section, so nobody is ever logged in`,
        'add an auth section, or use scope "terminal" (one state per till)',
      );
    }
    checkDatabaseConnector(ctx, name, config);
    checkComputed(ctx, name, config);
  }
}

/** `index`: journal only (the fields journal:read filters by), each field once. */
function checkIndex(ctx: ValidationContext, name: string, config: Record<string, unknown>, kind: string | undefined): void {
  if (config.index === undefined) return;
  if (kind && kind !== 'journal') {
    ctx.findings.error(
      at('connectors', name, 'index'),
      `"index" lists the fields a journal's records are filtered by (journal:read); connector "${name}" is ${String(config.type)}, not a journal`,
      `remove "index", or make "${name}" a journal (type: "journal"); for O(1) lookups of items use keys: [...]`,
    );
    return;
  }
  if (!Array.isArray(config.index)) return; // the schema check reported it
  const seen = new Set<string>();
  config.index.forEach((field, i) => {
    if (typeof field !== 'string') return;
    if (seen.has(field)) ctx.findings.warning(at('connectors', name, 'index', i), `"${field}" is listed twice in index`, 'list each field once');
    seen.add(field);
    if (!/^[^.\s]+(\.[^.\s]+)*$/.test(field)) {
      ctx.findings.error(at('connectors', name, 'index', i), `"${field}" is not a field path`, 'write a field name or a dotted path such as "cashier.login"');
    }
  });
}

/** Keys with which a connector names a file or folder of its own (the original's wise-json took a collection folder; check-shape leaves the others to this check). */
const FILE_KEYS = ['file', 'path', 'dataDir', 'collection'] as const;

/** A `postgres` connector lives in the database: one that also names a file says two different things. */
function checkDatabaseConnector(ctx: ValidationContext, name: string, config: Record<string, unknown>): void {
  if (config.type !== 'postgres') return;
  for (const key of FILE_KEYS) {
    if (config[key] === undefined) continue;
    ctx.findings.error(
      at('connectors', name, key),
      `connector "${name}" is kept in PostgreSQL (type "postgres") but also names a file (${key}: ${JSON.stringify(config[key])}); it cannot be both`,
      `remove "${key}" to keep it in the database, or use type "lowdb" to keep it in a file`,
    );
  }
}

function checkComputed(ctx: ValidationContext, name: string, config: Record<string, unknown>): void {
  if (!Array.isArray(config.computed)) return;
  const initial = isRecord(config.initialState) ? config.initialState : undefined;
  config.computed.forEach((rule, index) => {
    const where = at('connectors', name, 'computed', index);
    if (!isRecord(rule)) return;
    if (typeof rule.target !== 'string' || (rule.formula === undefined && rule.format === undefined)) {
      ctx.findings.error(where, 'a computed rule needs a target and a formula or a format', `Invalid rule: ${JSON.stringify(rule)}`);
      return;
    }
    if (rule.format !== undefined && rule.format !== 'toFixed(2)') {
      ctx.findings.warning(at('connectors', name, 'computed', index, 'format'), `format ${JSON.stringify(rule.format)} is not supported and does nothing`, 'the only format is "toFixed(2)"');
    }
    if (typeof rule.formula !== 'string') return;
    const call = FORMULA.exec(rule.formula);
    const fn = call?.[1];
    if (!call || (fn !== 'sum' && fn !== 'count')) {
      ctx.findings.error(
        at('connectors', name, 'computed', index, 'formula'),
        `formula ${JSON.stringify(rule.formula)} is not understood, so the target always gets its defaultValue`,
        "write sum(<array>, '<field>') or count(<array>)",
      );
      return;
    }
    const args = call[2].split(',').map((arg) => arg.trim().replace(/['"`]/g, '')).filter(Boolean);
    const [arrayKey, field] = args;
    if (!initial || arrayKey === undefined) return;
    if (!Object.hasOwn(initial, arrayKey)) {
      ctx.findings.warning(
        at('connectors', name, 'computed', index, 'formula'),
        `${fn}() reads "${arrayKey}", which initialState does not have`,
        `add ${arrayKey}: [] to initialState`,
      );
      return;
    }
    const list = initial[arrayKey];
    if (fn === 'sum' && field !== undefined && Array.isArray(list) && isRecord(list[0]) && !Object.hasOwn(list[0], field)) {
      ctx.findings.warning(
        at('connectors', name, 'computed', index, 'formula'),
        `sum() adds up "${field}", which the first item of initialState.${arrayKey} does not have`,
      );
    }
  });
}
