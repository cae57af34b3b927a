// Watches an app folder for changes that matter (manifest, the files it requires, components,
// actions), ignoring its data folder, dependencies and editor droppings, and reports them in bursts.
// One watcher per directory: Node 20's recursive fs.watch on Linux watches files one by one and
// loses a file once an editor saves it by renaming a new copy over it (as `sed -i` and many editors
// do); a directory watch sees every such replacement.
import { readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import path from 'node:path';

export interface AppWatcher {
  close(): void;
}

const IGNORED_SEGMENTS = new Set(['node_modules', '.git', '.data']);

function ignored(relative: string, ignoredDirs: string[]): boolean {
  if (relative === '') return false;
  const parts = relative.split(path.sep);
  if (parts.some((part) => IGNORED_SEGMENTS.has(part) || part.startsWith('.'))) return true;
  const name = parts[parts.length - 1];
  // editor and tool droppings: backups, swap files, `sed -i` temporaries
  if (/~$|\.swp$|\.swx$|\.tmp$|\.bak$|^#|^sed[A-Za-z0-9]{6}$|^\d+$/.test(name)) return true;
  return ignoredDirs.some((dir) => relative === dir || relative.startsWith(dir + path.sep));
}

function isDirectory(full: string): boolean {
  try {
    return statSync(full).isDirectory();
  } catch {
    return false;
  }
}

/** Calls onChange (with the changed paths, relative to appDir) once per burst of changes. */
export function watchApp(appDir: string, options: { debounceMs?: number; ignoreDirs?: string[] }, onChange: (files: string[]) => void): AppWatcher {
  const root = path.resolve(appDir);
  // a data folder inside the app (the default <app>/.data, or --data app/somewhere) changes on every write
  const ignoreDirs = (options.ignoreDirs ?? [])
    .map((dir) => path.relative(root, path.resolve(dir)))
    .filter((rel) => rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel));
  const watchers = new Map<string, FSWatcher>();
  let timer: NodeJS.Timeout | undefined;
  let pending = new Set<string>();
  let closed = false;

  const changed = (relative: string) => {
    pending.add(relative);
    clearTimeout(timer);
    timer = setTimeout(() => {
      const files = [...pending];
      pending = new Set();
      if (!closed) onChange(files);
    }, options.debounceMs ?? 120);
  };

  const unwatch = (dir: string) => {
    for (const [watched, watcher] of watchers) {
      if (watched === dir || watched.startsWith(dir + path.sep)) {
        watcher.close();
        watchers.delete(watched);
      }
    }
  };

  const add = (dir: string) => {
    if (closed || watchers.has(dir) || ignored(path.relative(root, dir), ignoreDirs)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(dir, (_event, filename) => {
        if (!filename) return changed(path.relative(root, dir));
        const full = path.join(dir, filename.toString());
        const relative = path.relative(root, full);
        if (ignored(relative, ignoreDirs)) return;
        if (isDirectory(full)) add(full);
        else if (watchers.has(full)) unwatch(full);
        changed(relative);
      });
    } catch {
      return; // removed meanwhile, or unreadable
    }
    watcher.on('error', () => unwatch(dir));
    watchers.set(dir, watcher);
    let entries: string[] = [];
    try {
      entries = readdirSync(dir);
    } catch {
      entries = [];
    }
    for (const entry of entries) {
      const full = path.join(dir, entry);
      if (isDirectory(full)) add(full);
    }
  };

  add(root);
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
