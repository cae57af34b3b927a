// atom-keys="Delete=.remove; +=.more; -=.less" on an element (a receipt line): while focus is on it, or
// on a button or link inside it, pressing one of the keys clicks the first visible, enabled element
// matching its selector inside it. Focus then stays on the element (not on the scanner's home field),
// so + can be pressed again; the swap that follows gives it back to the same element by id.
// Keys are KeyboardEvent.key values ("Delete", "+", "-", "Backspace"…); modified keys (Ctrl, Alt, Meta)
// are left alone, Shift is allowed ("+" needs it on most layouts). Text fields keep their keys.
import { ATTR } from './attributes.js';
import { isDisabled, isInputLike, isVisible } from './dom.js';

/** "Delete=.remove; +=.more" → Map { Delete → .remove, + → .more }; malformed parts are skipped. */
export function parseKeyMap(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const part of text.split(';')) {
    const trimmed = part.trim();
    const eq = trimmed.indexOf('=', 1); // from 1: the key may itself be "="
    if (eq < 0) continue;
    const key = trimmed.slice(0, eq).trim();
    const selector = trimmed.slice(eq + 1).trim();
    if (key && selector) map.set(key, selector);
  }
  return map;
}

export function handleItemKey(event: KeyboardEvent): void {
  if (event.defaultPrevented || event.isComposing || event.ctrlKey || event.altKey || event.metaKey) return;
  const active = document.activeElement;
  if (!(active instanceof HTMLElement) || isInputLike(active)) return;
  const owner = active.closest(`[${ATTR.keys}]`);
  if (!(owner instanceof HTMLElement)) return;
  const selector = parseKeyMap(owner.getAttribute(ATTR.keys) ?? '').get(event.key);
  if (!selector) return;
  let target: Element | undefined;
  try {
    target = [...owner.querySelectorAll(selector)].find((el) => el instanceof HTMLElement && isVisible(el) && !isDisabled(el));
  } catch {
    return;
  }
  if (!(target instanceof HTMLElement)) return;
  event.preventDefault();
  target.click();
  // the click handed focus to the home field (an action confirmed elsewhere): the keyboard stays here
  if (owner.isConnected) owner.focus({ preventScroll: true });
}
