// Silent receipt printing: the options passed to webContents.print, the choice of printer, and the
// cashier-facing message for each way printing can fail (the printer's own reason is always kept).
import type { WebContentsPrintOptions } from 'electron';

export const DEFAULT_PAPER_WIDTH_MM = 80;
/** CSS pixels are 1/96 inch; Chromium measures custom page sizes in microns. */
export const MICRONS_PER_CSS_PX = 25_400 / 96;
/** Chromium rejects custom page sizes under 353 microns in either direction. */
export const MIN_PAGE_MICRONS = 353;
/** A receipt longer than this (2 m of paper) is a runaway page, not a receipt. */
export const MAX_PAGE_HEIGHT_MICRONS = 2_000_000;

export function mmToMicrons(mm: number): number {
  return Math.round(mm * 1000);
}

export function cssPxToMicrons(px: number): number {
  return Math.ceil(px * MICRONS_PER_CSS_PX);
}

/** Width in CSS pixels of a page `widthMm` wide: the print window is laid out at the paper's width. */
export function paperWidthPx(widthMm: number): number {
  return Math.round((widthMm / 25.4) * 96);
}

export interface ReceiptPrintRequest {
  /** paper width in mm (58 or 80 for receipt rolls) */
  widthMm?: number;
  /** laid-out height of the receipt in CSS pixels, measured in the print window */
  contentHeightPx: number;
  /** system name of the printer; none = the system default printer */
  deviceName?: string;
  copies?: number;
}

/**
 * A receipt page is exactly as wide as the roll and as long as the receipt, with no margins (the printer's
 * hardware margins are all a roll has), printed without a dialog.
 */
export function receiptPrintOptions(request: ReceiptPrintRequest): WebContentsPrintOptions {
  const widthMm = request.widthMm ?? DEFAULT_PAPER_WIDTH_MM;
  const height = Math.min(
    MAX_PAGE_HEIGHT_MICRONS,
    Math.max(MIN_PAGE_MICRONS, cssPxToMicrons(Math.max(0, request.contentHeightPx))),
  );
  const options: WebContentsPrintOptions = {
    silent: true,
    printBackground: true,
    color: false,
    margins: { marginType: 'none' },
    pageSize: { width: Math.max(MIN_PAGE_MICRONS, mmToMicrons(widthMm)), height },
    copies: request.copies ?? 1,
  };
  if (request.deviceName) options.deviceName = request.deviceName;
  return options;
}

export interface PrinterSummary {
  name: string;
  displayName: string;
  description: string;
}

export type PrinterChoice = { ok: true; deviceName?: string } | { ok: false; message: string };

/**
 * Which printer to use: the one the page asked for, else the one in launch.print.printer, else the system
 * default. A named printer that is not installed is an error the cashier can act on; Chromium would
 * otherwise silently print to the default printer or report only "Invalid printer settings".
 */
export function choosePrinter(
  requested: string | undefined,
  configured: string | undefined,
  installed: readonly PrinterSummary[],
): PrinterChoice {
  const wanted = requested ?? configured;
  if (!wanted) {
    if (installed.length === 0) {
      return { ok: false, message: 'Принтеры не найдены. Подключите принтер чеков и установите его в системе.' };
    }
    return { ok: true };
  }
  const match = installed.find((p) => p.name === wanted) ?? installed.find((p) => p.displayName === wanted);
  if (!match) {
    const known = installed.map((p) => p.name).join(', ') || 'нет ни одного';
    return {
      ok: false,
      message: `Принтер «${wanted}» не найден. Установленные принтеры: ${known}. Выберите принтер в настройках.`,
    };
  }
  return { ok: true, deviceName: match.name };
}

/** Known failure reasons from Chromium's print callback, with what the cashier can do about each. */
const FAILURE_MESSAGES: ReadonlyArray<[RegExp, string]> = [
  [/cancel/i, 'Печать отменена.'],
  [
    /invalid printer settings/i,
    'Принтер не принял настройки печати: проверьте ширину ленты в настройках и что выбран принтер чеков.',
  ],
  [
    /print job failed/i,
    'Принтер не смог напечатать чек: проверьте, что он включён, подключён и в нём есть бумага.',
  ],
  [/no printers? available|printer.*not (found|available)/i, 'Принтер недоступен: проверьте, что он включён и подключён.'],
];

/** The message shown to the cashier: what happened in Russian, plus the printer's own words for support. */
export function printFailureMessage(reason: string | undefined, printer?: string): string {
  const raw = (reason ?? '').trim();
  const known = FAILURE_MESSAGES.find(([pattern]) => pattern.test(raw))?.[1];
  const base = known ?? 'Не удалось напечатать чек.';
  const where = printer ? ` Принтер: «${printer}».` : '';
  const detail = raw ? ` Причина: ${raw}.` : '';
  return `${base}${where}${detail}`;
}
