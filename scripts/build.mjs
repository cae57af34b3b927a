// Builds what runs without a TypeScript loader: the browser client bundle, the engine, the CLI and the
// Electron main process (as plain JavaScript in dist/), and the sandboxed preload (CommonJS, as Electron
// requires for sandboxed preloads). Runs on `npm install` (prepare) and `npm run build`.
import { build } from 'esbuild';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Left out of the start-up bundles and loaded from node_modules when first used: the TypeScript loader and
 * esbuild (development only), the pairing QR code, LAN discovery, bcrypt for expressions, the character
 * set tables of request bodies (iconv-lite: loaded by the first request with a body), Electron, and ws's
 * optional native helpers. mime-db stays outside too: Node reads its JSON file faster than it compiles the
 * same data written into the bundle as an object literal.
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
  await build({
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
  await build({
    entryPoints: entryPoints.map((f) => path.join(root, f)),
    outdir: path.join(root, 'dist'),
    outbase: root,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    bundle: false,
    logLevel: 'warning',
  });
  // The two files that start the engine (Electron's main imports dist/server/host.js; the CLI runs
  // dist/server/cli.js) are bundled with the engine and its npm dependencies into one file each, written
  // over their per-file builds: a start then reads and compiles one module instead of resolving a few
  // hundred. What start-up does not need stays outside and is imported when first used.
  for (const entry of ['server/host.ts', 'server/cli.ts']) {
    await build({
      entryPoints: [path.join(root, entry)],
      outfile: path.join(root, 'dist', entry.replace(/\.ts$/, '.js')),
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      external: UNBUNDLED_PACKAGES,
      // the CommonJS dependencies inside an ES module bundle need a require of their own
      banner: { js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);" },
      minifyWhitespace: true,
      legalComments: 'none',
      logLevel: 'warning',
    });
  }
  await build({
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
