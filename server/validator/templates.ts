// Reads a component template once for the checks: its elements with their attributes and lines,
// its placeholders, and which parts sit inside Mustache sections (where loop items are in scope).
// The runtime's own preparation (render/template-prepare.ts) is run too, so a template the renderer
// would refuse is reported with the renderer's reason.
import { readFileSync } from 'node:fs';
import Mustache from 'mustache';
import { Parser } from 'htmlparser2';
import { prepareTemplate } from '../render/template-prepare.js';

export interface TemplateElement {
  tag: string;
  attributes: Map<string, string>;
  /** 1-based line of each attribute (of the tag for the element itself) */
  attributeLines: Map<string, number>;
  line: number;
  /** inside a {{#section}} or {{^section}}: names may come from the section's frames */
  inSection: boolean;
  /** inside a Mustache tag ({{! comment }}): not markup at all */
  inMustacheTag: boolean;
}

export interface TemplateScan {
  file: string;
  elements: TemplateElement[];
  placeholders: Array<{ name: string; line: number }>;
  /** why the renderer refuses this template, with the line when known */
  problem?: { message: string; line: number };
}

const cache = new Map<string, TemplateScan | null>();

export function clearTemplateCache(): void {
  cache.clear();
}

/** null when the file cannot be read (reported by the component checks). */
export function scanTemplate(file: string): TemplateScan | null {
  if (cache.has(file)) return cache.get(file)!;
  let raw: string | null;
  try {
    raw = readFileSync(file, 'utf8');
  } catch {
    raw = null;
  }
  const scan = raw === null ? null : scanText(raw, file);
  cache.set(file, scan);
  return scan;
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export function scanText(raw: string, file: string): TemplateScan {
  const scan: TemplateScan = { file, elements: [], placeholders: [] };
  const sections = mustacheRanges(raw);
  if (sections.error) {
    scan.problem = sections.error;
  } else {
    try {
      let n = 0;
      prepareTemplate(raw, { file, nextSectionName: () => `__check_${n++}`, placeholderMarker: () => '' });
    } catch (error) {
      scan.problem = { message: stripFile((error as Error).message, file), line: 1 };
    }
  }
  const lines = lineStarts(raw);
  const lineOf = (offset: number) => lineFromStarts(lines, offset);
  const inside = (ranges: Array<[number, number]>, offset: number) => ranges.some(([s, e]) => offset >= s && offset < e);

  let pending: TemplateElement | null = null;
  const parser: Parser = new Parser(
    {
      onopentagname(name) {
        const start = parser.startIndex;
        pending = {
          tag: name,
          attributes: new Map(),
          attributeLines: new Map(),
          line: lineOf(start),
          inSection: inside(sections.bodies, start),
          inMustacheTag: inside(sections.tags, start),
        };
      },
      onattribute(name, value) {
        if (!pending || pending.attributes.has(name)) return;
        pending.attributes.set(name, value);
        pending.attributeLines.set(name, lineOf(parser.startIndex));
      },
      onopentag() {
        if (!pending) return;
        if (!pending.inMustacheTag) {
          scan.elements.push(pending);
          if (pending.tag === 'atom-inject' && pending.attributes.has('into')) {
            scan.placeholders.push({ name: pending.attributes.get('into')!.trim(), line: pending.line });
          }
        }
        pending = null;
      },
    },
    { decodeEntities: true, recognizeSelfClosing: true, lowerCaseAttributeNames: true },
  );
  parser.end(raw);
  return scan;
}

function stripFile(message: string, file: string): string {
  return message.startsWith(`${file}: `) ? message.slice(file.length + 2) : message;
}

type MustacheToken = [string, string, number, number, MustacheToken[]?, number?];

/** Ranges of Mustache tags and of section bodies; a syntax error with its line instead. */
function mustacheRanges(raw: string): {
  tags: Array<[number, number]>;
  bodies: Array<[number, number]>;
  error?: { message: string; line: number };
} {
  const tags: Array<[number, number]> = [];
  const bodies: Array<[number, number]> = [];
  let tokens: MustacheToken[];
  try {
    tokens = new Mustache.Writer().parse(raw) as MustacheToken[];
  } catch (error) {
    const message = (error as Error).message;
    // mustache.js ends its messages with "at <offset>"; for an unclosed section that is the end of
    // the file, so the line of the section's opening tag is more useful
    const offset = /\s*at (\d+)\s*$/.exec(message);
    const unclosed = /^Unclosed section "(.+)"/.exec(message);
    const opening = unclosed ? Math.max(raw.lastIndexOf(`{{#${unclosed[1]}`), raw.lastIndexOf(`{{^${unclosed[1]}`)) : -1;
    const position = opening >= 0 ? opening : offset ? Number(offset[1]) : 0;
    const text = offset ? message.slice(0, offset.index) : message;
    return { tags, bodies, error: { message: `Mustache syntax error: ${text}`, line: lineAt(raw, position) } };
  }
  const visit = (list: MustacheToken[]) => {
    for (const token of list) {
      const [type, , start, end, children, closeStart] = token;
      if (type === 'text') continue;
      tags.push([start, end]);
      if ((type === '#' || type === '^') && Array.isArray(children)) {
        bodies.push([end, closeStart ?? end]);
        visit(children);
      }
    }
  };
  visit(tokens);
  return { tags, bodies };
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}

function lineFromStarts(starts: number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (starts[mid] <= offset) low = mid;
    else high = mid - 1;
  }
  return low + 1;
}
