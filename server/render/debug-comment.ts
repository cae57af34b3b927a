// Debug mode (compatibility.md §4.10): each component is preceded by a comment holding its render context, so an
// author can see what a template received. Secrets are redacted (a user document may carry a
// password hash) and the JSON is escaped so that nothing in it can end the comment.

const SECRET_KEY = /pass|hash|token|secret|csrf/i;
export const REDACTED = '[redacted]';

export function redactSecrets(value: unknown, seen: WeakSet<object> = new WeakSet()): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactSecrets(item, seen));
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return value; // Date and friends: JSON handles them
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] = SECRET_KEY.test(key) ? REDACTED : redactSecrets(item, seen);
  }
  return out;
}

export function debugComment(info: { component: string; id: string; data: unknown; user: unknown; url: unknown }): string {
  const json = JSON.stringify(redactSecrets(info)) ?? 'null';
  // Inside JSON these characters only occur in strings, where \u escapes keep the meaning.
  const safe = json.replace(/-(?=-)|[<>]/g, (ch) => (ch === '-' ? '\\u002d' : ch === '<' ? '\\u003c' : '\\u003e'));
  return `<!-- serverokey component context: ${safe} -->\n`;
}
