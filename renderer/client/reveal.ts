// atom-reveal: an element carrying it is scrolled into sight (the nearest edge, only as far as needed)
// whenever it enters the page — on load, and each time a swap, a refresh or a pushed fragment renders
// it anew. atom-reveal="false" is ignored, so a template can write atom-reveal="{{current}}" on every
// line of a list. A receipt marks its current line so, and the line just scanned or changed is always
// in view, in a long list too.
import { ATTR } from './attributes.js';

function reveal(el: Element): void {
  if (el.getAttribute(ATTR.reveal)?.trim().toLowerCase() === 'false') return;
  if (el.isConnected) el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
}

/** Reveals the marked elements on the page now, and every marked element added later. */
export function watchReveal(): void {
  const selector = `[${ATTR.reveal}]`;
  for (const el of document.querySelectorAll(selector)) reveal(el);
  new MutationObserver((records) => {
    const marked = new Set<Element>();
    for (const record of records) {
      if (record.type === 'attributes') {
        if (record.target instanceof Element && record.target.hasAttribute(ATTR.reveal)) marked.add(record.target);
        continue;
      }
      for (const node of record.addedNodes) {
        if (!(node instanceof Element)) continue;
        if (node.matches(selector)) marked.add(node);
        for (const el of node.querySelectorAll(selector)) marked.add(el);
      }
    }
    for (const el of marked) reveal(el);
  }).observe(document.body, { childList: true, subtree: true, attributes: true, attributeFilter: [ATTR.reveal] });
}
