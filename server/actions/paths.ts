// Dotted paths of `set` steps (`data.receipt.items.0.qty`) and the manifest paths of steps used in
// error messages (`routes["POST /x"].steps[2].then[0].to`).

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'prototype', 'constructor']);

export function splitPath(path: string): string[] {
  const segments = path.split('.').map((s) => s.trim());
  if (segments.some((s) => s === '')) throw new Error(`invalid path "${path}": empty segment`);
  for (const s of segments) {
    if (FORBIDDEN_SEGMENTS.has(s)) throw new Error(`invalid path "${path}": "${s}" cannot be assigned`);
  }
  return segments;
}

/** Assigns value at path, creating objects where the path is undefined or null. */
export function assignPath(root: Record<string, unknown>, path: string, value: unknown): void {
  const segments = splitPath(path);
  let node: Record<string, unknown> = root;
  for (let i = 0; i < segments.length - 1; i++) {
    const key = segments[i];
    let next = node[key];
    if (next === undefined || next === null) {
      next = {};
      node[key] = next;
    } else if (typeof next !== 'object') {
      throw new Error(`cannot set "${path}": "${segments.slice(0, i + 1).join('.')}" is a ${typeof next}, not an object`);
    }
    node = next as Record<string, unknown>;
  }
  node[segments[segments.length - 1]] = value;
}

export function routePath(routeKey: string): string {
  return `routes[${JSON.stringify(routeKey)}]`;
}

export function childPath(parent: string, key: string, index?: number): string {
  const k = /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
  return index === undefined ? `${parent}${k}` : `${parent}${k}[${index}]`;
}
