// Silent receipt printing in the main process (loaded only by main.ts). The receipt is laid out in a hidden
// window exactly as wide as the paper, measured, and printed on a page as long as the receipt.
import { BrowserWindow, type WebContents } from 'electron';
import type { PrintContent, PrintRequestOptions } from './ipc-schema.js';
import { UserFacingError, type PrintOutcome } from './ipc-handlers.js';
import {
  choosePrinter,
  DEFAULT_PAPER_WIDTH_MM,
  paperWidthPx,
  printFailureMessage,
  receiptPrintOptions,
  type PrinterSummary,
} from './print-options.js';
import { isSameOrigin, secureWebPreferences } from './security.js';
import type { LaunchConfig } from '../server/manifest/types.js';

/** Some drivers never call back; the cashier must not wait forever for a receipt. */
const PRINT_TIMEOUT_MS = 60_000;
/** HTML receipts are laid out in a partition of their own: no cookies, no storage of the till. */
const HTML_PRINT_PARTITION = 'receipt-print';

export interface PrintingContext {
  hostUrl(): string;
  launch(): LaunchConfig | undefined;
  /** partition of the window that asked, so a printed till page sees that terminal's login */
  partitionOf(sender: WebContents): string | undefined;
}

export async function listPrinters(sender: WebContents): Promise<PrinterSummary[]> {
  const printers = await sender.getPrintersAsync();
  return printers.map((p) => ({ name: p.name, displayName: p.displayName || p.name, description: p.description ?? '' }));
}

export async function printReceipt(
  context: PrintingContext,
  sender: WebContents,
  requested: PrintContent | undefined,
  options: PrintRequestOptions,
): Promise<PrintOutcome> {
  const config = context.launch()?.print;
  const content = requested ?? (config?.path ? { path: config.path } : undefined);
  if (!content) {
    throw new UserFacingError('Нечего печатать: передайте HTML чека или адрес страницы, или задайте launch.print.path в манифесте.');
  }
  const choice = choosePrinter(options.printer, config?.printer, await listPrinters(sender));
  if (!choice.ok) throw new UserFacingError(choice.message);
  const widthMm = options.widthMm ?? config?.widthMm ?? DEFAULT_PAPER_WIDTH_MM;

  let url: string;
  let partition: string;
  if (typeof content === 'string') {
    url = `data:text/html;charset=utf-8,${encodeURIComponent(content)}`;
    partition = HTML_PRINT_PARTITION;
  } else {
    const target = new URL(content.path, context.hostUrl());
    if (!isSameOrigin(target.href, context.hostUrl())) throw new UserFacingError('Печатать можно только страницы кассы.');
    url = target.href;
    partition = context.partitionOf(sender) ?? HTML_PRINT_PARTITION;
  }

  const win = new BrowserWindow({
    show: false,
    width: paperWidthPx(widthMm),
    height: 600,
    useContentSize: true,
    webPreferences: secureWebPreferences({ partition }),
  });
  try {
    await win.loadURL(url);
    const heightPx = Number(
      await win.webContents.executeJavaScript(
        'document.fonts.ready.then(() => Math.ceil(document.documentElement.getBoundingClientRect().height))',
      ),
    );
    const printOptions = receiptPrintOptions({
      widthMm,
      contentHeightPx: Number.isFinite(heightPx) ? heightPx : 0,
      ...(choice.deviceName ? { deviceName: choice.deviceName } : {}),
      ...(options.copies ? { copies: options.copies } : {}),
    });
    const result = await new Promise<{ success: boolean; reason: string }>((resolve) => {
      const timer = setTimeout(() => resolve({ success: false, reason: 'Printer did not answer' }), PRINT_TIMEOUT_MS);
      win.webContents.print(printOptions, (success, reason) => {
        clearTimeout(timer);
        resolve({ success, reason });
      });
    });
    if (!result.success) {
      throw new UserFacingError(printFailureMessage(result.reason, choice.deviceName ?? 'по умолчанию'));
    }
    return { printed: true, printer: choice.deviceName ?? 'default' };
  } catch (error) {
    if (error instanceof UserFacingError) throw error;
    throw new UserFacingError(printFailureMessage(error instanceof Error ? error.message : String(error), choice.deviceName));
  } finally {
    if (!win.isDestroyed()) win.destroy();
  }
}
