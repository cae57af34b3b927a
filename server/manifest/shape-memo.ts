// Remembers which manifests passed the shape check (a start-up memo of the built engine: build-memo.ts),
// so that starting an app that has not changed since its last start skips zod: loading zod, building the
// schema and checking with it is about a sixth of a start.
// Only manifests made of plain data are remembered (objects, arrays, strings, finite numbers, booleans,
// null, undefined): for those the check's outcome depends on the content alone. Only passes are
// remembered; a manifest with problems is checked (and reported) every time.
import { buildMemo, hasBuildMemos } from './build-memo.js';

export interface ShapeMemo {
  /** the same manifest passed the check in this build before */
  passed(): boolean;
  remember(): void;
}

/** The memo entry of `manifest`, or null (no memos, or not plain data). */
export function shapeMemo(manifest: unknown): ShapeMemo | null {
  if (!hasBuildMemos()) return null;
  const content = plainDataText(manifest, new Set());
  const entry = content === null ? null : buildMemo('manifest-ok', content);
  if (!entry) return null;
  return { passed: () => entry.read() !== null, remember: () => entry.write('') };
}

/** An exact text of a plain-data value (every type tagged), or null for anything else or a cycle. */
function plainDataText(value: unknown, ancestors: Set<object>): string | null {
  if (value === null) return 'n';
  if (value === undefined) return 'u';
  switch (typeof value) {
    case 'boolean':
      return value ? 't' : 'f';
    case 'number':
      return Number.isFinite(value) ? `d${value}` : null;
    case 'string':
      return `s${JSON.stringify(value)}`;
    case 'object':
      break;
    default:
      return null;
  }
  const object = value as object;
  if (ancestors.has(object)) return null;
  ancestors.add(object);
  try {
    if (Array.isArray(object)) {
      if (Object.getPrototypeOf(object) !== Array.prototype) return null;
      const keys = Reflect.ownKeys(object);
      if (keys.length !== object.length + 1) return null; // holes or extra properties
      const items: string[] = [];
      for (let i = 0; i < object.length; i++) {
        if (!Object.hasOwn(object, i)) return null;
        const item = plainDataText(object[i], ancestors);
        if (item === null) return null;
        items.push(item);
      }
      return `[${items.join(',')}]`;
    }
    const prototype = Object.getPrototypeOf(object);
    if (prototype !== Object.prototype && prototype !== null) return null;
    const entries: string[] = [];
    for (const key of Reflect.ownKeys(object)) {
      if (typeof key !== 'string') return null;
      const descriptor = Object.getOwnPropertyDescriptor(object, key)!;
      if (!('value' in descriptor) || !descriptor.enumerable) return null;
      const text = plainDataText(descriptor.value, ancestors);
      if (text === null) return null;
      entries.push(`${JSON.stringify(key)}:${text}`);
    }
    return `{${entries.join(',')}}`;
  } finally {
    ancestors.delete(object);
  }
}
