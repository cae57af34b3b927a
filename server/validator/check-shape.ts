// The manifest's shape, through the schema the runtime loads with (one source of truth, compatibility.md D29):
// required sections (compatibility.md §9.3 #2), every schema problem with its key path, and keys the schema does not
// know (a misspelt key is otherwise silently ignored).
import type { z } from 'zod';
import { didYouMean } from '../manifest/did-you-mean.js';
import {
  authSchema,
  channelSchema,
  componentSchema,
  connectorSchema,
  connectorTypes,
  launchSchema,
  manifestSchema,
  routeSchema,
} from '../manifest/schema.js';
import { at, isRecord, type Dict } from './context.js';
import type { Findings } from './findings.js';

const REQUIRED_SECTIONS = ['connectors', 'components', 'routes'] as const;

/** compatibility.md §9.3 #2; false when a required section is missing (the other checks would only echo it). */
export function checkRequiredSections(manifest: Dict, findings: Findings): boolean {
  let complete = true;
  const rootKeys = Object.keys(manifest);
  for (const section of REQUIRED_SECTIONS) {
    if (manifest[section]) continue;
    complete = false;
    const sameLetters = rootKeys.find((key) => key !== section && key.toLowerCase() === section);
    const suggestion = sameLetters
      ? `Did you mean "${sameLetters}"? Section names are lower case.`
      : didYouMean(section, rootKeys.filter((key) => !(key in manifestSchema.shape))) ||
        `add ${section}: { … } to the manifest`;
    findings.error(section, `required top-level section '${section}' is missing`, suggestion);
  }
  return complete;
}

/** Keys of an object schema (unwrapping optional). */
function shapeKeys(schema: z.ZodType): string[] {
  let current = schema as unknown as { unwrap?: () => unknown; shape?: Dict };
  while (!current.shape && typeof current.unwrap === 'function') current = current.unwrap() as typeof current;
  return Object.keys(current.shape ?? {});
}

function valueAt(root: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let value = root;
  for (const key of path) value = isRecord(value) || Array.isArray(value) ? (value as Dict)[key as string] : undefined;
  return value;
}

export interface ShapeResult {
  /** route keys whose type is not view/action: their other checks are skipped (compatibility.md §9.3 #11) */
  badRouteTypes: Set<string>;
}

export function checkSchema(manifest: Dict, findings: Findings): ShapeResult {
  const badRouteTypes = new Set<string>();
  const result = manifestSchema.safeParse(manifest);
  for (const issue of result.success ? [] : result.error.issues) {
    const path = issue.path;
    const location = at(...path);
    const input = valueAt(manifest, path);
    const last = path[path.length - 1];
    if (path.length === 1 && REQUIRED_SECTIONS.includes(last as (typeof REQUIRED_SECTIONS)[number]) && !input) continue;
    if (path.length === 3 && path[0] === 'connectors' && last === 'type') {
      const suggestion = typeof input === 'string' ? didYouMean(input, connectorTypes) : `add type: "lowdb" (stored in a file) or type: "memory"`;
      findings.error(location, issue.message, suggestion);
      continue;
    }
    if (path.length === 3 && path[0] === 'routes' && last === 'type') {
      badRouteTypes.add(String(path[1]));
      findings.error(location, issue.message, typeof input === 'string' ? didYouMean(input, ['view', 'action']) : 'add type: "view" (a page) or type: "action"');
      continue;
    }
    if (path.length === 2 && path[0] === 'components' && issue.code === 'invalid_union') {
      const hint = isRecord(input) && input.template === undefined ? 'the object form needs template: "<file>.html"' : '';
      findings.error(location, `a component is a template file name or { template, style?, title? } (got ${describe(input)})`, hint);
      continue;
    }
    const message = issue.code === 'invalid_type' && input === undefined ? `required key '${String(last)}' is missing` : issue.message;
    findings.error(location, message);
  }
  return { badRouteTypes };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return JSON.stringify(value);
  return typeof value === 'object' ? 'an object without template' : `a ${typeof value}`;
}

// `steps` belong to both (a view runs read-only steps); `writes` on a view is an error (check-routes.ts)
const ROUTE_ONLY_KEYS: Record<'view' | 'action', string[]> = {
  view: ['layout', 'inject', 'title', 'download'],
  action: ['update', 'internal', 'bodyLimitMb'],
};

/** Keys the schema does not know are ignored by the runtime: usually a misspelling. */
export function checkUnknownKeys(manifest: Dict, findings: Findings): void {
  const report = (value: unknown, known: string[], path: PropertyKey[]) => {
    if (!isRecord(value)) return;
    for (const key of Object.keys(value)) {
      if (known.includes(key)) continue;
      findings.warning(at(...path, key), `unknown key "${key}" is ignored`, didYouMean(key, known));
    }
  };
  report(manifest, Object.keys(manifestSchema.shape), []);
  const each = (section: string, fn: (name: string, value: unknown) => void) => {
    const entries = manifest[section];
    if (isRecord(entries)) for (const [name, value] of Object.entries(entries)) fn(name, value);
  };
  // a postgres connector naming a file gets its own error (check-connectors), not a second finding here
  const fileKeys = ['file', 'path', 'dataDir'];
  each('connectors', (name, value) =>
    report(value, [...shapeKeys(connectorSchema), ...(isRecord(value) && value.type === 'postgres' ? fileKeys : [])], ['connectors', name]),
  );
  const componentObject = (componentSchema as unknown as { options: z.ZodType[] }).options[1];
  each('components', (name, value) => report(value, shapeKeys(componentObject), ['components', name]));
  each('routes', (key, route) => {
    report(route, shapeKeys(routeSchema), ['routes', key]);
    if (!isRecord(route) || (route.type !== 'view' && route.type !== 'action')) return;
    const other = route.type === 'view' ? 'action' : 'view';
    for (const key2 of ROUTE_ONLY_KEYS[other]) {
      if (route[key2] !== undefined) {
        findings.warning(at('routes', key, key2), `"${key2}" belongs to ${other} routes and is ignored on a ${route.type} route`);
      }
    }
  });
  each('sockets', (name, channel) => {
    report(channel, shapeKeys(channelSchema), ['sockets', name]);
    if (isRecord(channel)) report(channel.emit, shapeKeys(channelSchema.shape.emit), ['sockets', name, 'emit']);
  });
  report(manifest.auth, shapeKeys(authSchema), ['auth']);
  const launch = manifest.launch;
  report(launch, shapeKeys(launchSchema), ['launch']);
  if (isRecord(launch)) {
    for (const part of ['window', 'customerDisplay', 'print'] as const) {
      report(launch[part], shapeKeys(launchSchema.shape[part]), ['launch', part]);
    }
  }
}
