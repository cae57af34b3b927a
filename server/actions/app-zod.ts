// zod as app code sees it: `zod` in expressions and require('zod') in them and their helpers. The engine
// checks manifests with the few parts of zod it imports itself; the whole module (every schema kind, every
// locale) costs tens of milliseconds to load, so it is loaded from node_modules when an expression first
// touches it, or when the host warms up after start (preloadAppModules), never on the way to the first page.
import { createRequire } from 'node:module';
import type * as Zod from 'zod';

type ZodNamespace = typeof Zod.z;

const engineRequire = createRequire(import.meta.url);
let loaded: ZodNamespace | undefined;

/** The zod namespace (what `import { z } from 'zod'` gives), loaded on first call. */
export function loadAppZod(): ZodNamespace {
  return (loaded ??= (engineRequire('zod') as typeof Zod).z);
}

const readOnly = () => false;

/**
 * Stands for the zod namespace until it is loaded, and forwards to it after: reads, `in`, key listing and
 * descriptors reach the real namespace; writes fail as they do on a module namespace.
 */
export const lazyAppZod: ZodNamespace = new Proxy(Object.create(null) as ZodNamespace, {
  get: (_target, key) => Reflect.get(loadAppZod(), key),
  has: (_target, key) => Reflect.has(loadAppZod(), key),
  ownKeys: () => Reflect.ownKeys(loadAppZod()),
  getOwnPropertyDescriptor(_target, key) {
    const descriptor = Reflect.getOwnPropertyDescriptor(loadAppZod(), key);
    // the stand-in has none of these properties itself, so the proxy may only report them as configurable
    return descriptor && { ...descriptor, configurable: true };
  },
  set: readOnly,
  defineProperty: readOnly,
  deleteProperty: readOnly,
  setPrototypeOf: readOnly,
});
