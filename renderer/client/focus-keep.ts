// atom-focus="keep": the element gets focus back whenever focus would otherwise be lost — to <body>
// (after swaps, refreshes, a click on empty space) or to a button or link a pointer just clicked —
// unless another input has it. A till's scanner field thus always receives the next scan.
import { ATTR } from './attributes.js';
import { isDisabled, isInputLike, isVisible } from './dom.js';

function keepElement(): HTMLElement | null {
  for (const el of document.querySelectorAll(`[${ATTR.focus}="keep"]`)) {
    if (el instanceof HTMLElement && isVisible(el) && !isDisabled(el)) return el;
  }
  return null;
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
    // bubble phase on window: runs after the page's own click handlers
    window.addEventListener('click', (event) => {
      if (event.detail > 0) this.schedule(true);
    });
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
}
