// Component style tags (<style data-component-name="…" id="style-for-<componentId>">). New ones are
// added or updated by id; after a swap only the styles of components that were inside the swapped
// container and are gone from the page are removed (compatibility.md D20): the layout's and other parts' stay.
import type { StyleEntry } from '../../protocol/wire.js';
import { componentIdPresent } from './dom.js';

const STYLE_ID_PREFIX = 'style-for-';

/** Whether the page has the style tag of this component id. */
export function styleTagPresent(componentId: string): boolean {
  return document.getElementById(STYLE_ID_PREFIX + componentId) !== null;
}

export function upsertStyles(entries: StyleEntry[], nonce: string): void {
  for (const entry of entries) {
    if (!entry || typeof entry.css !== 'string' || !entry.id) continue;
    const existing = document.getElementById(STYLE_ID_PREFIX + entry.id);
    if (existing instanceof HTMLStyleElement) {
      if (existing.textContent !== entry.css) existing.textContent = entry.css;
      continue;
    }
    const style = document.createElement('style');
    if (nonce) style.nonce = nonce;
    style.setAttribute('data-component-name', entry.name);
    style.id = STYLE_ID_PREFIX + entry.id;
    style.textContent = entry.css;
    document.head.appendChild(style);
  }
}

/** Removes the style tags of these component ids when no element of that component is left. */
export function removeOrphanStyles(formerIds: Iterable<string>): void {
  const candidates = new Set<string>();
  for (const id of formerIds) {
    candidates.add(id);
    // the n-th instance of a component ("<id>-<n>") shares the style tag of "<id>"
    candidates.add(id.replace(/-\d+$/, ''));
  }
  for (const id of candidates) {
    if (componentIdPresent(id)) continue;
    const style = document.getElementById(STYLE_ID_PREFIX + id);
    if (style instanceof HTMLStyleElement && style.hasAttribute('data-component-name')) style.remove();
  }
}
