// Builds what runs without a TypeScript loader: the browser client bundle, the engine, the CLI and the
// Electron main process (as plain JavaScript in dist/), and the sandboxed preload (CommonJS, as Electron
// requires for sandboxed preloads). Runs on `npm install` (prepare) and `npm run build`.
import { build } from 'esbuild';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

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
