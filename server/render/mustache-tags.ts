// Where a template's Mustache tags are, found the way mustache.js's parser finds them (the same regular
// expressions, default delimiters), for the preparation passes that only need the tags' positions and the
// pairs of section tags. mustache.js's own parser builds one token per character of text on the way, which
// made template preparation the bulk of start-up time and garbage; the renderer still parses each final
// template with it. Anything unusual (a delimiter change, a syntax error) answers null: the caller then
// uses mustache.js's parser, with its rules and its error messages.

export interface MustacheTag {
  /** mustache.js's token type: '#', '^', '/', '>', '&' ({{{x}}} and {{&x}}), '!', or 'name' */
  type: string;
  /** from its opening {{ to the end of its closing }} */
  start: number;
  end: number;
  name: string;
  /** index (in the returned list) of the other tag of a section pair, null for other tags */
  partner: number | null;
}

const OPENING = /\{\{\s*/y;
const TYPE = /#|\^|\/|>|\{|&|=|!/y;
const WHITE = /\s*/y;
const CLOSING = /\s*\}\}/g;
const CLOSING_AT = /\s*\}\}/y;
const CLOSING_CURLY = /\s*\}\}\}/g;
const CURLY_AT = /\s*\}/y;

function matchAt(re: RegExp, text: string, at: number): number {
  re.lastIndex = at;
  const match = re.exec(text);
  return match ? at + match[0].length : -1;
}

/** The index where `re` (global) first matches from `at`, or the end of the text (mustache's scanUntil). */
function until(re: RegExp, text: string, at: number): number {
  re.lastIndex = at;
  const match = re.exec(text);
  return match ? match.index : text.length;
}

export function scanMustacheTags(text: string): MustacheTag[] | null {
  const tags: MustacheTag[] = [];
  const open: number[] = [];
  let pos = 0;
  for (;;) {
    const start = text.indexOf('{{', pos);
    if (start === -1) break;
    let at = matchAt(OPENING, text, start);
    const typeEnd = matchAt(TYPE, text, at);
    let type = 'name';
    if (typeEnd !== -1) {
      type = text.slice(at, typeEnd);
      at = typeEnd;
    }
    if (type === '=') return null; // delimiter changes: mustache.js's parser
    at = matchAt(WHITE, text, at);
    const valueStart = at;
    let valueEnd: number;
    if (type === '{') {
      valueEnd = until(CLOSING_CURLY, text, at);
      at = matchAt(CURLY_AT, text, valueEnd);
      if (at === -1) return null;
      at = until(CLOSING, text, at);
      type = '&';
    } else {
      valueEnd = until(CLOSING, text, at);
      at = valueEnd;
    }
    const end = matchAt(CLOSING_AT, text, at);
    if (end === -1) return null; // unclosed tag
    const name = text.slice(valueStart, valueEnd);
    const index = tags.length;
    tags.push({ type, start, end, name, partner: null });
    if (type === '#' || type === '^') open.push(index);
    else if (type === '/') {
      const opener = open.pop();
      if (opener === undefined || tags[opener].name !== name) return null; // unopened or crossed sections
      tags[opener].partner = index;
      tags[index].partner = opener;
    }
    pos = end;
  }
  return open.length === 0 ? tags : null;
}
