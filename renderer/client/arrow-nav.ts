// atom-arrows="<selector>": inside this container, ArrowDown and ArrowUp move focus to the next or
// previous element matching the selector (in document order) — e.g. from a search field into its
// results and back: atom-arrows="#search-input, .product". A textarea or select keeps its own arrows.
// atom-arrows-to="<selector>" on a field: ArrowDown or ArrowUp in it focuses the first visible match on
// the page — a till's scanner field steps into the receipt at its current line.
import { ATTR } from './attributes.js';
import { isDisabled, isVisible } from './dom.js';

function usable(el: Element): el is HTMLElement {
  return el instanceof HTMLElement && isVisible(el) && !isDisabled(el);
}

function queryAll(root: ParentNode, selector: string): Element[] {
  try {
    return [...root.querySelectorAll(selector)];
  } catch {
    return [];
  }
}

function moveTo(event: KeyboardEvent, next: HTMLElement | undefined): void {
  if (!next) return;
  event.preventDefault();
  next.focus();
  next.scrollIntoView({ block: 'nearest' });
}

export function handleArrowKey(event: KeyboardEvent): void {
  if (event.defaultPrevented || event.isComposing || event.ctrlKey || event.altKey || event.metaKey || event.shiftKey) return;
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  const active = document.activeElement;
  if (!(active instanceof HTMLElement) || active instanceof HTMLTextAreaElement || active instanceof HTMLSelectElement) return;
  const jumpTo = active.getAttribute(ATTR.arrowsTo)?.trim();
  if (jumpTo) {
    moveTo(event, queryAll(document, jumpTo).find(usable));
    return;
  }
  const container = active.closest(`[${ATTR.arrows}]`);
  const selector = container?.getAttribute(ATTR.arrows)?.trim();
  if (!container || !selector) return;
  const stops = queryAll(container, selector).filter(usable);
  const at = stops.indexOf(active);
  if (at < 0) return;
  moveTo(event, stops[event.key === 'ArrowDown' ? at + 1 : at - 1]);
}
