// atom-clear="<css selector>" on an action trigger or any ancestor: once its action succeeds, the text
// fields matching the selector are emptied and their own live action (atom-event="input") is sent at
// once with the empty value — a till's sale clears the catalogue search and the list is re-rendered
// whole. Sent at once, not debounced: it queues behind a filter request typed before the sale, so the
// empty one is answered last. Fields without such an action get an `input` event for the page's own code.
import { ATTR, requiredEvent } from './attributes.js';
import { isTextField } from './dom.js';

export function clearAfterSuccess(trigger: Element, sendNow: (field: Element) => void): void {
  const selector = trigger.closest(`[${ATTR.clear}]`)?.getAttribute(ATTR.clear)?.trim();
  if (!selector) return;
  let fields: Element[];
  try {
    fields = [...document.querySelectorAll(selector)];
  } catch {
    return;
  }
  for (const field of fields) {
    if (!isTextField(field) || field.value === '') continue;
    field.value = '';
    if (field.hasAttribute(ATTR.action) && requiredEvent(field) === 'input') sendNow(field);
    else field.dispatchEvent(new Event('input', { bubbles: true }));
  }
}
