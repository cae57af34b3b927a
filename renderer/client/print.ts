// atom-print="/print/receipt?sale=last": in the desktop host the page asks the main process to print
// that page silently (window.pos.print); in a browser terminal the page opens in a small window that
// prints itself (?autoprint=1) and closes afterwards.
import { ATTR } from './attributes.js';
import { showToast } from './feedback.js';
import { UI } from './ui-strings.js';

interface DesktopBridge {
  isDesktop?: boolean;
  print?: (content?: string | { path: string }, options?: Record<string, unknown>) => Promise<unknown>;
}

export const AUTOPRINT_PARAM = 'autoprint';

/** Handles a click on an atom-print element; true when it did. */
export function handlePrintClick(event: Event): boolean {
  if (!(event.target instanceof Element)) return false;
  const el = event.target.closest(`[${ATTR.print}]`);
  if (!el || el.hasAttribute(ATTR.action)) return false;
  event.preventDefault();
  void printPath(el.getAttribute(ATTR.print)?.trim() || location.pathname);
  return true;
}

export async function printPath(path: string): Promise<void> {
  const bridge = (window as unknown as { pos?: DesktopBridge }).pos;
  if (bridge?.isDesktop && typeof bridge.print === 'function') {
    try {
      await bridge.print({ path });
      showToast(UI.printed, 'info');
    } catch (error) {
      showToast((error as Error)?.message || UI.printFailed);
    }
    return;
  }
  const url = new URL(path, location.href);
  url.searchParams.set(AUTOPRINT_PARAM, '1');
  const opened = window.open(url.href, '_blank', 'popup,width=420,height=680');
  if (!opened) showToast(UI.printBlocked);
}

/** On a page opened for printing: print once it has loaded, then close the window. */
export function autoprintIfAsked(): void {
  if (new URL(location.href).searchParams.get(AUTOPRINT_PARAM) !== '1') return;
  const go = (): void => {
    window.addEventListener('afterprint', () => window.close(), { once: true });
    window.print();
  };
  if (document.readyState === 'complete') setTimeout(go, 50);
  else window.addEventListener('load', () => setTimeout(go, 50), { once: true });
}
