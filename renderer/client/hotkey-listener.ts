// The global keydown handling of atom-hotkey elements.
import { ATTR } from './attributes.js';
import { isDisabled, isTextField, isVisible, isInputLike } from './dom.js';
import { firesWhileTyping, matchesHotkey, parseHotkey } from './hotkeys.js';

/** What a hotkey does to its element: a field is focused (text selected), a form submitted, others clicked. */
export function activateHotkeyTarget(el: HTMLElement): void {
  if (isInputLike(el)) {
    el.focus();
    if (isTextField(el)) el.select();
    return;
  }
  if (el instanceof HTMLFormElement) {
    el.requestSubmit();
    return;
  }
  el.click();
}

/** Finds the first visible, enabled element whose atom-hotkey matches; triggers it. */
export function handleHotkey(event: KeyboardEvent): void {
  if (event.defaultPrevented || event.repeat || event.isComposing) return;
  const typing = isTextField(document.activeElement) || (document.activeElement as HTMLElement | null)?.isContentEditable === true;
  for (const el of document.querySelectorAll(`[${ATTR.hotkey}]`)) {
    if (!(el instanceof HTMLElement)) continue;
    const hotkey = parseHotkey(el.getAttribute(ATTR.hotkey) ?? '');
    if (!hotkey || !matchesHotkey(hotkey, event)) continue;
    if (typing && !firesWhileTyping(hotkey)) continue;
    if (!isVisible(el) || isDisabled(el)) continue;
    event.preventDefault();
    activateHotkeyTarget(el);
    return;
  }
}
