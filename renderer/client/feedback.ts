// What the person at the till sees besides the swapped HTML: toasts, an error element the template
// names (atom-error), the offline banner and the dev-mode error overlay. Styled through the CSSOM
// (element.style), which a strict style CSP still allows, and plain enough for any app's look.
import type { ErrorBody } from '../../protocol/wire.js';
import { ATTR } from './attributes.js';
import { isTextField } from './dom.js';
import { UI } from './ui-strings.js';

const TOAST_MS = 6000;
const MAX_TOASTS = 4;

function styled<K extends keyof HTMLElementTagNameMap>(tag: K, css: Partial<CSSStyleDeclaration>): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  Object.assign(el.style, css);
  return el;
}

function toastStack(): HTMLElement {
  let stack = document.getElementById('atom-toasts');
  if (!stack) {
    stack = styled('div', {
      position: 'fixed', left: '50%', bottom: '24px', transform: 'translateX(-50%)', zIndex: '2147483000',
      display: 'flex', flexDirection: 'column', gap: '8px', alignItems: 'center', maxWidth: 'min(640px, 92vw)',
    });
    stack.id = 'atom-toasts';
    document.body.appendChild(stack);
  }
  return stack;
}

/** Shows a message in a toast (role="alert"), dismissed after a few seconds or on click. */
export function showToast(message: string, tone: 'error' | 'info' = 'error'): HTMLElement {
  const stack = toastStack();
  for (const existing of stack.children) {
    if (existing.textContent === message && existing instanceof HTMLElement) {
      armDismiss(existing);
      return existing;
    }
  }
  const toast = styled('div', {
    background: tone === 'error' ? '#b42318' : '#1d2530', color: '#fff', padding: '12px 18px', borderRadius: '10px',
    boxShadow: '0 6px 24px rgba(0,0,0,.25)', font: '600 16px/1.4 system-ui, sans-serif', cursor: 'pointer',
    whiteSpace: 'pre-line',
  });
  toast.className = `atom-toast atom-toast-${tone}`;
  toast.setAttribute('role', 'alert');
  toast.title = UI.dismiss;
  toast.textContent = message;
  toast.addEventListener('click', () => toast.remove());
  stack.appendChild(toast);
  while (stack.children.length > MAX_TOASTS) stack.firstElementChild?.remove();
  armDismiss(toast);
  return toast;
}

const dismissTimers = new WeakMap<HTMLElement, number>();

function armDismiss(toast: HTMLElement): void {
  const previous = dismissTimers.get(toast);
  if (previous !== undefined) clearTimeout(previous);
  dismissTimers.set(toast, window.setTimeout(() => toast.remove(), TOAST_MS));
}

function fieldLines(error: ErrorBody): string[] {
  if (!error.fields || typeof error.fields !== 'object') return [];
  return Object.entries(error.fields)
    .filter(([, text]) => typeof text === 'string' && text !== error.message)
    .map(([field, text]) => `${field}: ${text}`);
}

const shownSlots = new WeakMap<HTMLElement, { hidden: boolean }>();

/** Shows an action's error in `slot` (the atom-error element) or, without one, in a toast. */
export function showError(error: ErrorBody, slot: HTMLElement | null): void {
  const lines = fieldLines(error);
  if (!slot) {
    showToast([error.message, ...lines].join('\n'));
    return;
  }
  if (!shownSlots.has(slot)) shownSlots.set(slot, { hidden: slot.hidden });
  slot.replaceChildren(document.createTextNode(error.message));
  if (lines.length > 0) {
    const list = document.createElement('ul');
    for (const line of lines) {
      const item = document.createElement('li');
      item.textContent = line;
      list.appendChild(item);
    }
    slot.appendChild(list);
  }
  if (!slot.hasAttribute('role')) slot.setAttribute('role', 'alert');
  slot.hidden = false;
  slot.classList.add('atom-error-shown');
}

export function clearError(slot: HTMLElement | null): void {
  if (!slot) return;
  const before = shownSlots.get(slot);
  if (!before) return;
  shownSlots.delete(slot);
  slot.replaceChildren();
  slot.hidden = before.hidden;
  slot.classList.remove('atom-error-shown');
}

/**
 * Marks the form fields the server named as invalid (aria-invalid), clearing earlier marks, and puts each
 * field's message beside it: in the form's `atom-field-error="<field name>"` element (emptied and hidden
 * again once the field is no longer named).
 */
export function markInvalidFields(form: HTMLFormElement | null, fields: Record<string, string> | undefined): void {
  if (!form) return;
  for (const el of form.querySelectorAll('[aria-invalid="true"][name]')) el.removeAttribute('aria-invalid');
  for (const slot of form.querySelectorAll(`[${ATTR.fieldError}]`)) {
    if (!(slot instanceof HTMLElement)) continue;
    const name = slot.getAttribute(ATTR.fieldError) ?? '';
    const text = fields && Object.hasOwn(fields, name) && typeof fields[name] === 'string' ? fields[name] : '';
    slot.textContent = text;
    slot.hidden = text === '';
    slot.classList.toggle('atom-field-error-shown', text !== '');
  }
  if (!fields) return;
  for (const name of Object.keys(fields)) {
    for (const el of form.querySelectorAll(`[name="${CSS.escape(name)}"]`)) el.setAttribute('aria-invalid', 'true');
  }
}

/**
 * Where the offline banner goes, from `atom-offline` on <html> or <body>: "none" shows no banner (a
 * customer display must show nothing technical), a selector puts it inside that element as an inline
 * badge (a slot the layout keeps free), absent (or a selector matching nothing) a small fixed banner at
 * the bottom left, clear of a page's top navigation.
 */
function offlinePlacement(): 'none' | 'fixed' | HTMLElement {
  const spec = (document.body?.getAttribute(ATTR.offline) ?? document.documentElement.getAttribute(ATTR.offline))?.trim();
  if (!spec) return 'fixed';
  if (spec.toLowerCase() === 'none') return 'none';
  try {
    const slot = document.querySelector(spec);
    return slot instanceof HTMLElement ? slot : 'fixed';
  } catch {
    return 'fixed';
  }
}

/** The offline banner and data-offline on <html>, shown while the socket is down. */
export function setOffline(offline: boolean): void {
  const root = document.documentElement;
  let banner = document.getElementById('atom-offline');
  if (!offline) {
    root.removeAttribute('data-offline');
    banner?.remove();
    return;
  }
  root.setAttribute('data-offline', '');
  if (banner) return;
  const placement = offlinePlacement();
  if (placement === 'none') return;
  const look: Partial<CSSStyleDeclaration> = {
    background: '#b54708', color: '#fff', font: '600 15px/1.4 system-ui, sans-serif', whiteSpace: 'nowrap',
  };
  banner =
    placement === 'fixed'
      ? styled('div', {
          ...look, position: 'fixed', bottom: '12px', left: '12px', zIndex: '2147483001', padding: '6px 16px',
          borderRadius: '10px', boxShadow: '0 4px 16px rgba(0,0,0,.2)',
        })
      : styled('span', { ...look, display: 'inline-block', padding: '2px 10px', borderRadius: '8px' });
  banner.id = 'atom-offline';
  banner.setAttribute('role', 'status');
  banner.textContent = UI.offline;
  (placement === 'fixed' ? document.body : placement).appendChild(banner);
}

/**
 * After the connection is back and the page is refreshed: messages of failures that happened while it
 * was down (error slots, toasts, invalid-field marks) are stale, and so is the text left in atom-reset
 * forms (it was sent once and failed; the cashier does it again on fresh data).
 */
export function clearStaleFeedback(): void {
  for (const slot of document.querySelectorAll('.atom-error-shown')) if (slot instanceof HTMLElement) clearError(slot);
  document.getElementById('atom-toasts')?.replaceChildren();
  for (const el of document.querySelectorAll('[aria-invalid="true"]')) el.removeAttribute('aria-invalid');
  for (const form of document.querySelectorAll(`form[${ATTR.reset}]`)) {
    if (!(form instanceof HTMLFormElement)) continue;
    for (const field of form.elements) {
      // a field being typed into right now is new input, not a leftover
      if (isTextField(field) && field !== document.activeElement) field.value = '';
    }
  }
}

/**
 * The host's own problem (it cannot save: a full disk), as a banner at the bottom of every page until the host
 * says writing works again; null removes it. Pages for customers opt out with `atom-no-banners` on <html>
 * or <body> (they should see nothing technical).
 */
export function setHostProblem(message: string | null): void {
  const root = document.documentElement;
  let banner = document.getElementById('atom-host-status');
  if (message === null || root.hasAttribute(ATTR.noBanners) || document.body.hasAttribute(ATTR.noBanners)) {
    root.removeAttribute('data-host-problem');
    banner?.remove();
    return;
  }
  root.setAttribute('data-host-problem', '');
  if (!banner) {
    banner = styled('div', {
      // at the bottom: the page's own navigation at the top stays usable
      position: 'fixed', bottom: '0', left: '0', right: '0', zIndex: '2147483000', textAlign: 'center',
      background: '#b42318', color: '#fff', padding: '8px 16px',
      font: '600 15px/1.4 system-ui, sans-serif', boxShadow: '0 4px 16px rgba(0,0,0,.2)',
    });
    banner.id = 'atom-host-status';
    banner.setAttribute('role', 'alert');
    document.body.appendChild(banner);
  }
  banner.textContent = message;
}

/** Dev mode: a fixed overlay listing the app's current errors; an empty list removes it. */
export function showDevErrors(errors: readonly unknown[]): void {
  document.getElementById('atom-dev-errors')?.remove();
  const texts = errors.map((error) => String(error));
  if (texts.length === 0) return;
  const overlay = styled('div', {
    position: 'fixed', inset: '16px', zIndex: '2147483002', overflow: 'auto', background: 'rgba(24,24,27,.96)',
    color: '#fca5a5', padding: '20px 24px', borderRadius: '12px', font: '14px/1.5 ui-monospace, monospace',
    whiteSpace: 'pre-wrap',
  });
  overlay.id = 'atom-dev-errors';
  overlay.setAttribute('role', 'alert');
  const title = styled('div', { color: '#fff', font: '700 18px/1.4 system-ui, sans-serif', marginBottom: '12px' });
  title.textContent = UI.devErrorsTitle;
  const close = styled('button', { float: 'right', font: 'inherit', cursor: 'pointer' });
  close.type = 'button';
  close.textContent = UI.dismiss;
  close.addEventListener('click', () => overlay.remove());
  overlay.append(close, title);
  for (const text of texts) {
    const item = styled('div', { borderTop: '1px solid #3f3f46', padding: '8px 0' });
    item.textContent = text;
    overlay.appendChild(item);
  }
  document.body.appendChild(overlay);
}
