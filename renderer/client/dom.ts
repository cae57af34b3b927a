// Small DOM predicates shared by the client modules.

export type TextField = HTMLInputElement | HTMLTextAreaElement;

const NON_TEXT_INPUT_TYPES = new Set([
  'button', 'submit', 'reset', 'image', 'checkbox', 'radio', 'file', 'hidden', 'range', 'color',
]);

/** An input the user types characters into. */
export function isTextField(el: Element | null): el is TextField {
  if (el instanceof HTMLTextAreaElement) return true;
  return el instanceof HTMLInputElement && !NON_TEXT_INPUT_TYPES.has(el.type);
}

/** Anything a person operates with the keyboard while it has focus: text fields, selects, toggles. */
export function isInputLike(el: Element | null): boolean {
  if (!el) return false;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement) return !['button', 'submit', 'reset', 'image', 'hidden'].includes(el.type);
  return el instanceof HTMLElement && el.isContentEditable;
}

export function isVisible(el: Element): boolean {
  const checker = (el as Element & { checkVisibility?: () => boolean }).checkVisibility;
  if (typeof checker === 'function') return checker.call(el);
  return el.getClientRects().length > 0;
}

export function isDisabled(el: Element): boolean {
  return el.matches(':disabled');
}

export const COMPONENT_ID_ATTRIBUTE = 'data-component-id';

/** Component ids present in (and including) a subtree. */
export function componentIdsIn(root: Element): Set<string> {
  const ids = new Set<string>();
  const own = root.getAttribute(COMPONENT_ID_ATTRIBUTE);
  if (own) ids.add(own);
  for (const el of root.querySelectorAll(`[${COMPONENT_ID_ATTRIBUTE}]`)) {
    const id = el.getAttribute(COMPONENT_ID_ATTRIBUTE);
    if (id) ids.add(id);
  }
  return ids;
}

/** Whether any instance of the component is on the page (instances are "<id>" or "<id>-<n>"). */
export function componentIdPresent(id: string): boolean {
  return document.querySelector(`[${COMPONENT_ID_ATTRIBUTE}|="${CSS.escape(id)}"]`) !== null;
}
