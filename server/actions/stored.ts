// `context.stored(value)`: a handler's read-only view of what the store holds. Handlers see copy-on-write
// drafts of the connectors (runner.ts): reading every item of a drafted 50,000-product list costs a proxy per
// item, and the first read of a list a route only reads copies it. A handler that only reads a whole list (a
// check, an export) asks for the stored value instead: the store's own frozen state, read where it is.
import { isDraft, original } from 'immer';

/** What handlers get as `context.stored`. */
export type StoredView = <T>(value: T) => T;

/**
 * `value` as the action read it from the store: for a draft (anything reached through `context.data`), the
 * frozen stored value it stands for — before this action's own changes, which it never shows; anything else
 * (a value the steps built, a number) as it is. The result is frozen when it comes from the store: read it,
 * never change it (change `context.data` instead).
 */
export function storedValue<T>(value: T): T {
  if (arguments.length !== 1) throw new TypeError(`context.stored(value) takes one value, got ${arguments.length}`);
  return isDraft(value) ? (original(value) as T) : value;
}
Object.freeze(storedValue);

/**
 * Gives a run's variables their `stored` helper: not enumerable (the variables are not rendered with it, and
 * expressions do not list it), replaceable only by a forEach variable of that name for its loop.
 */
export function addStoredView(vars: Record<string, unknown>): void {
  Object.defineProperty(vars, 'stored', { value: storedValue, enumerable: false, writable: true, configurable: true });
}
