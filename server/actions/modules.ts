// The require() that expressions and their helpers get. Expressions run for every request in one process,
// so they get hand-picked functions, never whole modules: a whole module hands out functions that change
// the process for everyone (util.inherits(RegExp, Map), crypto.setEngine, bcrypt.setRandomFallback), read
// memory that is not theirs (Buffer.allocUnsafe, pooled buffers) or carry shared settings objects
// (util.inspect.defaultOptions). Each allowed name below is a wrapper with no properties of its own,
// in a frozen object. bcrypt is served by bcryptjs, so original manifests log in without a native
// module. npm modules named in the manifest's allowModules are the author's choice and come whole
// (a frozen shallow view). Anything reaching the disk, processes or the network is not offered.
import { createRequire } from 'node:module';
import assert from 'node:assert';
import crypto from 'node:crypto';
import path from 'node:path';
import querystring from 'node:querystring';
import util from 'node:util';
import { loadAppZod } from './app-zod.js';

type AnyFunction = (...args: never[]) => unknown;
type View = Readonly<Record<string, unknown>>;

/** A frozen object of wrappers around the named functions of `mod` (and any constants given as they are). */
function pick(mod: object, names: readonly string[], constants: Record<string, unknown> = {}): View {
  const view: Record<string, unknown> = {};
  for (const name of names) {
    const fn = (mod as Record<string, unknown>)[name];
    if (typeof fn !== 'function') continue;
    view[name] = (...args: unknown[]) => (fn as (...a: unknown[]) => unknown).apply(mod, args);
  }
  return Object.freeze(Object.assign(view, constants));
}

/** A Buffer of its own memory: Buffer.from and concat may return a slice of a pool shared with other work. */
function unpooled(buffer: Buffer): Buffer {
  const own = Buffer.alloc(buffer.length);
  buffer.copy(own);
  return own;
}

const PATH_FUNCTIONS = ['basename', 'dirname', 'extname', 'join', 'normalize', 'isAbsolute', 'parse', 'format'] as const;
const pathView = (flavour: path.PlatformPath) => pick(flavour, PATH_FUNCTIONS, { sep: flavour.sep, delimiter: flavour.delimiter });

/** What expressions may require, by module name, and exactly which names each offers (README, "Writing an app"). */
const BUILTINS: Record<string, () => View> = {
  crypto: () => pick(crypto, ['createHash', 'createHmac', 'randomUUID', 'randomInt', 'randomBytes', 'timingSafeEqual', 'getHashes']),
  util: () => pick(util, ['format', 'inspect', 'isDeepStrictEqual']),
  path: () => Object.freeze({ ...pathView(path), posix: pathView(path.posix), win32: pathView(path.win32) }),
  querystring: () => pick(querystring, ['parse', 'stringify', 'escape', 'unescape']),
  assert: () => pick(assert, ['ok', 'equal', 'notEqual', 'strictEqual', 'notStrictEqual', 'deepStrictEqual', 'notDeepStrictEqual', 'match', 'fail']),
  buffer: () =>
    Object.freeze({
      Buffer: Object.freeze({
        from: (value: never, encodingOrOffset?: never, length?: never) => unpooled(Buffer.from(value, encodingOrOffset, length)),
        alloc: (size: number, fill?: string | number, encoding?: BufferEncoding) => Buffer.alloc(size, fill, encoding),
        concat: (list: readonly Uint8Array[], totalLength?: number) => unpooled(Buffer.concat(list, totalLength)),
        byteLength: (value: Parameters<typeof Buffer.byteLength>[0], encoding?: BufferEncoding) => Buffer.byteLength(value, encoding),
        isBuffer: (value: unknown) => Buffer.isBuffer(value),
        compare: (a: Uint8Array, b: Uint8Array) => Buffer.compare(a, b),
      }),
    }),
};
const BCRYPT_FUNCTIONS = ['compareSync', 'compare', 'hashSync', 'hash', 'genSaltSync', 'genSalt', 'getRounds', 'getSalt', 'truncates'];

const views = new Map<string, View>();
function builtinView(name: string): View {
  let view = views.get(name);
  if (!view) {
    view = BUILTINS[name]();
    views.set(name, view);
  }
  return view;
}

// bcrypt is loaded when an expression first asks for it (a login), not at start-up
const engineRequire = createRequire(import.meta.url);
let bcryptView: View | undefined;
const loadBcrypt = () => (bcryptView ??= pick(engineRequire('bcryptjs') as object, BCRYPT_FUNCTIONS));

// Modules of allowModules: a frozen shallow view of each, so one request cannot replace a function for the next.
const moduleViews = new WeakMap<object, object>();
function frozenView(mod: unknown): unknown {
  if (!mod || (typeof mod !== 'object' && typeof mod !== 'function')) return mod;
  let view = moduleViews.get(mod as object);
  if (!view) {
    view = Object.freeze({ ...(mod as object) });
    moduleViews.set(mod as object, view);
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

/** Module names require() answers in expressions besides allowModules. */
export const EXPRESSION_MODULES: readonly string[] = ['bcrypt', 'bcryptjs', 'zod', ...Object.keys(BUILTINS)];

export function createAppRequire(appDir: string, allowModules: string[] = []): (name: string) => unknown {
  const appRequire = createRequire(path.join(path.resolve(appDir), 'manifest.js'));
  const allowed = new Set(allowModules);
  return (name: string) => {
    if (typeof name !== 'string') throw new Error('require() needs a module name');
    if (name === 'bcrypt' || name === 'bcryptjs') return loadBcrypt();
    if (name === 'zod') return loadZodView();
    const bare = name.startsWith('node:') ? name.slice(5) : name;
    if (Object.hasOwn(BUILTINS, bare)) return builtinView(bare);
    if (allowed.has(name)) return frozenView(appRequire(name));
    throw new Error(
      `require("${name}") is not allowed in expressions; allowed: bcrypt, zod, ${Object.keys(BUILTINS).join(', ')}` +
        (allowed.size ? `, ${[...allowed].join(', ')}` : '') +
        ' (add npm modules to the manifest\'s allowModules)',
    );
  };
}
