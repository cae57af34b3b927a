// Builds what runs without a TypeScript loader: the browser client bundle, the engine, the CLI and the
// Electron main process (as plain JavaScript in dist/), and the sandboxed preload (CommonJS, as Electron
// requires for sandboxed preloads). Runs on `npm install` (prepare) and `npm run build`.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Left out of the start-up bundles and loaded from node_modules when first used: the TypeScript loader and
 * esbuild (development only), the pairing QR code, LAN discovery, bcrypt for expressions, the character
 * set tables of request bodies (iconv-lite, behind a stand-in until the first request with a body: see
 * lazyPackages), Electron, and ws's optional native helpers. mime-db stays outside too: Node reads its JSON
 * file faster than it compiles the same data written into the bundle as an object literal (and the bundles
 * rarely need it: see lazyMimeTypes).
 */
const UNBUNDLED_PACKAGES = [
  'esbuild',
  'tsx',
  'tsx/*',
  'electron',
  'qrcode',
  'bonjour-service',
  'bcryptjs',
  'iconv-lite',
  'mime-db',
  'bufferutil',
  'utf-8-validate',
];

/**
 * The questions to mime-types that serving pages and actions asks (express's res.type, res.format and
 * req.accepts, body-parser's type checks), answered in the bundles without loading it.
 */
const MIME_QUESTIONS = [
  ...['html', 'htm', 'json', 'text', 'txt', 'js', 'mjs', 'css', 'xml', 'svg', 'png', 'ico', 'jpg', 'jpeg', 'gif', 'webp'],
  ...['woff', 'woff2', 'pdf', 'csv', 'urlencoded', 'multipart'],
  ...['text/html', 'text/plain', 'text/css', 'text/javascript', 'application/javascript', 'application/json'],
  ...['application/x-www-form-urlencoded', 'multipart/form-data', 'application/octet-stream', 'image/svg+xml', 'image/png'],
].flatMap((question) => (question.includes('/') ? [question, `${question}; charset=utf-8`] : [question]));

/**
 * mime-types fills its tables from mime-db's 2,500 types as it is loaded (10-20 ms, most of what loading
 * express costs). In the bundles it sits behind a stand-in that answers MIME_QUESTIONS with what the real
 * module answered when the bundle was built (from the same node_modules it loads at run time), and
 * loads the real module for any other question or for its tables.
 */
const lazyMimeTypes = {
  name: 'lazy-mime-types',
  setup(build) {
    build.onResolve({ filter: /^mime-types$/ }, async (args) => {
      if (args.pluginData === 'real') return undefined;
      const real = await build.resolve('mime-types', { kind: args.kind, resolveDir: args.resolveDir, pluginData: 'real' });
      if (real.errors.length > 0) return { errors: real.errors };
      return { path: real.path, namespace: 'lazy-mime-types' };
    });
    build.onLoad({ filter: /.*/, namespace: 'lazy-mime-types' }, (args) => ({
      contents: mimeTypesStandIn(args.path),
      loader: 'js',
      resolveDir: path.dirname(args.path),
    }));
  },
};

function mimeTypesStandIn(realPath) {
  const real = createRequire(import.meta.url)(realPath);
  const answers = {};
  for (const name of ['lookup', 'contentType', 'charset', 'extension']) {
    answers[name] = Object.fromEntries(MIME_QUESTIONS.map((question) => [question, real[name](question)]));
  }
  return `'use strict';
// mime-types, answering the usual questions without loading its tables (see lazyMimeTypes in scripts/build.mjs)
let real;
const load = () => (real ??= require(${JSON.stringify(realPath)}));
const answers = ${JSON.stringify(answers)};
const ask = (name) => (question) =>
  typeof question === 'string' && Object.hasOwn(answers[name], question) ? answers[name][question] : load()[name](question);
exports.charset = ask('charset');
exports.charsets = { lookup: exports.charset };
exports.contentType = ask('contentType');
exports.extension = ask('extension');
exports.lookup = ask('lookup');
for (const name of ['extensions', 'types', '_extensionConflicts']) {
  Object.defineProperty(exports, name, { enumerable: true, get: () => load()[name] });
}
`;
}

/**
 * Modules that the bundled packages require as they load but that serving the first page never uses: the
 * character sets of request bodies (iconv-lite), form bodies (qs, with the side-channel and intrinsics
 * packages it loads), compression (zlib: WebSocket per-message deflate, compressed request bodies) and
 * HTTPS/TLS (ws's client side). In the bundles each sits behind a stand-in whose properties load the real
 * module when first read.
 */
const LOADED_ON_FIRST_USE = ['iconv-lite', 'qs', 'zlib', 'https', 'tls'];

const lazyPackages = {
  name: 'lazy-packages',
  setup(build) {
    const names = LOADED_ON_FIRST_USE.map((name) => name.replace(/[.-]/g, '\\$&')).join('|');
    build.onResolve({ filter: new RegExp(`^(node:)?(${names})$`) }, (args) => {
      const name = args.path.replace(/^node:/, '');
      const specifier = builtinModules.includes(name) ? `node:${name}` : name;
      return args.namespace === 'lazy-package' ? { path: specifier, external: true } : { path: specifier, namespace: 'lazy-package' };
    });
    build.onLoad({ filter: /.*/, namespace: 'lazy-package' }, (args) => {
      const keys = Object.keys(createRequire(import.meta.url)(args.path));
      return {
        loader: 'js',
        contents: `'use strict';
// ${args.path}, loaded when one of its properties is first read (see lazyPackages in scripts/build.mjs)
let real;
const load = () => (real ??= require(${JSON.stringify(args.path)}));
for (const key of ${JSON.stringify(keys)}) {
  Object.defineProperty(exports, key, { enumerable: true, get: () => load()[key], set: (value) => { load()[key] = value; } });
}
`,
      };
    });
  },
};

/**
 * esbuild's build, with every output file written whole under a temporary name and renamed over the old
 * one: a process loading the engine or a host serving the client bundle while another builds (tests run
 * in parallel, two suites at once under `npm run test:stress`) reads the old file or the new, never half.
 */
async function buildAtomically(options) {
  const result = await build({ ...options, write: false });
  await Promise.all(result.outputFiles.map((file) => writeAtomically(file.path, file.contents)));
  return result;
}

async function writeAtomically(file, contents) {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, file);
}

/** The entries that start the engine, each bundled into one script run through a V8 code cache. */
const CACHED_ENTRIES = ['server/host.ts', 'server/cli.ts'];

/** Next to the bundles: the code caches that their loaders write (CODE_CACHE_DIR of server/code-cache.ts). */
export const CODE_CACHE_DIR = '.code-cache';

const PROFILE_BUILD = process.argv.includes('--profile');

/** The scope of a bundle script, as runBundle passes it in (SCRIPT_PARAMETERS of server/code-cache.ts). */
export const SCRIPT_PARAMETERS = ['exports', 'require', 'module', '__filename', '__dirname', '__engineModuleUrl', '__engineImport', '__engineBuild'];

/**
 * Bundles `entry` (server/x.ts) with its dependencies into dist/server/x.bundle.cjs, a script in
 * CommonJS form wrapped in one function expression (its scope: SCRIPT_PARAMETERS), and writes
 * dist/server/x.js, the ES module that runs it with a code cache and exports what `entry` exports.
 */
async function buildCachedEntry(entry) {
  const name = path.basename(entry, '.ts');
  const outDir = path.join(root, 'dist', path.dirname(entry));
  const bundleName = `${name}.bundle.cjs`;
  const common = {
    entryPoints: [path.join(root, entry)],
    bundle: true,
    platform: 'node',
    target: 'node20',
    external: UNBUNDLED_PACKAGES,
    plugins: [lazyMimeTypes, lazyPackages],
    legalComments: 'none',
    logLevel: 'warning',
  };
  // the names the module exports (an ES module's export list is static; the script's is not)
  const probe = await build({ ...common, format: 'esm', write: false, metafile: true, outfile: path.join(outDir, `${name}.probe.js`) });
  const exportNames = Object.values(probe.metafile.outputs).flatMap((output) => output.exports);
  await buildAtomically({
    ...common,
    format: 'cjs',
    outfile: path.join(outDir, bundleName),
    // the script is one function expression whose parameters are its module scope: CommonJS's, what
    // import.meta.url and import() stand for (the loader module's URL and its import()), and the build's
    // name and cache folder (server/manifest/shape-memo.ts). Written into the file rather than added by
    // the loader: a megabyte string is then neither concatenated nor copied again.
    banner: { js: `(function (${SCRIPT_PARAMETERS.join(', ')}) {` },
    footer: { js: '})' },
    define: { 'import.meta.url': '__engineModuleUrl' },
    // --profile: line by line, with a source map beside it, for CPU profiles by source file (no
    // sourceMappingURL comment: only the profile summary reads the map)
    minifyWhitespace: !PROFILE_BUILD,
    sourcemap: PROFILE_BUILD ? 'external' : false,
    // ASCII only (non-ASCII characters escaped), so the loader can decode the file as Latin-1, a copy,
    // where decoding a megabyte of UTF-8 takes Node 20 10-20 ms
    charset: 'ascii',
  });
  if (!PROFILE_BUILD) await rm(path.join(outDir, `${bundleName}.map`), { force: true });
  const bundle = await readFile(path.join(outDir, bundleName));
  // (a --profile build keeps comments, which may not be ASCII: the loader then decodes UTF-8)
  if (!PROFILE_BUILD && bundle.some((byte) => byte > 0x7f)) throw new Error(`${bundleName} is not ASCII`);
  const hash = createHash('sha256').update(bundle).digest('hex').slice(0, 16);
  await writeAtomically(path.join(outDir, `${name}.js`), codeCacheLoader({ bundleName, hash, exportNames }));
}

/**
 * The module that runs a bundle script through a V8 code cache and re-exports what its entry exports: a
 * call of runBundle (server/code-cache.ts, built next to it) with the bundle's name and content hash.
 */
function codeCacheLoader({ bundleName, hash, exportNames }) {
  const exportList = exportNames.length > 0 ? `export const { ${exportNames.join(', ')} } = engine.exports;\n` : '';
  return `// Generated by scripts/build.mjs: runs ${bundleName} (the engine and its dependencies, bundled) through a
// V8 code cache (server/code-cache.ts).
import { runBundle } from './code-cache.js';

const engine = runBundle({
  moduleUrl: import.meta.url,
  bundleName: ${JSON.stringify(bundleName)},
  hash: ${JSON.stringify(hash)},
  importModule: (specifier) => import(specifier),
});
${exportList}`;
}

async function tsFiles(dir) {
  const out = [];
  for (const entry of await readdir(path.join(root, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await tsFiles(rel)));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') && entry.name !== 'preload.ts') out.push(rel);
  }
  return out;
}

export async function buildClient() {
  await buildAtomically({
    entryPoints: [path.join(root, 'renderer/client.ts')],
    outfile: path.join(root, 'renderer/dist/engine-client.js'),
    bundle: true,
    format: 'iife',
    target: 'es2020',
    minify: true,
    sourcemap: false,
    logLevel: 'warning',
  });
}

export async function buildNode() {
  const entryPoints = [];
  for (const dir of ['server', 'electron', 'protocol']) entryPoints.push(...(await tsFiles(dir)));
  // host.ts and cli.ts are only ever written as their code-cache loaders (below): a per-file build of them
  // in between would be what a process starting meanwhile loads (no bundle, and so no code cache)
  const perFile = entryPoints.filter((file) => !CACHED_ENTRIES.includes(file.split(path.sep).join('/')));
  await buildAtomically({
    entryPoints: perFile.map((f) => path.join(root, f)),
    outdir: path.join(root, 'dist'),
    outbase: root,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    bundle: false,
    logLevel: 'warning',
  });
  // The two files that start the engine (Electron's main imports dist/server/host.js; the CLI runs
  // dist/server/cli.js) are bundled with the engine and its npm dependencies into one script each
  // (host.bundle.cjs, cli.bundle.cjs), and written over their per-file builds as small modules that run
  // that script through a V8 code cache (see codeCacheLoader): a start then neither resolves a few hundred
  // modules nor parses and compiles a megabyte of JavaScript. What start-up does not need stays outside
  // and is imported when first used.
  await rm(path.join(root, 'dist/server', CODE_CACHE_DIR), { recursive: true, force: true });
  for (const entry of CACHED_ENTRIES) await buildCachedEntry(entry);
  await buildAtomically({
    entryPoints: [path.join(root, 'electron/preload.ts')],
    outfile: path.join(root, 'dist/electron/preload.cjs'),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: ['electron'],
    logLevel: 'warning',
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const what = process.argv[2] ?? 'all';
  const { existsSync } = await import('node:fs');
  if ((what === 'all' || what === 'client') && existsSync(path.join(root, 'renderer/client.ts'))) await buildClient();
  if ((what === 'all' || what === 'node') && existsSync(path.join(root, 'electron/preload.ts'))) await buildNode();
}
