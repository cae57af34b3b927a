// Keys for a touch screen, which has no F-keys and (on a till tablet) should not need the OS keyboard:
//  - atom-press="F9" on a button: a tap does what pressing the key does (the first visible, enabled
//    element whose atom-hotkey is that key is clicked, focused or submitted) — the till's key hints
//    become tap buttons;
//  - atom-type="7" | "." | "Backspace" | "Clear" | "Enter" on a button (a number pad): a tap types into
//    the text field that has focus, or had it last, and the field keeps focus (the button never takes
//    it): characters replace the selection, Backspace deletes, Clear empties, Enter submits the
//    field's form as the Enter key would. Each change sends the field an `input` event, so its live
//    action (a change preview) runs as if typed.
import { ATTR } from './attributes.js';
import { isDisabled, isTextField, isVisible, type TextField } from './dom.js';
import { parseHotkey, type Hotkey } from './hotkeys.js';
import { activateHotkeyTarget } from './hotkey-listener.js';

let lastField: TextField | null = null;

const sameHotkey = (a: Hotkey, b: Hotkey): boolean =>
  a.key === b.key && a.ctrl === b.ctrl && a.alt === b.alt && a.shift === b.shift && a.meta === b.meta;

function press(text: string): void {
  const wanted = parseHotkey(text);
  if (!wanted) return;
  for (const el of document.querySelectorAll(`[${ATTR.hotkey}]`)) {
    if (!(el instanceof HTMLElement) || !isVisible(el) || isDisabled(el)) continue;
    const hotkey = parseHotkey(el.getAttribute(ATTR.hotkey) ?? '');
    if (hotkey && sameHotkey(hotkey, wanted)) {
      activateHotkeyTarget(el);
      return;
    }
  }
}

function typeInto(field: TextField, key: string): void {
  field.focus({ preventScroll: true });
  if (key === 'Enter') {
    const form = field.form;
    if (!form) return;
    // as the Enter key: submitted by the form's first submit button (a pay form's default method)
    const submitter = form.querySelector<HTMLElement>('button[type="submit"], button:not([type]), input[type="submit"]');
    form.requestSubmit(submitter && !isDisabled(submitter) ? submitter : undefined);
    return;
  }
  const start = field.selectionStart ?? field.value.length;
  const end = field.selectionEnd ?? field.value.length;
  if (key === 'Clear') field.value = '';
  else if (key === 'Backspace') {
    if (start !== end) field.setRangeText('', start, end, 'end');
    else if (start > 0) field.setRangeText('', start - 1, start, 'end');
  } else field.setRangeText(key, start, end, 'end');
  field.dispatchEvent(new Event('input', { bubbles: true }));
}

export function installTapKeys(): void {
  document.addEventListener('focusin', (event) => {
    if (isTextField(event.target as Element | null)) lastField = event.target as TextField;
  });
  // the pad's buttons never take focus from the field they type into
  document.addEventListener('mousedown', (event) => {
    if ((event.target as Element | null)?.closest?.(`[${ATTR.type}]`)) event.preventDefault();
  });
  document.addEventListener('click', (event) => {
    const target = event.target as Element | null;
    const presser = target?.closest?.(`[${ATTR.press}]`);
    if (presser instanceof HTMLElement && !isDisabled(presser)) {
      press(presser.getAttribute(ATTR.press) ?? '');
      return;
    }
    const typer = target?.closest?.(`[${ATTR.type}]`);
    if (!(typer instanceof HTMLElement) || isDisabled(typer)) return;
    const active = document.activeElement;
    const field = isTextField(active) ? active : lastField?.isConnected ? lastField : null;
    if (field && !isDisabled(field)) typeInto(field, typer.getAttribute(ATTR.type) ?? '');
  });
}
