// `serverokey validate`: loads an app's manifest the way the runtime does and reports every problem
// the checks find, each with its place and a fix (compatibility.md §9 with D29's fixes).
import path from 'node:path';
import { findManifestFile, loadAppModule } from '../manifest/load.js';
import { checkComponents } from './check-components.js';
import { checkConnectors } from './check-connectors.js';
import { checkRoutes } from './check-routes.js';
import { checkAuth, checkGlobals, checkLaunch, checkSockets } from './check-sections.js';
import { checkRequiredSections, checkSchema, checkUnknownKeys } from './check-shape.js';
import { checkTemplates } from './check-templates.js';
import { checkUsage } from './check-usage.js';
import { appRelative, isRecord, routeTarget, type RouteInfo, type ValidationContext } from './context.js';
import { checkDuplicateKeys } from './duplicate-keys.js';
import { Findings, type Finding } from './findings.js';
import { clearTemplateCache } from './templates.js';

export type { Finding, Severity } from './findings.js';
export { countBySeverity } from './findings.js';
export { findingsAsJson, formatFinding, formatReport, formatSummary } from './format.js';

export interface ValidationReport {
  findings: Finding[];
  /** true when there is no error or critical finding (warnings allowed) */
  ok: boolean;
  manifestFile?: string;
}

/** Loads appDir's manifest (again, with `fresh`, as dev mode does after a change) and checks the app. */
export async function validateApp(appDir: string, options: { fresh?: boolean } = {}): Promise<ValidationReport> {
  const dir = path.resolve(appDir);
  const findings = new Findings();
  let file: string;
  try {
    file = findManifestFile(dir);
  } catch (error) {
    findings.critical('manifest.js', (error as Error).message);
    return { findings: findings.list, ok: false };
  }
  let value: unknown;
  try {
    value = await loadAppModule(file, dir, options.fresh);
  } catch (error) {
    findings.critical(loadErrorLocation(dir, file, error), `could not be loaded: ${(error as Error).message}`, loadErrorHint(error));
    return { findings: findings.list, ok: false, manifestFile: file };
  }
  const list = validateManifest(value, { appDir: dir, manifestFile: file });
  return { findings: list, ok: !list.some((f) => f.severity !== 'warning'), manifestFile: file };
}

/** Checks a manifest value already loaded (tests, tools). */
export function validateManifest(value: unknown, options: { appDir: string; manifestFile?: string }): Finding[] {
  const findings = new Findings();
  const where = options.manifestFile ? appRelative({ appDir: options.appDir }, options.manifestFile) : 'manifest';
  if (!isRecord(value) || Object.keys(value).length === 0) {
    findings.critical(where, 'the manifest could not be loaded or is empty', 'export the manifest object (module.exports = { … } or export default { … })');
    return findings.list;
  }
  if (!checkRequiredSections(value, findings)) return findings.list;
  clearTemplateCache();
  const { badRouteTypes } = checkSchema(value, findings);
  const record = (section: unknown) => (isRecord(section) ? section : {});
  const routes = record(value.routes);
  const routeList: RouteInfo[] = [];
  for (const [key, route] of Object.entries(routes)) {
    if (!isRecord(route) || badRouteTypes.has(key) || (route.type !== 'view' && route.type !== 'action')) continue;
    routeList.push({ key, route, type: route.type, ...routeTarget(key, route.type) });
  }
  const ctx: ValidationContext = {
    appDir: path.resolve(options.appDir),
    manifestFile: options.manifestFile,
    manifest: value,
    findings,
    connectors: record(value.connectors),
    components: record(value.components),
    routes,
    sockets: record(value.sockets),
    routeList,
  };
  checkUnknownKeys(value, findings);
  checkDuplicateKeys(ctx);
  checkGlobals(ctx);
  checkConnectors(ctx);
  checkComponents(ctx);
  checkRoutes(ctx);
  checkTemplates(ctx);
  checkSockets(ctx);
  checkAuth(ctx);
  checkLaunch(ctx);
  checkUsage(ctx);
  return findings.list;
}

/** The file and line of a load failure inside the app, when the stack names one. */
function loadErrorLocation(appDir: string, file: string, error: unknown): string {
  const stack = String((error as Error)?.stack ?? '');
  const escaped = appDir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const hit = new RegExp(`(?:file://)?(${escaped}[^\\s:()]*):(\\d+)`).exec(stack);
  if (hit && !hit[1].includes(`${path.sep}node_modules${path.sep}`)) return `${appRelative({ appDir }, hit[1])}:${hit[2]}`;
  return appRelative({ appDir }, file);
}

function loadErrorHint(error: unknown): string {
  const message = String((error as Error)?.message ?? '');
  if (/module is not defined|require is not defined/.test(message)) {
    return 'this manifest is CommonJS inside an ES module folder: add a package.json with {"type": "commonjs"} next to it, or rename it manifest.cjs';
  }
  if ((error as NodeJS.ErrnoException)?.code === 'MODULE_NOT_FOUND') return 'check the path of the require() it names';
  return '';
}
