// Property-level sandbox rules shared by reads, writes, deletes, object literals and patterns.
import { describeValue, ExpressionError } from './errors.js';

/**
 * Names that lead from a value to its prototype or to the Function constructor; `caller`,
 * `callee` and `arguments` also reach host functions through sloppy-mode functions.
 */
const FORBIDDEN_PROPERTIES: ReadonlySet<string> = new Set([
  'constructor',
  '__proto__',
  'prototype',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
  'caller',
  'callee',
  'arguments',
]);

const protectedObjects = new Set<unknown>();

/** Built-in namespaces are shared by every request: expressions must not change them. */
export function protectObject<T extends object>(value: T): T {
  protectedObjects.add(value);
  return value;
}

/** Functions (built-in or not) and registered namespaces cannot be written to or deleted from. */
export function isProtectedTarget(value: unknown): boolean {
  return typeof value === 'function' || protectedObjects.has(value);
}

/** The first forbidden name among an object's own keys, if any. */
export function forbiddenOwnKey(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  for (const key of FORBIDDEN_PROPERTIES) if (Object.hasOwn(value, key)) return key;
  return undefined;
}

export function isForbiddenProperty(key: PropertyKey): boolean {
  return typeof key === 'string' && FORBIDDEN_PROPERTIES.has(key);
}

export function forbiddenPropertyError(source: string, key: string): ExpressionError {
  return new ExpressionError('forbidden', source, `access to "${key}" is not allowed in expressions`);
}

/**
 * Converts a computed key once, the way JS would, and checks the converted key: an object whose
 * toString answers "constructor" is refused, and it cannot answer differently on the real access.
 */
export function safeKey(key: unknown, source: string): PropertyKey {
  if (typeof key === 'number' || typeof key === 'symbol') return key;
  const text = String(key);
  if (FORBIDDEN_PROPERTIES.has(text)) throw forbiddenPropertyError(source, text);
  return text;
}

/** Checks a compile-time key (dot access, literal keys, pattern keys). */
export function checkStaticKey(key: string, source: string): string {
  if (FORBIDDEN_PROPERTIES.has(key)) throw forbiddenPropertyError(source, key);
  return key;
}

/** Refuses writes and deletes that cannot work or would change shared built-ins. */
export function checkWritable(target: unknown, key: PropertyKey, targetText: string, source: string): void {
  if (target === null || target === undefined) {
    throw new ExpressionError(
      'runtime',
      source,
      `cannot set "${String(key)}": ${targetText} is ${String(target)}`,
    );
  }
  if (isProtectedTarget(target)) {
    throw new ExpressionError('forbidden', source, `cannot change built-in objects or functions (${targetText})`);
  }
  if (typeof target !== 'object') {
    throw new ExpressionError(
      'runtime',
      source,
      `cannot set "${String(key)}" on ${describeValue(target)} (${targetText})`,
    );
  }
}
