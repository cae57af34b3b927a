// A bounded memo for pure string functions on the request path (HMACs and hashes of cookie values): a
// till sends the same cookies with every request, so their signatures need computing once, not per request.
// Bounded in both directions a request controls: entries (cleared at the limit) and key length (a key
// longer than any cookie the host sets is computed every time, never kept).
const DEFAULT_LIMIT = 1024;
/** the longest key kept: a terminal cookie with a 60-letter name, URL-encoded, signed, fits several times */
export const MAX_MEMO_KEY_LENGTH = 2048;

export function memoized(fn: (key: string) => string, limit = DEFAULT_LIMIT): (key: string) => string {
  const known = new Map<string, string>();
  return (key) => {
    let value = known.get(key);
    if (value === undefined) {
      value = fn(key);
      if (key.length > MAX_MEMO_KEY_LENGTH) return value;
      // forgetting everything at once keeps this O(1); the tills in use fill it again at once
      if (known.size >= limit) known.clear();
      known.set(key, value);
    }
    return value;
  };
}
