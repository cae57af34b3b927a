// JSON that can sit inside an inline <script> (and an HTML comment) without ending it early or
// breaking JavaScript string literals: the characters below become \u escapes, which every JSON
// and JavaScript parser reads back as the same characters.

const UNSAFE = /[<>&\u2028\u2029]/g;
const ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

export function safeJson(value: unknown): string {
  const json = JSON.stringify(value) ?? 'null';
  return json.replace(UNSAFE, (ch) => ESCAPES[ch]);
}

/**
 * The `asJSON` helper of the render context. Templates use it as a section:
 * `{{#asJSON}}data.receipt{{/asJSON}}` (handled by the template writer, which looks the path up);
 * called directly it serialises its argument.
 */
export function asJSON(value?: unknown): string {
  return safeJson(value);
}
