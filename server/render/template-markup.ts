// The DOM pass over a component's markup, done once per template file instead of once per render:
//  - every top-level element gets data-component-id (compatibility.md D11); its value is a Mustache tag that renders
//    the instance id;
//  - every <script atom-run> is framed by markers, so fragments and SPA payloads can take it out
//    (and keep its rendered text) by index, while full pages keep it in place (compatibility.md D15);
//  - the markup is written back the way dom-serializer writes it (quoting, implied end tags,
//    empty attribute values), which is what rendered output used to look like after its own DOM pass.
// Mustache tags are swapped for opaque tokens while the HTML is parsed, so the parser never sees
// (or rewrites) them, and swapped back afterwards. A template this cannot handle faithfully
// (changed delimiters, the tokens' characters in the source, tags that would be lost or reordered)
// is left to the per-render pass.
import { DomUtils, parseDocument } from 'htmlparser2';
import { Text, type ChildNode, type Element, type ParentNode } from 'domhandler';
import renderDom from 'dom-serializer';
import { COMPONENT_ID_ATTRIBUTE } from './component-id.js';
import { scanMustacheTags, type MustacheTag } from './mustache-tags.js';

/** Marker texts the renderer recognises in rendered output. */
export interface MarkupMarkers {
  /** the value written into data-component-id of every top-level element (a Mustache tag) */
  id: string;
  /** before <script atom-run>, right after its start tag, right before </script>, after it */
  runOpen: string;
  runBody: string;
  runEnd: string;
  runClose: string;
}

const TOKEN_START = '\uE000';
const TOKEN_END = '\uE001';
const TOKEN = /\uE000(\d+)\uE001/g;

/**
 * Whether every element starts and ends inside the same Mustache sections: then each rendering of the
 * template has the element tree the template has, and the markup can be written once. An element that a
 * section cuts (an atom-if element closed by whatever follows it, `{{#items}}<li>{{name}}{{/items}}`,
 * a start tag in a section whose end tag is not) gets its structure from the data, per render.
 */
function sectionsNested(nodes: readonly ChildNode[], tags: MustacheTag[], found: number[] = []): boolean {
  const collect = (text: string, into: number[]) => {
    for (const match of text.matchAll(TOKEN)) into.push(Number(match[1]));
  };
  for (const node of nodes) {
    if (node.type === 'text' || node.type === 'comment' || node.type === 'directive') {
      collect((node as Text).data, found);
      continue;
    }
    if (!('attribs' in node)) continue;
    const own: number[] = [];
    collect(node.name, own);
    for (const [name, value] of Object.entries(node.attribs)) collect(name + value, own);
    if (!sectionsNested(node.children, tags, own)) return false;
    const inside = new Set(own);
    for (const index of own) {
      const partner = tags[index].partner;
      if (partner !== null && !inside.has(partner)) return false;
    }
    found.push(...own);
  }
  return true;
}

function frameRunScripts(document: ParentNode, markers: MarkupMarkers): void {
  const runnable = DomUtils.findAll(
    (element) => element.name === 'script' && Object.hasOwn(element.attribs, 'atom-run'),
    document.children,
  );
  for (const script of runnable) {
    DomUtils.prepend(script, new Text(markers.runOpen));
    DomUtils.append(script, new Text(markers.runClose));
    DomUtils.prependChild(script, new Text(markers.runBody));
    DomUtils.appendChild(script, new Text(markers.runEnd));
  }
}

/**
 * The template text with ids and script markers in place and its markup written as dom-serializer
 * writes it; null when the template has to be finished per render instead.
 */
export function finishTemplateMarkup(text: string, markers: MarkupMarkers): string | null {
  if (text.includes(TOKEN_START) || text.includes(TOKEN_END)) return null;
  // null for a delimiter change or a syntax error (mustache.js then reports it when the writer parses)
  const tags = scanMustacheTags(text);
  if (!tags) return null;

  const parts: string[] = [];
  let cursor = 0;
  tags.forEach((tag, index) => {
    parts.push(text.slice(cursor, tag.start), `${TOKEN_START}${index}${TOKEN_END}`);
    cursor = tag.end;
  });
  parts.push(text.slice(cursor));

  const document = parseDocument(parts.join(''), { decodeEntities: false });
  if (!sectionsNested(document.children, tags)) return null;
  for (const node of document.children) {
    // <script>/<style> have their own node types and stay untouched, as do doctype and comments.
    if (node.type === 'tag') (node as Element).attribs[COMPONENT_ID_ATTRIBUTE] = markers.id;
  }
  frameRunScripts(document, markers);
  const written = renderDom(document, { decodeEntities: false, encodeEntities: false });

  // every tag must come back exactly once and in order, or the Mustache structure would change
  let expected = 0;
  for (const match of written.matchAll(TOKEN)) {
    if (Number(match[1]) !== expected) return null;
    expected++;
  }
  if (expected !== tags.length) return null;
  return written.replace(TOKEN, (_token, index: string) => {
    const tag = tags[Number(index)];
    return text.slice(tag.start, tag.end);
  });
}
