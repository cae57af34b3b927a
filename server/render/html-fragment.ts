// The DOM pass over one component's own output (before its children are filled in):
// every top-level element gets data-component-id (compatibility.md D11), and, for fragments and SPA payloads,
// <script atom-run> elements are taken out and replaced by markers (compatibility.md D15). Entities are neither
// decoded nor re-encoded, so text and attribute values round-trip as written.
import { DomUtils, parseDocument } from 'htmlparser2';
import { Comment, type Element } from 'domhandler';
import renderDom from 'dom-serializer';
import { COMPONENT_ID_ATTRIBUTE } from './component-id.js';

export interface FinishOptions {
  id: string;
  extractScripts: boolean;
  /** comment text of the marker that stands for the k-th extracted script */
  scriptMarker(index: number): string;
}

export interface FinishedFragment {
  html: string;
  scripts: string[];
}

export function finishComponentHtml(html: string, options: FinishOptions): FinishedFragment {
  const document = parseDocument(html, { decodeEntities: false });
  for (const node of document.children) {
    // <script>/<style> have their own node types and stay untouched, as do doctype and comments.
    if (node.type === 'tag') (node as Element).attribs[COMPONENT_ID_ATTRIBUTE] = options.id;
  }
  const scripts: string[] = [];
  if (options.extractScripts) {
    const runnable = DomUtils.findAll(
      (element) => element.name === 'script' && Object.hasOwn(element.attribs, 'atom-run'),
      document.children,
    );
    for (const script of runnable) {
      DomUtils.replaceElement(script, new Comment(options.scriptMarker(scripts.length)));
      scripts.push(DomUtils.textContent(script));
    }
  }
  return { html: renderDom(document, { decodeEntities: false, encodeEntities: false }), scripts };
}
