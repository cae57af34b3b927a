// Start-up memos of the built engine: results of pure, costly start-up steps (a manifest's shape check,
// a component's scoped CSS), filed under a digest of the step's input in the build's cache folder, so a
// start repeats them only for what changed. The module that starts the bundle (scripts/build.mjs) names
// the build and its cache folder as __engineBuild; a new build starts with an empty folder, and the
// engine run from its sources (tsx, the per-file build) has no memos at all.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

declare const __engineBuild: { id: string; cacheDir: string | null } | undefined;

export interface MemoEntry {
  /** the remembered result, or null */
  read(): string | null;
  write(result: string): void;
}

function memoBuild(): { id: string; cacheDir: string } | null {
  const build = typeof __engineBuild === 'object' ? __engineBuild : undefined;
  return build?.cacheDir ? { id: build.id, cacheDir: build.cacheDir } : null;
}

/** Whether this engine keeps memos (built, and its caches not turned off). */
export function hasBuildMemos(): boolean {
  return memoBuild() !== null;
}

/** The entry for `input` among the memos of `kind`, or null when there are no memos. */
export function buildMemo(kind: string, input: string): MemoEntry | null {
  const build = memoBuild();
  if (!build) return null;
  const dir = build.cacheDir;
  const digest = createHash('sha256').update(`${build.id}\n${kind}\n`).update(input).digest('hex').slice(0, 40);
  const file = path.join(dir, `${kind}-${digest}`);
  return {
    read() {
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return null;
      }
    },
    write(result) {
      try {
        mkdirSync(dir, { recursive: true });
        const temporary = `${file}.${process.pid}.tmp`;
        writeFileSync(temporary, result);
        renameSync(temporary, file);
      } catch {
        // a read-only install: the next start does the step again
      }
    },
  };
}
