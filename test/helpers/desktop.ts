// Shared by the desktop tests: which application folder to run, and the project's paths.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const desktopFixture = path.join(projectRoot, 'test', 'fixtures', 'desktop-app');
export const kassaDir = path.join(projectRoot, 'apps', 'kassa');

export function hasManifest(dir: string): boolean {
  return ['manifest.js', 'manifest.cjs', 'manifest.mjs', 'manifest.ts'].some((f) => existsSync(path.join(dir, f)));
}

/** The till the desktop ships (apps/kassa), or the desktop fixture while apps/kassa is not written yet. */
export function tillAppDir(): string {
  return hasManifest(kassaDir) ? kassaDir : desktopFixture;
}
