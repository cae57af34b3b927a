// A bounded memo for pure string functions on the request path (HMACs and hashes of cookie values): a
// till sends the same cookies with every request, so their signatures need computing once, not per request.
const DEFAULT_LIMIT = 1024;

export function memoized(fn: (key: string) => string, limit = DEFAULT_LIMIT): (key: string) => string {
  const known = new Map<string, string>();
  return (key) => {
    let value = known.get(key);
    if (value === undefined) {
      value = fn(key);
      // forgetting everything at once keeps this O(1); the tills in use fill it again at once
      if (known.size >= limit) known.clear();
      known.set(key, value);
    }
    return value;
  };
}
