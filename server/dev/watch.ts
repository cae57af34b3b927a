// Watches an app folder for changes that matter (manifest, the files it requires, components,
// actions), ignoring its data folder, dependencies and editor droppings, and reports them in bursts.
import { watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

export interface AppWatcher {
  close(): void;
}

const IGNORED_SEGMENTS = new Set(['node_modules', '.git', '.data']);

function ignored(relative: string, ignoredDirs: string[]): boolean {
  const parts = relative.split(/[\\/]/);
  if (parts.some((part) => IGNORED_SEGMENTS.has(part) || (part.startsWith('.') && part !== '.'))) return true;
  const name = parts[parts.length - 1];
  if (name.endsWith('~') || name.endsWith('.swp') || name.endsWith('.tmp') || name.endsWith('.bak') || name.startsWith('#')) return true;
  return ignoredDirs.some((dir) => relative === dir || relative.startsWith(dir + path.sep));
}

/** Calls onChange (with the changed paths, relative to appDir) once per burst of changes. */
export function watchApp(appDir: string, options: { debounceMs?: number; ignoreDirs?: string[] }, onChange: (files: string[]) => void): AppWatcher {
  const root = path.resolve(appDir);
  // a data folder inside the app (the default <app>/.data, or --data app/somewhere) changes on every write
  const ignoreDirs = (options.ignoreDirs ?? [])
    .map((dir) => path.relative(root, path.resolve(dir)))
    .filter((rel) => rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel));
  let timer: NodeJS.Timeout | undefined;
  let pending = new Set<string>();
  const watcher: FSWatcher = watch(root, { recursive: true }, (_event, filename) => {
    const relative = filename ? filename.toString() : '';
    if (relative && ignored(relative, ignoreDirs)) return;
    pending.add(relative);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const files = [...pending];
      pending = new Set();
      onChange(files);
    }, options.debounceMs ?? 120);
  });
  watcher.on('error', () => {
    // the folder was removed or became unreadable; the next validation reports it
  });
  return {
    close() {
      clearTimeout(timer);
      watcher.close();
    },
  };
}
