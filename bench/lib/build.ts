// What the benchmarks run is compiled JavaScript: the engine from dist/ (as installed, built by
// scripts/build.mjs, rebuilt here when a source is newer), and the benchmark's own child processes (hosts,
// load generators, the baseline) bundled by esbuild into bench/out/, so no TypeScript loader sits in any
// measured process.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { benchDir, projectRoot } from './results.js';

export const outDir = path.join(benchDir, 'out');

export const childEntries = {
  'host-child': path.join(benchDir, 'lib', 'host-child.ts'),
  'load-child': path.join(benchDir, 'lib', 'load-child.ts'),
  'fanout-child': path.join(benchDir, 'lib', 'fanout-child.ts'),
  'flood-child': path.join(benchDir, 'lib', 'flood-child.ts'),
  'shop-child': path.join(benchDir, 'lib', 'shop-child.ts'),
  'shop-device': path.join(benchDir, 'lib', 'shop-device.ts'),
  baseline: path.join(benchDir, 'baseline', 'server.ts'),
} as const;

export type ChildName = keyof typeof childEntries;

export function childFile(name: ChildName): string {
  return path.join(outDir, `${name}.mjs`);
}

function newestMtime(dir: string, test: (file: string) => boolean): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist') newest = Math.max(newest, newestMtime(file, test));
    } else if (test(file)) newest = Math.max(newest, statSync(file).mtimeMs);
  }
  return newest;
}

const isTs = (file: string) => file.endsWith('.ts') && !file.endsWith('.d.ts');

function mtime(file: string): number {
  return existsSync(file) ? statSync(file).mtimeMs : 0;
}

/** Rebuilds dist/ (and the browser client bundle) when any engine source is newer than it. */
export function ensureDist(): void {
  const engineBuilt = Math.min(mtime(path.join(projectRoot, 'dist', 'server', 'host.js')), mtime(path.join(projectRoot, 'renderer', 'dist', 'engine-client.js')));
  const sources = Math.max(
    newestMtime(path.join(projectRoot, 'server'), isTs),
    newestMtime(path.join(projectRoot, 'protocol'), isTs),
    newestMtime(path.join(projectRoot, 'renderer'), isTs),
  );
  if (engineBuilt >= sources) return;
  console.log('dist/ is older than the sources: running `node scripts/build.mjs` ...');
  try {
    execFileSync(process.execPath, [path.join(projectRoot, 'scripts', 'build.mjs')], { cwd: projectRoot, stdio: 'inherit' });
  } catch {
    throw new Error('building dist/ failed (the build\'s error is above): fix it and run again, or measure the sources with --from source');
  }
}

let built: Promise<void> | undefined;

/** Bundles the benchmark's child processes into bench/out/ (npm packages stay external). */
export function buildChildren(): Promise<void> {
  built ??= (async () => {
    await build({
      entryPoints: childEntries,
      outdir: outDir,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      packages: 'external',
      format: 'esm',
      platform: 'node',
      target: 'node20',
      logLevel: 'warning',
    });
  })();
  return built;
}
