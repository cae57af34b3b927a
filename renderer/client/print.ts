// atom-print="/print/receipt?sale=last": in the desktop host the page asks the main process to print
// that page silently (window.pos.print); in a browser terminal the page opens in a small window that
// prints itself (?autoprint=1) and closes afterwards.
import { ATTR } from './attributes.js';
import { showToast } from './feedback.js';
import { UI } from './ui-strings.js';

interface DesktopBridge {
  isDesktop?: boolean;
  print?: (content?: string | { path: string }, options?: Record<string, unknown>) => Promise<unknown>;
  printers?: () => Promise<Array<{ name: string; displayName?: string }>>;
}

function bridge(): DesktopBridge | undefined {
  const pos = (window as unknown as { pos?: DesktopBridge }).pos;
  return pos?.isDesktop ? pos : undefined;
}

/** Printer options an atom-print element names: atom-printer="<name>", atom-print-width="58". */
function printOptions(el: Element): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  const printer = el.getAttribute(ATTR.printer)?.trim();
  if (printer) options.printer = printer;
  const width = Number(el.getAttribute(ATTR.printWidth));
  if (width === 58 || width === 80) options.widthMm = width;
  return options;
}

export const AUTOPRINT_PARAM = 'autoprint';

/** Handles a click on an atom-print element; true when it did. */
export function handlePrintClick(event: Event): boolean {
  if (!(event.target instanceof Element)) return false;
  const el = event.target.closest(`[${ATTR.print}]`);
  if (!el || el.hasAttribute(ATTR.action)) return false;
  event.preventDefault();
  void printPath(el.getAttribute(ATTR.print)?.trim() || location.pathname, printOptions(el));
  return true;
}

export async function printPath(path: string, options: Record<string, unknown> = {}): Promise<void> {
  const desktop = bridge();
  if (desktop && typeof desktop.print === 'function') {
    try {
      await (Object.keys(options).length > 0 ? desktop.print({ path }, options) : desktop.print({ path }));
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

/**
 * <select atom-printers data-selected="name">: in the desktop host, filled with this computer's printers
 * (the current choice kept); in a browser it keeps what the template rendered (the browser's own dialog
 * picks the printer there).
 */
export function fillPrinterSelects(root: ParentNode = document): void {
  const desktop = bridge();
  if (!desktop || typeof desktop.printers !== 'function') return;
  const selects = [...root.querySelectorAll(`select[${ATTR.printers}]:not([data-printers-filled])`)] as HTMLSelectElement[];
  for (const select of selects) select.setAttribute('data-printers-filled', '');
  if (selects.length === 0) return;
  void desktop.printers().then(
    (printers) => {
      for (const select of selects) {
        const chosen = select.getAttribute('data-selected') ?? select.value;
        const keep = [...select.options].filter((o) => o.value === '');
        select.replaceChildren(...keep);
        for (const printer of printers) {
          const option = new Option(printer.displayName || printer.name, printer.name, false, printer.name === chosen);
          select.add(option);
        }
      }
    },
    (error: unknown) => showToast((error as Error)?.message || UI.printFailed),
  );
}
