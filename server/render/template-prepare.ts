// Turns a component's template file into the Mustache source that is rendered, once per file:
//  - an element with atom-if="expr" loses the attribute and is wrapped in a reserved section
//    ({{#__atomIf_N}}…{{/__atomIf_N}}) that the template writer evaluates during the Mustache
//    pass, so the expression sees loop items (compatibility.md D8);
//  - an <atom-inject into="NAME"> element (any quoting, self-closing or not, any attribute order)
//    becomes an opaque marker that is filled with the child's HTML after the pass (compatibility.md D9, D12).
// The HTML is read with htmlparser2's positions; entities in attributes are decoded, so
// atom-if="a &amp;&amp; b" means `a && b`.
import Mustache from 'mustache';
import { Parser } from 'htmlparser2';
import { RenderError } from './errors.js';
import { scanMustacheTags } from './mustache-tags.js';

export const ATOM_IF_SECTION_PREFIX = '__atomIf_';
const ATOM_IF = 'atom-if';
const ATOM_INJECT = 'atom-inject';

export interface ConditionSource {
  /** the reserved section name that stands for this condition */
  section: string;
  expression: string;
}

export interface PreparedTemplate {
  file: string;
  /** the Mustache source to render */
  text: string;
  conditions: ConditionSource[];
  /** placeholder names in source order (for diagnostics) */
  placeholders: string[];
  /**
   * true when `text` already carries the component-id and atom-run markers and its markup is written
   * as it renders (template-markup.ts); false: the rendered output gets that DOM pass per render
   */
  markupFinished?: boolean;
  /** finished templates: whether `text` holds placeholder or atom-run markers to fill after rendering */
  hasMarkers?: boolean;
}

export interface PrepareOptions {
  file: string;
  /** a fresh, renderer-wide unique section name for the next atom-if */
  nextSectionName(): string;
  /** the marker text that replaces a placeholder named `name` */
  placeholderMarker(name: string): string;
}

interface Edit {
  start: number;
  end: number;
  text: string;
  /** at equal positions: closing sections, then opening sections, then replacements */
  rank: 0 | 1 | 2;
  seq: number;
}

interface OpenElement {
  name: string;
  start: number;
  atomIf?: { value: string; start: number; end: number };
  into?: string;
}

type MustacheToken = [string, string, number, number, MustacheToken[]?, ...unknown[]];

export function prepareTemplate(raw: string, options: PrepareOptions): PreparedTemplate {
  const tagRanges = mustacheTagRanges(raw, options.file);
  const insideMustacheTag = (position: number) => tagRanges.some(([s, e]) => position >= s && position < e);

  const edits: Edit[] = [];
  const injectRanges: Array<[number, number]> = [];
  const conditions: ConditionSource[] = [];
  const placeholders: string[] = [];
  const stack: OpenElement[] = [];
  let pending: OpenElement | null = null;
  let seq = 0;
  const addEdit = (start: number, end: number, text: string, rank: Edit['rank']) =>
    edits.push({ start, end, text, rank, seq: seq++ });

  const parser: Parser = new Parser(
    {
      onopentagname(name) {
        pending = { name, start: parser.startIndex };
        stack.push(pending);
      },
      onattribute(name, value) {
        if (!pending) return;
        if (name === ATOM_IF && !pending.atomIf) {
          pending.atomIf = { value, start: parser.startIndex, end: parser.endIndex };
        } else if (name === 'into' && pending.name === ATOM_INJECT && pending.into === undefined) {
          pending.into = value;
        }
      },
      onopentag() {
        pending = null;
      },
      onclosetag(_name, isImplied) {
        const element = stack.pop();
        if (!element) return;
        // Explicit end tags, self-closing and void elements end at the parser's end index; an
        // implied close (next sibling, parent's end tag, end of file) ends where that begins.
        const end = !isImplied || parser.startIndex === element.start ? parser.endIndex + 1 : parser.startIndex;
        if (insideMustacheTag(element.start)) return;
        const isPlaceholder = element.name === ATOM_INJECT && element.into !== undefined;
        if (element.atomIf) {
          const section = options.nextSectionName();
          conditions.push({ section, expression: element.atomIf.value });
          addEdit(element.start, element.start, `{{#${section}}}`, 1);
          if (!isPlaceholder) addEdit(withLeadingSpace(raw, element.atomIf.start), element.atomIf.end, '', 2);
          addEdit(end, end, `{{/${section}}}`, 0);
        }
        if (isPlaceholder) {
          const name = element.into!.trim();
          placeholders.push(name);
          injectRanges.push([element.start, end]);
          addEdit(element.start, end, options.placeholderMarker(name), 2);
        }
      },
    },
    { decodeEntities: true, recognizeSelfClosing: true },
  );
  parser.end(raw);

  // Whatever sits inside a placeholder element is replaced with it.
  const kept = edits.filter((edit) => !injectRanges.some(([s, e]) => edit.start > s && edit.start < e));
  const usedSections = new Set(kept.map((edit) => edit.text));
  const keptConditions = conditions.filter((c) => usedSections.has(`{{#${c.section}}}`));
  if (keptConditions.length > 0 && tagRanges.delimitersChanged) {
    throw new RenderError(
      `${options.file}: this template changes the Mustache delimiters ({{=…=}}) and uses atom-if; ` +
        'the two cannot be combined. Keep the default {{ }} delimiters in templates that use atom-if.',
    );
  }
  return { file: options.file, text: applyEdits(raw, kept), conditions: keptConditions, placeholders };
}

/** Throws what prepareTemplate throws for a template Mustache cannot parse, without preparing it. */
export function checkTemplateSyntax(raw: string, file: string): void {
  if (!scanMustacheTags(raw)) mustacheTagRanges(raw, file);
}

function withLeadingSpace(text: string, start: number): number {
  let position = start;
  while (position > 0 && /\s/.test(text[position - 1])) position--;
  return position;
}

function applyEdits(raw: string, edits: Edit[]): string {
  const ordered = [...edits].sort((a, b) => a.start - b.start || a.rank - b.rank || a.seq - b.seq);
  const parts: string[] = [];
  let cursor = 0;
  for (const edit of ordered) {
    if (edit.start >= cursor) parts.push(raw.slice(cursor, edit.start));
    parts.push(edit.text);
    cursor = Math.max(cursor, edit.end);
  }
  parts.push(raw.slice(cursor));
  return parts.join('');
}

/** Source ranges of every Mustache tag (so markup written inside `{{! … }}` is left alone). */
function mustacheTagRanges(raw: string, file: string): Array<[number, number]> & { delimitersChanged?: boolean } {
  const scanned = scanMustacheTags(raw);
  if (scanned) return scanned.map((tag): [number, number] => [tag.start, tag.end]);
  // a delimiter change or a syntax error: mustache.js's parser (and its error message)
  let tokens: MustacheToken[];
  try {
    // A throwaway writer: the shared one caches only the prepared text of each file.
    tokens = new Mustache.Writer().parse(raw) as MustacheToken[];
  } catch (error) {
    throw new RenderError(`${file}: Mustache syntax error: ${(error as Error).message}`, { cause: error });
  }
  const ranges: Array<[number, number]> & { delimitersChanged?: boolean } = [];
  const visit = (list: MustacheToken[]) => {
    for (const token of list) {
      const [type, , start, end, children] = token;
      if (type === 'text') continue;
      if (type === '=') ranges.delimitersChanged = true;
      ranges.push([start, end]);
      if ((type === '#' || type === '^') && Array.isArray(children)) {
        visit(children);
        const closeStart = token[5] as number;
        // the closing tag {{/name}} spans from its index to the next '}}'
        const closeEnd = raw.indexOf('}}', closeStart);
        ranges.push([closeStart, closeEnd === -1 ? raw.length : closeEnd + 2]);
      }
    }
  };
  visit(tokens);
  return ranges;
}
