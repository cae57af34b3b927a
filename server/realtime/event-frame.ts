// How an event frame travels: JSON with every character past ASCII written as a \u escape. It is the same
// JSON to any parser, but a subscriber decodes a pure-ASCII text frame several times faster (V8 and browsers
// make a one-byte string of it without UTF-8 decoding): with 300 windows of one till, decoding pushed
// receipts (Cyrillic names) was the largest cost of the delivery (bench/profiles/fanout-memory.md).

const PAST_ASCII = /[\u0080-\uffff]/g;
const escapes = new Map<string, string>();

function escapeChar(char: string): string {
  let escaped = escapes.get(char);
  if (escaped === undefined) {
    escaped = `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`;
    // the cache stays small: a shop's texts use a few alphabets
    if (escapes.size < 4096) escapes.set(char, escaped);
  }
  return escaped;
}

/** JSON.stringify, then every non-ASCII UTF-16 unit as \uXXXX (surrogate pairs become two escapes, as JSON allows). */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(PAST_ASCII, escapeChar);
}

/** The bytes of a text frame, encoded once and sent as they are to every recipient. */
export function encodeFrame(value: unknown): Buffer {
  // pure ASCII: latin1 writes the same bytes as UTF-8 without scanning for multi-byte characters
  return Buffer.from(asciiJson(value), 'latin1');
}
