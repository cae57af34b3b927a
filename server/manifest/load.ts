// Loads an application folder's manifest: CommonJS manifest.js (with require of sibling files, as
// manifests written for the original engine do), ES module, or manifest.ts.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SchemaProblem } from './schema.js';
import { shapeMemo } from './shape-memo.js';
import type { Manifest } from './types.js';
import { importModule } from './import-module.js';

const MANIFEST_FILES = ['manifest.js', 'manifest.cjs', 'manifest.mjs', 'manifest.ts', 'manifest.mts'];

export class ManifestError extends Error {
  constructor(
    message: string,
    readonly problems: SchemaProblem[] = [],
  ) {
    super(message);
    this.name = 'ManifestError';
  }
}

export function findManifestFile(appDir: string): string {
  if (!existsSync(appDir)) {
    throw new ManifestError(`application folder not found: ${appDir}`);
  }
  for (const file of MANIFEST_FILES) {
    const full = path.resolve(appDir, file);
    if (existsSync(full)) return full;
  }
  throw new ManifestError(
    `no manifest in ${appDir}: create manifest.js (or manifest.mjs / manifest.ts) exporting the manifest object`,
  );
}

/** The module system Node uses for a .js file: the "type" of the nearest package.json. */
export function packageScopeType(file: string): 'module' | 'commonjs' {
  let dir = path.dirname(file);
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        const type = JSON.parse(readFileSync(pkg, 'utf8')).type;
        return type === 'module' ? 'module' : 'commonjs';
      } catch {
        return 'commonjs';
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) return 'commonjs';
    dir = parent;
  }
}

let tsxRegistered = false;
async function ensureTypeScriptLoader(): Promise<void> {
  if (tsxRegistered) return;
  const api = await importModule<{ register: () => unknown }>('tsx/esm/api');
  api.register();
  tsxRegistered = true;
}

let importGeneration = 0;

/**
 * Loads a JavaScript/TypeScript module of the app (manifest, action handler). With `fresh`, a module
 * loaded before is loaded again (dev mode): the CommonJS cache under appDir is cleared, ES modules get a
 * new URL.
 */
export async function loadAppModule(file: string, appDir: string, fresh = false): Promise<unknown> {
  const ext = path.extname(file);
  const commonjs = ext === '.cjs' || (ext === '.js' && packageScopeType(file) === 'commonjs');
  if (commonjs) {
    const require = createRequire(file);
    if (fresh) {
      const root = path.resolve(appDir) + path.sep;
      for (const key of Object.keys(require.cache)) if (key.startsWith(root)) delete require.cache[key];
    }
    try {
      return require(file);
    } catch (error) {
      const err = error as NodeJS.ErrnoException;
      if (err.code !== 'ERR_REQUIRE_ESM') throw error;
    }
  }
  if (ext === '.ts' || ext === '.mts') await ensureTypeScriptLoader();
  const url = pathToFileURL(file);
  if (fresh) url.search = `?v=${++importGeneration}`;
  const mod = await importModule<Record<string, unknown>>(url.href);
  return mod.default ?? mod.manifest ?? mod;
}

export interface LoadedManifest {
  manifest: Manifest;
  file: string;
}

/**
 * The manifest's shape problems (none: it can be loaded). zod, and the schema built with it, are loaded
 * only when the check runs: not at all when this build has seen the same manifest pass (shape-memo.ts).
 */
async function checkShape(value: object): Promise<SchemaProblem[]> {
  const memo = shapeMemo(value);
  if (memo?.passed()) return [];
  const { checkManifestShape } = await import('./schema.js');
  const problems = checkManifestShape(value);
  if (problems.length === 0) memo?.remember();
  return problems;
}

export async function loadManifest(appDir: string, options: { fresh?: boolean } = {}): Promise<LoadedManifest> {
  const file = findManifestFile(appDir);
  let value: unknown;
  try {
    value = await loadAppModule(file, appDir, options.fresh);
  } catch (error) {
    const err = error as Error;
    const hint =
      err instanceof ReferenceError && /module is not defined|require is not defined/.test(err.message)
        ? ' — this manifest is CommonJS but its folder is an ES module scope: add a package.json with {"type": "commonjs"} next to it, or rename it manifest.cjs'
        : '';
    throw new ManifestError(`could not load ${file}: ${err.message}${hint}`);
  }
  if (!value || typeof value !== 'object') {
    throw new ManifestError(`${file} did not export a manifest object (got ${value === null ? 'null' : typeof value})`);
  }
  const problems = await checkShape(value);
  if (problems.length > 0) {
    const lines = problems.map((p) => `  ${p.path}: ${p.message}`).join('\n');
    throw new ManifestError(`invalid manifest ${file}:\n${lines}\nRun "serverokey validate" for suggestions.`, problems);
  }
  return { manifest: value as Manifest, file };
}
