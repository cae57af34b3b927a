// The require() that expressions and their helpers get: bcrypt (as bcryptjs, so original manifests log in
// without a native module), zod, a set of harmless Node built-ins, and what the manifest's allowModules
// names. Modules that reach the disk, processes or the network are left out on purpose.
import { createRequire, builtinModules } from 'node:module';
import path from 'node:path';
import { loadAppZod } from './app-zod.js';

// bcrypt is loaded when an expression first asks for it (a login), not at start-up
const engineRequire = createRequire(import.meta.url);
let bcryptjs: unknown;
const loadBcrypt = () => (bcryptjs ??= engineRequire('bcryptjs'));

const SAFE_BUILTINS = new Set(['crypto', 'util', 'path', 'url', 'querystring', 'string_decoder', 'buffer', 'events', 'assert']);

// Expressions get a frozen view of each module, so one request cannot replace a function for the next.
const views = new WeakMap<object, object>();
function frozenView(mod: unknown): unknown {
  if (!mod || (typeof mod !== 'object' && typeof mod !== 'function')) return mod;
  let view = views.get(mod as object);
  if (!view) {
    view = Object.freeze({ ...(mod as object) });
    views.set(mod as object, view);
  }
  return view;
}

// zod's view is made when an expression first asks for it (spreading its namespace is not free either)
let zodView: object | undefined;
function loadZodView(): object {
  if (!zodView) {
    const z = loadAppZod();
    zodView = Object.freeze({ z, ...z, default: z });
  }
  return zodView;
}

/** Loads ahead of need what expressions load on first use (called once the host is up and idle). */
export function preloadAppModules(): void {
  loadZodView();
}

export function createAppRequire(appDir: string, allowModules: string[] = []): (name: string) => unknown {
  const appRequire = createRequire(path.join(path.resolve(appDir), 'manifest.js'));
  const allowed = new Set(allowModules);
  return (name: string) => {
    if (typeof name !== 'string') throw new Error('require() needs a module name');
    if (name === 'bcrypt' || name === 'bcryptjs') return frozenView(loadBcrypt());
    if (name === 'zod') return loadZodView();
    const bare = name.startsWith('node:') ? name.slice(5) : name;
    if (SAFE_BUILTINS.has(bare) && builtinModules.includes(bare)) return frozenView(appRequire(`node:${bare}`));
    if (allowed.has(name)) return frozenView(appRequire(name));
    throw new Error(
      `require("${name}") is not allowed in expressions; allowed: bcrypt, zod, ${[...SAFE_BUILTINS].join(', ')}` +
        (allowed.size ? `, ${[...allowed].join(', ')}` : '') +
        ' (add npm modules to the manifest\'s allowModules)',
    );
  };
}
