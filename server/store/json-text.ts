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

/**
 * The text of JSON.stringify(value, null, 2), in pieces: a large list gives one piece per slice of items,
 * with a turn of the event loop between slices. A checkpoint writes each piece to the file as it comes,
 * so only one slice's text is alive at a time: the pieces of a 5 MB catalogue never pile up in V8's young
 * generation, where every scavenge would copy them again (that made scavenges of 70–140 ms). `trailer`
 * is added at the end (a file's final newline).
 */
export async function* prettyJsonPieces(value: unknown, trailer = ''): AsyncGenerator<string> {
  if (!holdsLargeList(value)) {
    yield `${JSON.stringify(value, null, 2)}${trailer}`; // one piece: one write of a small file
    return;
  }
  yield* pieces(value, '', true);
  if (trailer) yield trailer;
}

/** JSON.stringify(value, null, 2), yielding to the event loop while it writes large lists. */
export async function stringifyPretty(value: unknown): Promise<string> {
  const parts: string[] = [];
  for await (const piece of prettyJsonPieces(value)) parts.push(piece);
  return parts.join('');
}

async function* pieces(value: unknown, indent: string, inArray: boolean): AsyncGenerator<string> {
  const inner = `${indent}  `;
  if (Array.isArray(value) && value.length >= LARGE_LIST) {
    let slice: string[] = ['[\n'];
    for (let i = 0; i < value.length; i++) {
      if (i > 0) slice.push(',\n');
      // as JSON.stringify does in arrays: undefined, functions and symbols are null
      const text = JSON.stringify(value[i], null, 2) ?? 'null';
      slice.push(inner, indentLines(text, inner));
      if (i % ITEMS_PER_TURN === ITEMS_PER_TURN - 1) {
        yield slice.join('');
        slice = [];
        await nextTurn();
      }
    }
    slice.push(`\n${indent}]`);
    yield slice.join('');
    return;
  }
  if (isPlainRecord(value) && holdsLargeList(value)) {
    const entries = Object.entries(value).filter(([, child]) => child !== undefined && typeof child !== 'function' && typeof child !== 'symbol');
    if (entries.length === 0) {
      yield '{}';
      return;
    }
    yield '{\n';
    for (const [index, [key, child]] of entries.entries()) {
      yield `${index > 0 ? ',\n' : ''}${inner}${JSON.stringify(key)}: `;
      yield* pieces(child, inner, false);
    }
    yield `\n${indent}}`;
    return;
  }
  const text = JSON.stringify(value, null, 2);
  yield indentLines(text ?? (inArray ? 'null' : 'null'), indent);
}
