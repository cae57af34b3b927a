// The name a device gives itself when it pairs: checked and cut before anything is saved. Cutting by
// UTF-16 units could split an emoji into half a surrogate pair, which then failed URI encoding (a 500,
// with the code used up and a broken terminal listed); here it is cut at a whole character (a grapheme:
// an emoji with its modifiers stays whole) and never past MAX_NAME_CODE_POINTS code points.
export const MAX_NAME_CODE_POINTS = 60;

/** Characters that turn text around or hide in it: a name shown on the host screen must read as typed. */
/** half of a surrogate pair (with the u flag a whole pair is one code point, never Cs) */
const LONE_SURROGATE = /\p{Cs}/u;
const HIDDEN_OR_REORDERING = /[\p{Cc}\u200E\u200F\u202A-\u202E\u2066-\u2069]/u;

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function terminalName(raw: string): { name: string } | { error: string } {
  const trimmed = raw.trim();
  if (LONE_SURROGATE.test(trimmed)) return { error: 'В названии терминала есть повреждённые символы: введите его заново.' };
  if (HIDDEN_OR_REORDERING.test(trimmed)) return { error: 'В названии терминала есть управляющие символы: оставьте только буквы, цифры и знаки.' };
  return { name: cut(trimmed) };
}

function cut(name: string): string {
  if (name.length <= MAX_NAME_CODE_POINTS) return name;
  let out = '';
  let codePoints = 0;
  for (const { segment } of graphemes.segment(name)) {
    const size = [...segment].length;
    if (codePoints + size > MAX_NAME_CODE_POINTS) break;
    out += segment;
    codePoints += size;
  }
  // a single "character" longer than the limit (stacked combining marks): cut by code points instead
  return (out || [...name].slice(0, MAX_NAME_CODE_POINTS).join('')).trim();
}
