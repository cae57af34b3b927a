// How much V8 lets the old generation grow between full collections, set by the host for itself.
//
// Under load a host allocates ~120 KB per action (drafts, rendered HTML, JSON, HTTP objects) and every
// scavenge finds the objects of the requests in flight alive: ~1 MB is promoted each time (~15-20 MB/s
// at 1,500-2,500 actions/s) and dies soon after in the old generation. V8's default heap growing
// (up to 4× the live size after a full collection, when collections are fast, as here) let that
// short-lived garbage pile up from ~30 MB live to 130-160 MB before the next full collection: host RSS
// 200-430 MB with 27-33 MB really in use (bench/profiles/scale-memory.md). Growing by half the live size
// instead keeps the heap near what is in use for a few more incremental (mostly concurrent) full
// collections: about one a second under full load, 3-10 ms of pause each.
//
// `--heap-growing-percent` is read by V8 at every full collection, so it can be set by the running
// process: the CLI, Electron's main process and a host embedded by a test all get it the same way. It is
// set before the engine's bundle is compiled (code-cache.ts), so its V8 code cache is made and checked
// under the same flags. A flag given on the command line or in NODE_OPTIONS wins;
// SERVEROKEY_HEAP_GROWING=off leaves V8's default, a number sets another percentage.
//
// The young generation's size is fixed when V8 starts, so it can only be set by whoever launches the
// process: HOST_LAUNCH_V8_FLAGS. V8's default lets each of its two semi-spaces grow to 16 MB; at 8 MB the
// host's young generation takes ~16 MB less memory, and each scavenge (every ~25 ms under full load instead
// of ~50) stays at 1-2 ms. `npm start` passes them to Electron's main process (--js-flags) and the
// benchmarks to the host processes they start; `node --max-semi-space-size=8 bin/serverokey.mjs serve …`
// does the same for the CLI.
//
// Outside V8's heap, glibc's malloc held ~25 MB more than the host used (host RSS 157 MB idle with 50,000
// products and 100,000 sales, of which 30 MB in the brk heap): once a large block (a 1 MB chunk of the
// journal's scan, the catalogue's file) is freed, glibc raises its mmap threshold to that size, so later
// blocks of up to that size come from the brk heap, between small long-lived allocations that keep it from
// shrinking. A fixed threshold (its default 128 KB given explicitly turns the raising off) gives such blocks
// back to the system when freed: 157 -> 128 MB idle. It is read when the process starts, so only a launcher
// can set it: HOST_LAUNCH_ENV, given to the host processes of the benchmarks; for the CLI:
// `MALLOC_MMAP_THRESHOLD_=131072 node --max-semi-space-size=8 bin/serverokey.mjs serve …`. Not given to
// Electron's main process: Chromium may route malloc to its own allocator there, and it was not measured.
// (MALLOC_ARENA_MAX=2 was measured too and changed nothing idle: the brk heap is the main arena's.)
import v8 from 'node:v8';

export const HEAP_GROWING_PERCENT = 50;
/** V8 flags for the command line that starts a host process (they cannot be set once it runs). */
export const HOST_LAUNCH_V8_FLAGS: readonly string[] = ['--max-semi-space-size=8'];
/** Environment for a Node process that hosts (glibc's malloc; ignored elsewhere). An outer setting wins. */
export const HOST_LAUNCH_ENV: Readonly<Record<string, string>> = { MALLOC_MMAP_THRESHOLD_: '131072' };
const TUNED = Symbol.for('serverokey.heap-tuned');

/** The flag this process runs with, or null when the default is left (a flag of its own, or off). */
export function heapGrowingFlag(env: NodeJS.ProcessEnv = process.env, execArgv: readonly string[] = process.execArgv): string | null {
  const given = [...execArgv, env.NODE_OPTIONS ?? ''].join(' ');
  if (given.includes('--heap-growing-percent') || given.includes('--heap_growing_percent')) return null;
  const setting = env.SERVEROKEY_HEAP_GROWING?.trim();
  if (setting === 'off') return null;
  const percent = setting && /^\d+$/.test(setting) && Number(setting) > 0 ? Number(setting) : HEAP_GROWING_PERCENT;
  return `--heap-growing-percent=${percent}`;
}

/** Sets the heap growing flag once per process (later calls, from another copy of this module too, do nothing). */
export function tuneHeap(): void {
  const global = globalThis as { [TUNED]?: boolean };
  if (global[TUNED]) return;
  global[TUNED] = true;
  const flag = heapGrowingFlag();
  if (flag) v8.setFlagsFromString(flag);
}
