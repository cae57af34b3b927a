// import() for the engine's own code. The built engine (dist/server/host.js, cli.js) runs its bundle as a
// script compiled with a V8 code cache (scripts/build.mjs), and such a script has no module loader of its
// own: the module that starts it hands its import() over as __engineImport. From the sources (tsx, the
// per-file build) import() is used as it is.
declare const __engineImport: ((specifier: string) => Promise<unknown>) | undefined;

/** import(specifier): a bare package name or an absolute file: URL (nothing relative to this file). */
export function importModule<T = unknown>(specifier: string): Promise<T> {
  return (typeof __engineImport === 'function' ? __engineImport(specifier) : import(specifier)) as Promise<T>;
}
