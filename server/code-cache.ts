// Runs a bundle script of the built engine (dist/server/host.bundle.cjs, cli.bundle.cjs) through a V8 code
// cache. scripts/build.mjs bundles server/host.ts and server/cli.ts into one script each and writes, in
// place of their per-file builds, a three-line module that calls runBundle: a start then neither resolves
// a few hundred modules nor parses and compiles a megabyte of JavaScript.
//
// The cache is the bytecode of everything a previous start ran. Without one, or with one V8 rejects
// (another V8 version or other flags), the script compiles normally and a new cache is written when the
// process exits (or after a minute). The cache file is named after the bundle's content hash, because V8
// checks only the source's length. Node 22's module.enableCompileCache does the same for modules; Node 20
// has no such thing. The same folder holds the build's other start-up memo (manifests that passed the
// shape check: server/manifest/build-memo.ts), which the script finds through __engineBuild.
// SERVEROKEY_CODE_CACHE=off turns both off; SERVEROKEY_CODE_CACHE_DIR puts them elsewhere (a read-only
// install, such as an Electron app.asar, has none unless that is set: electron/code-cache-dir.ts).
import { tuneHeap } from './heap-tuning.js';
import { isAscii } from 'node:buffer';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';

/** Next to the bundles: the folder their caches go to by default (installers leave it out: a dot folder). */
export const CODE_CACHE_DIR = '.code-cache';

/**
 * The scope of a bundle script: the build wraps it in one function expression with these parameters
 * (CommonJS's, what import.meta.url and import() stand for, and the build's name and cache folder).
 */
export const SCRIPT_PARAMETERS = ['exports', 'require', 'module', '__filename', '__dirname', '__engineModuleUrl', '__engineImport', '__engineBuild'] as const;

/** How long a process that keeps running waits before writing the cache it compiled. */
const SAVE_AFTER_MS = 60_000;

export interface BundleOptions {
  /** the URL of the module that runs the bundle (its import.meta.url); the bundle lies next to it */
  moduleUrl: string;
  /** the bundle's file name, e.g. host.bundle.cjs */
  bundleName: string;
  /** the bundle's content hash, written by the build */
  hash: string;
  /** that module's import(), so the bundle's dynamic imports resolve as from the module */
  importModule(specifier: string): Promise<unknown>;
  /** defaults to process.env */
  env?: NodeJS.ProcessEnv;
}

export interface RunBundle {
  /** what the bundle's entry exports */
  exports: Record<string, unknown>;
  /** the script was compiled from a cache V8 accepted */
  cached: boolean;
  /** the cache file of this bundle, V8 and set of flags (absent while none was written) */
  cacheFile: string;
  /** writes the cache now, if this run compiled without one (otherwise at exit or after a minute) */
  saveCache(): void;
}

function textHash(text: string): string {
  let hash = 0x811c9dc5; // FNV-1a
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16);
}

/** The cache file of a bundle for this V8, architecture and set of flags. */
export function cacheFileFor(cacheDir: string, bundleName: string, hash: string, env: NodeJS.ProcessEnv = process.env): string {
  // V8 rejects a cache made under other flags (--expose-gc, --max-old-space-size, ...): one per set of flags
  const flags = [...process.execArgv, env.NODE_OPTIONS ?? ''].join(' ').trim();
  return path.join(cacheDir, `${bundleName}-${hash}-${process.versions.v8}-${process.arch}${flags ? `-${textHash(flags)}` : ''}.bin`);
}

export function runBundle(options: BundleOptions): RunBundle {
  // before compiling: the code cache is made and checked under the flags the process runs with
  tuneHeap();
  const env = options.env ?? process.env;
  const bundleFile = fileURLToPath(new URL(`./${options.bundleName}`, options.moduleUrl));
  const cacheDir = env.SERVEROKEY_CODE_CACHE_DIR || path.join(path.dirname(bundleFile), CODE_CACHE_DIR);
  const cacheFile = cacheFileFor(cacheDir, options.bundleName, options.hash, env);
  const useCache = env.SERVEROKEY_CODE_CACHE !== 'off';

  const bytes = readFileSync(bundleFile);
  // the build writes ASCII: Latin-1 decoding is then a plain copy (UTF-8 decoding a megabyte is not)
  const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
  let cachedData: Buffer | undefined;
  if (useCache) {
    try {
      cachedData = readFileSync(cacheFile);
    } catch {
      // no cache yet
    }
  }
  const script = new vm.Script(source, { filename: bundleFile, cachedData });
  const cached = cachedData !== undefined && !script.cachedDataRejected;

  let saved = !useCache || cached;
  const saveCache = () => {
    if (saved) return;
    saved = true;
    try {
      const data = script.createCachedData();
      mkdirSync(cacheDir, { recursive: true });
      const temporary = `${cacheFile}.${process.pid}.tmp`;
      writeFileSync(temporary, data);
      renameSync(temporary, cacheFile);
      // caches of earlier builds of this bundle
      for (const name of readdirSync(cacheDir)) {
        if (name.startsWith(`${options.bundleName}-`) && !name.includes(`-${options.hash}-`)) rmSync(path.join(cacheDir, name), { force: true });
      }
    } catch {
      // a read-only install or a full disk: the next start compiles again
    }
  };
  if (!saved) {
    // written once the start-up and the first requests have compiled what they use
    process.once('exit', saveCache);
    setTimeout(saveCache, SAVE_AFTER_MS).unref();
  }

  const module = { exports: {} as Record<string, unknown> };
  const run = script.runInThisContext() as (...scope: unknown[]) => void;
  run(
    module.exports,
    createRequire(bundleFile),
    module,
    bundleFile,
    path.dirname(bundleFile),
    options.moduleUrl,
    options.importModule,
    { id: options.hash, cacheDir: useCache ? cacheDir : null },
  );
  return { exports: module.exports, cached, cacheFile, saveCache };
}
