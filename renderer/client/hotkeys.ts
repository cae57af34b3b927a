// atom-hotkey="F9" | "Ctrl+Enter" | "Escape": a global key that triggers the element.

export interface Hotkey {
  key: string;
  ctrl: boolean;
  alt: boolean;
  shift: boolean;
  meta: boolean;
}

const KEY_ALIASES: Record<string, string> = {
  esc: 'escape',
  del: 'delete',
  ins: 'insert',
  space: ' ',
  spacebar: ' ',
  return: 'enter',
  plus: '+',
  up: 'arrowup',
  down: 'arrowdown',
  left: 'arrowleft',
  right: 'arrowright',
};

/** "Ctrl+Shift+K" → {key:'k', ctrl, shift}; returns null for an empty or malformed text. */
export function parseHotkey(text: string): Hotkey | null {
  const parts = text.split('+').map((part) => part.trim());
  // "Ctrl++" names the plus key: the split leaves two empty parts at the end
  if (parts.length >= 2 && parts[parts.length - 1] === '' && parts[parts.length - 2] === '') parts.splice(-2, 2, '+');
  const hotkey: Hotkey = { key: '', ctrl: false, alt: false, shift: false, meta: false };
  for (const [index, raw] of parts.entries()) {
    const part = raw.toLowerCase();
    if (part === '') return null;
    const isLast = index === parts.length - 1;
    if (!isLast) {
      if (part === 'ctrl' || part === 'control') hotkey.ctrl = true;
      else if (part === 'alt' || part === 'option') hotkey.alt = true;
      else if (part === 'shift') hotkey.shift = true;
      else if (part === 'meta' || part === 'cmd' || part === 'win') hotkey.meta = true;
      else return null;
      continue;
    }
    hotkey.key = KEY_ALIASES[part] ?? part;
  }
  return hotkey.key ? hotkey : null;
}

export interface KeyEventLike {
  key: string;
  code: string;
  ctrlKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  metaKey: boolean;
}

export function matchesHotkey(hotkey: Hotkey, event: KeyEventLike): boolean {
  if (hotkey.ctrl !== event.ctrlKey || hotkey.alt !== event.altKey || hotkey.meta !== event.metaKey) return false;
  const key = event.key.toLowerCase();
  // Shift is part of the character for printable keys ("?" is Shift+/), so only compare it for named keys
  const printable = event.key.length === 1;
  if (!printable && hotkey.shift !== event.shiftKey) return false;
  if (key === hotkey.key) return true;
  // letters and digits also match by physical key, so Ctrl+K works on a Russian layout too
  if (/^[a-z]$/.test(hotkey.key)) return event.code === `Key${hotkey.key.toUpperCase()}`;
  if (/^[0-9]$/.test(hotkey.key)) return event.code === `Digit${hotkey.key}` || event.code === `Numpad${hotkey.key}`;
  return false;
}

/** Whether a hotkey should fire while the user types in a text field: not for plain characters or Enter. */
export function firesWhileTyping(hotkey: Hotkey): boolean {
  if (hotkey.ctrl || hotkey.alt || hotkey.meta) return true;
  return hotkey.key.length > 1 && hotkey.key !== 'enter' && hotkey.key !== 'backspace' && hotkey.key !== 'delete'
    && !hotkey.key.startsWith('arrow') && hotkey.key !== 'home' && hotkey.key !== 'end' && hotkey.key !== 'tab';
}
