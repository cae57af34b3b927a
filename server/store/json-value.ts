// A committed state is kept exactly as it will be read back from disk: plain JSON. Values JSON would
// silently change (NaN, Date, Map, functions, cycles) are refused with the path that holds them.
import type { JsonValue } from './types.js';
import { InvalidChangeError } from './types.js';

function pathOf(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

function refuse(where: string, path: string, what: string, hint = ''): never {
  throw new InvalidChangeError(`${where}: ${path} ${what}, which cannot be stored as JSON${hint ? `; ${hint}` : ''}`);
}

/**
 * Deep copy of `value` as plain JSON data. Object keys whose value is undefined are dropped (as JSON
 * does); everything else that JSON cannot hold faithfully throws an InvalidChangeError.
 * `where` names the value in messages, e.g. `connector "receipt"`.
 */
/**
 * A JSON copy of `value`, refusing what JSON cannot hold. `known`: a stored state `value` was made from
 * (frozen, checked when it was stored): parts of `value` that are the very frozen objects at the same place
 * in it are kept as they are instead of copied (a journal's 200 records in view, unchanged by a sale).
 */
export function copyAsJson(value: unknown, where: string, root = 'state', known?: unknown): JsonValue {
  const ancestors = new Set<object>();

  const copy = (item: unknown, path: string, was?: unknown): JsonValue => {
    // (never the root: callers may change the copy's own fields)
    if (was !== undefined && item === was && path !== root && typeof item === 'object' && item !== null && Object.isFrozen(item)) return item as JsonValue;
    switch (typeof item) {
      case 'string':
      case 'boolean':
        return item;
      case 'number':
        if (!Number.isFinite(item)) refuse(where, path, `is ${item}`, 'store null or a finite number');
        return item === 0 ? 0 : item; // -0 reads back as 0
      case 'undefined':
        return refuse(where, path, 'is undefined', 'store null to keep an empty value');
      case 'bigint':
        return refuse(where, path, 'is a BigInt', 'store it as a string or number');
      case 'function':
        return refuse(where, path, 'is a function');
      case 'symbol':
        return refuse(where, path, 'is a symbol');
    }
    if (item === null) return null;
    const object = item as object;
    if (ancestors.has(object)) refuse(where, path, 'refers to itself (a circular structure)');
    ancestors.add(object);
    try {
      if (Array.isArray(object)) {
        const out: JsonValue[] = new Array(object.length);
        const wasList = Array.isArray(was) ? was : undefined;
        for (let index = 0; index < object.length; index++) out[index] = copy(object[index], pathOf(path, index), wasList?.[index]);
        return out;
      }
      // Tag check instead of a prototype check: objects built in another realm (vm sandbox) are plain too.
      const tag = Object.prototype.toString.call(object);
      if (tag !== '[object Object]') {
        const kind = tag.slice(8, -1);
        refuse(where, path, `is a ${kind}`, kind === 'Date' ? 'store date.toISOString() instead' : 'store plain objects and arrays');
      }
      const out: Record<string, JsonValue> = {};
      for (const key of Object.keys(object)) {
        const field = (object as Record<string, unknown>)[key];
        if (field === undefined) continue;
        const copied = copy(field, pathOf(path, key), isPlainRecord(was) && Object.hasOwn(was, key) ? was[key] : undefined);
        if (key === '__proto__') Object.defineProperty(out, key, { value: copied, enumerable: true, writable: true, configurable: true });
        else out[key] = copied;
      }
      return out;
    } finally {
      ancestors.delete(object);
    }
  };

  return copy(value, root, known);
}

export function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
