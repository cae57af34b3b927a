// Keeping focus, caret, selection and unsent typing across swaps: a swap replaces the focused field
// with a fresh copy, so its place is remembered by a key (id, else name + index, else tree path),
// found again in the new HTML and given back focus, caret, scroll and — when the server was not
// answering this very text — what the user had typed.
import { isTextField, type TextField } from './dom.js';
import type { SwapKind } from './sequencer.js';

/** The focused text field and its value when a request was sent (set by the action runner). */
export interface SentField {
  el: TextField;
  value: string;
}

interface Remembered {
  key: string;
  value?: string;
  keepValue: boolean;
  start: number | null;
  end: number | null;
  direction: 'forward' | 'backward' | 'none' | null;
  scrollTop: number;
  scrollLeft: number;
}

export interface FocusSnapshot {
  focused: Remembered | null;
  /** fields the user changed but did not send; carried over by refreshes */
  edited: Array<{ key: string; value?: string; checked?: boolean; defaultValue: string; defaultChecked: boolean }>;
  rootScroll: { top: number; left: number };
}

function indexAmongTag(el: Element): number {
  let index = 0;
  for (let sibling = el.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
    if (sibling.tagName === el.tagName) index += 1;
  }
  return index;
}

/** A locator for `el` that also finds its counterpart in freshly rendered HTML under `root`. */
export function keyOf(el: Element, root: Element): string {
  if (el.id) return `id:${el.id}`;
  const name = el.getAttribute('name');
  if (name) {
    const same = Array.from(root.querySelectorAll(`[name="${CSS.escape(name)}"]`));
    return `name:${same.indexOf(el)}:${name}`;
  }
  const path: string[] = [];
  for (let node: Element | null = el; node && node !== root; node = node.parentElement) {
    path.unshift(`${node.tagName}:${indexAmongTag(node)}`);
  }
  return `path:${path.join('/')}`;
}

export function findByKey(key: string, root: Element): Element | null {
  if (key.startsWith('id:')) {
    const found = document.getElementById(key.slice(3));
    return found && root.contains(found) ? found : null;
  }
  if (key.startsWith('name:')) {
    const rest = key.slice(5);
    const colon = rest.indexOf(':');
    const index = Number(rest.slice(0, colon));
    const name = rest.slice(colon + 1);
    return root.querySelectorAll(`[name="${CSS.escape(name)}"]`)[index] ?? null;
  }
  let node: Element | null = root;
  for (const step of key.slice(5).split('/')) {
    if (!node || step === '') break;
    const [tag, indexText] = step.split(':');
    const index = Number(indexText);
    let seen = -1;
    let next: Element | null = null;
    for (const child of node.children) {
      if (child.tagName === tag && ++seen === index) {
        next = child;
        break;
      }
    }
    node = next;
  }
  return node === root ? null : node;
}

export function captureFocus(root: Element, kind: SwapKind, sent: SentField | null | undefined): FocusSnapshot {
  const snapshot: FocusSnapshot = {
    focused: null,
    edited: [],
    rootScroll: { top: root.scrollTop, left: root.scrollLeft },
  };
  const active = document.activeElement;
  if (active && active !== root && root.contains(active)) {
    const text = isTextField(active);
    const remembered: Remembered = {
      key: keyOf(active, root),
      keepValue: false,
      start: null,
      end: null,
      direction: null,
      scrollTop: active.scrollTop,
      scrollLeft: active.scrollLeft,
    };
    if (text) {
      remembered.value = active.value;
      // the server's rendering wins only when it answered exactly the text that is in the field now
      remembered.keepValue = kind === 'refresh' || !sent || sent.el !== active || sent.value !== active.value;
      try {
        remembered.start = active.selectionStart;
        remembered.end = active.selectionEnd;
        remembered.direction = active.selectionDirection;
      } catch {
        // number/email inputs expose no selection
      }
    }
    snapshot.focused = remembered;
  }
  if (kind === 'refresh') {
    for (const field of root.querySelectorAll('input, textarea')) {
      if (field === active) continue;
      const input = field as TextField;
      if (input instanceof HTMLInputElement && (input.type === 'checkbox' || input.type === 'radio')) {
        if (input.checked !== input.defaultChecked) {
          snapshot.edited.push({ key: keyOf(input, root), checked: input.checked, defaultValue: input.value, defaultChecked: input.defaultChecked });
        }
      } else if (isTextField(input) && input.value !== input.defaultValue) {
        snapshot.edited.push({ key: keyOf(input, root), value: input.value, defaultValue: input.defaultValue, defaultChecked: false });
      }
    }
  }
  return snapshot;
}

export function restoreFocus(root: Element, snapshot: FocusSnapshot): void {
  // an edit survives a refresh only if the server still renders the field as it was
  for (const edit of snapshot.edited) {
    const field = findByKey(edit.key, root);
    if (edit.checked !== undefined && field instanceof HTMLInputElement && field.defaultChecked === edit.defaultChecked) {
      field.checked = edit.checked;
    } else if (edit.value !== undefined && isTextField(field) && field.defaultValue === edit.defaultValue) {
      field.value = edit.value;
    }
  }
  root.scrollTop = snapshot.rootScroll.top;
  root.scrollLeft = snapshot.rootScroll.left;
  const remembered = snapshot.focused;
  if (!remembered) return;
  const el = findByKey(remembered.key, root);
  if (!(el instanceof HTMLElement || el instanceof SVGElement)) return;
  if (remembered.keepValue && remembered.value !== undefined && isTextField(el) && el.value !== remembered.value) {
    el.value = remembered.value;
  }
  if (document.activeElement !== el) el.focus({ preventScroll: true });
  if (isTextField(el) && remembered.start !== null && remembered.end !== null) {
    const length = el.value.length;
    try {
      el.setSelectionRange(Math.min(remembered.start, length), Math.min(remembered.end, length), remembered.direction ?? 'none');
    } catch {
      // input types without a selection
    }
  }
  el.scrollTop = remembered.scrollTop;
  el.scrollLeft = remembered.scrollLeft;
}
