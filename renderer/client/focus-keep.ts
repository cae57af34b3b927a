// atom-focus="keep": the element gets focus back whenever focus would otherwise be lost — to <body>
// (after swaps, refreshes, a click on empty space) or to a button or link a pointer just clicked —
// unless another input has it. A till's scanner field thus always receives the next scan.
//
// atom-focus="home" does all of that and more, for a page with one field that takes most input (a
// till's scanner field): every action confirmed elsewhere on the page (a form submitted, a button
// pressed, by mouse or keyboard) hands focus back to it at once — as the request leaves, not when the
// answer comes, because a scanner types the next code straight after Enter — and a character typed
// while nothing that takes text has focus (a button, a link, the page) is typed into it.
import { ATTR, requiredEvent } from './attributes.js';
import { formOf } from './body.js';
import { isDisabled, isInputLike, isTextField, isVisible } from './dom.js';

function firstUsable(selector: string): HTMLElement | null {
  for (const el of document.querySelectorAll(selector)) {
    if (el instanceof HTMLElement && isVisible(el) && !isDisabled(el)) return el;
  }
  return null;
}

const keepElement = (): HTMLElement | null => firstUsable(`[${ATTR.focus}="keep"], [${ATTR.focus}="home"]`);
const homeElement = (): HTMLElement | null => firstUsable(`[${ATTR.focus}="home"]`);

/** Whether the focused element takes typed characters itself (a text field, a select, editable text). */
function takesText(el: Element | null): boolean {
  if (!el) return false;
  if (isTextField(el) || el instanceof HTMLSelectElement) return true;
  return el instanceof HTMLElement && el.isContentEditable;
}

/** The atom-action element a DOM event of this type triggers (the action runner's own rule). */
function triggeredAction(event: Event): Element | null {
  if (!(event.target instanceof Element)) return null;
  const el = event.target.closest(`[${ATTR.action}]`);
  return el && requiredEvent(el) === event.type ? el : null;
}

export class FocusKeeper {
  private scheduled = false;

  install(): void {
    document.addEventListener(
      'focusout',
      (event) => {
        if (!(event as FocusEvent).relatedTarget) this.schedule(false);
      },
      true,
    );
    // bubble phase on window: runs after the page's own click handlers and after the action runner
    // (a capture listener on document) has read the form's values
    window.addEventListener('click', (event) => {
      if (triggeredAction(event)) this.returnHome(triggeredAction(event)!);
      if (event.detail > 0) this.schedule(true);
    });
    window.addEventListener('submit', (event) => {
      const trigger = triggeredAction(event);
      if (trigger) this.returnHome(trigger);
    });
    // after the hotkey listener (registered earlier): a hotkey that took the key has prevented it
    document.addEventListener('keydown', (event) => this.routeTyping(event), true);
    this.schedule(false);
  }

  /** Re-checks after the current task (swaps and clicks settle first). */
  schedule(afterPointerClick = false): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setTimeout(() => {
      this.scheduled = false;
      this.check(afterPointerClick);
    }, 0);
  }

  private check(afterPointerClick: boolean): void {
    const active = document.activeElement;
    const lost = !active || active === document.body || active === document.documentElement;
    if (!lost) {
      if (isInputLike(active)) return;
      // a button or link keeps focus when reached by keyboard; a pointer click hands it back
      if (!afterPointerClick) return;
    }
    const keep = keepElement();
    if (keep && keep !== active) keep.focus({ preventScroll: true });
  }

  /** An action confirmed outside the home field's own form: focus goes home as the request leaves. */
  private returnHome(trigger: Element): void {
    const home = homeElement();
    if (!home || home === document.activeElement) return;
    const homeForm = formOf(home);
    if (trigger === home || (homeForm !== null && (trigger === homeForm || formOf(trigger) === homeForm))) return;
    home.focus({ preventScroll: true });
  }

  /**
   * A plain character typed while nothing that takes text has focus goes to the home field: moving
   * focus during keydown makes the browser insert the character there, and the rest of a scan follows.
   */
  private routeTyping(event: KeyboardEvent): void {
    if (event.defaultPrevented || event.isComposing || event.ctrlKey || event.altKey || event.metaKey) return;
    if (event.key.length !== 1 || event.key === ' ') return;
    const active = document.activeElement;
    if (takesText(active)) return;
    const home = homeElement();
    if (home && home !== active) home.focus({ preventScroll: true });
  }
}
