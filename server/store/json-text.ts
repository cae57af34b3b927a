// A connector file's text, made without blocking the host: JSON.stringify of a 50,000-product catalogue
// takes ~100 ms of one thread, during which no request is answered. Large lists are written a slice of
// items at a time, yielding to the event loop in between; the text is exactly JSON.stringify(value, null, 2).
import { setImmediate as nextTurn } from 'node:timers/promises';
import { isPlainRecord } from './json-value.js';

/** Items stringified between two turns of the event loop. */
const ITEMS_PER_TURN = 1000;
/** Lists shorter than this are written at once. */
const LARGE_LIST = 2000;

function indentLines(text: string, indent: string): string {
  return indent === '' ? text : text.replace(/\n/g, `\n${indent}`);
}

/** Whether `value` holds a list long enough to be worth writing in slices (looked for two levels down). */
function holdsLargeList(value: unknown, depth = 0): boolean {
  if (Array.isArray(value)) return value.length >= LARGE_LIST;
  if (!isPlainRecord(value) || depth >= 2) return false;
  return Object.values(value).some((child) => holdsLargeList(child, depth + 1));
}

/** JSON.stringify(value, null, 2), yielding to the event loop while it writes large lists. */
export async function stringifyPretty(value: unknown): Promise<string> {
  if (!holdsLargeList(value)) return JSON.stringify(value, null, 2);
  const parts: string[] = [];
  await write(value, '', parts, true);
  return parts.join('');
}

async function write(value: unknown, indent: string, parts: string[], inArray: boolean): Promise<void> {
  const inner = `${indent}  `;
  if (Array.isArray(value) && value.length >= LARGE_LIST) {
    parts.push('[\n');
    for (let i = 0; i < value.length; i++) {
      if (i > 0) parts.push(',\n');
      // as JSON.stringify does in arrays: undefined, functions and symbols are null
      const text = JSON.stringify(value[i], null, 2) ?? 'null';
      parts.push(inner, indentLines(text, inner));
      if (i % ITEMS_PER_TURN === ITEMS_PER_TURN - 1) await nextTurn();
    }
    parts.push(`\n${indent}]`);
    return;
  }
  if (isPlainRecord(value) && holdsLargeList(value)) {
    const entries = Object.entries(value).filter(([, child]) => child !== undefined && typeof child !== 'function' && typeof child !== 'symbol');
    if (entries.length === 0) {
      parts.push('{}');
      return;
    }
    parts.push('{\n');
    for (const [index, [key, child]] of entries.entries()) {
      if (index > 0) parts.push(',\n');
      parts.push(`${inner}${JSON.stringify(key)}: `);
      await write(child, inner, parts, false);
    }
    parts.push(`\n${indent}}`);
    return;
  }
  const text = JSON.stringify(value, null, 2);
  parts.push(indentLines(text ?? (inArray ? 'null' : 'null'), indent));
}
