// The atom-* attributes the client understands (documented in docs/ATTRIBUTES.md) and their parsing.

export { ATTR, ACTION_EVENTS } from '../../protocol/wire.js';
import { ATTR } from '../../protocol/wire.js';

export const BUSY_CLASS = 'atom-busy';

export interface ActionSpec {
  method: string;
  url: string;
}

/** "POST /x" → {POST, /x}; a lone URL means POST. Extra whitespace is tolerated. */
export function parseActionSpec(text: string | null): ActionSpec | null {
  if (text === null) return null;
  const parts = text.trim().split(/\s+/).filter(Boolean);
  if (parts.length === 0) return null;
  if (parts.length === 1) return { method: 'POST', url: parts[0] };
  return { method: parts[0].toUpperCase(), url: parts[1] };
}

/**
 * The DOM event an atom-action element reacts to. An element that names a server event with
 * atom-on-event and no atom-event of its own only reacts to that server event (a soft-refresh root
 * should not re-fetch on every click inside it); null means "no DOM event".
 */
export function requiredEvent(el: Element): string | null {
  const explicit = el.getAttribute(ATTR.event);
  if (explicit !== null && explicit.trim() !== '') return explicit.trim().toLowerCase();
  if (el.hasAttribute(ATTR.onEvent)) return null;
  return el instanceof HTMLFormElement ? 'submit' : 'click';
}

/** atom-debounce="300" → 300; absent or not a number → 0. */
export function debounceMs(el: Element): number {
  const raw = el.getAttribute(ATTR.debounce);
  if (raw === null) return 0;
  const ms = Number.parseInt(raw, 10);
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}
