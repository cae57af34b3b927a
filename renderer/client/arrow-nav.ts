// atom-arrows="<selector>": inside this container, ArrowDown and ArrowUp move focus to the next or
// previous element matching the selector (in document order) — e.g. from a search field into its
// results and back: atom-arrows="#search-input, .product". A textarea or select keeps its own arrows.
import { ATTR } from './attributes.js';
import { isDisabled, isVisible } from './dom.js';

export function handleArrowKey(event: KeyboardEvent): void {
  if (event.defaultPrevented || event.isComposing || event.ctrlKey || event.altKey || event.metaKey || event.shiftKey) return;
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  const active = document.activeElement;
  if (!(active instanceof HTMLElement) || active instanceof HTMLTextAreaElement || active instanceof HTMLSelectElement) return;
  const container = active.closest(`[${ATTR.arrows}]`);
  const selector = container?.getAttribute(ATTR.arrows)?.trim();
  if (!container || !selector) return;
  let stops: HTMLElement[];
  try {
    stops = [...container.querySelectorAll(selector)].filter(
      (el): el is HTMLElement => el instanceof HTMLElement && isVisible(el) && !isDisabled(el),
    );
  } catch {
    return;
  }
  const at = stops.indexOf(active);
  if (at < 0) return;
  const next = stops[event.key === 'ArrowDown' ? at + 1 : at - 1];
  if (!next) return;
  event.preventDefault();
  next.focus();
  next.scrollIntoView({ block: 'nearest' });
}
