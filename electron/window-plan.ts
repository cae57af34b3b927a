// Which windows the desktop opens and where: one cashier window per local terminal (each in its own session
// partition, so each is its own terminal to the host), and customer displays on the other monitors.
import type { LaunchConfig } from '../server/manifest/types.js';

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The parts of Electron's Display the plan needs (screen.getAllDisplays() mapped by main.ts). */
export interface DisplayInfo {
  id: number;
  bounds: Rect;
  /** the area without task bars; bounds when unknown */
  workArea?: Rect;
  primary: boolean;
}

export interface TerminalSpec {
  id: string;
  name: string;
}

export const DEFAULT_WINDOW_TITLE = 'Serverokey POS';
export const DEFAULT_WINDOW_SIZE = { width: 1280, height: 820 } as const;
export const DEFAULT_CUSTOMER_DISPLAY_PATH = '/display';
/** later cashier windows are shifted so a new one does not hide exactly behind the first */
const CASCADE_STEP = 32;

const TERMINAL_ID = /^[a-z0-9][a-z0-9-]{0,39}$/;

export function isValidTerminalId(id: string): boolean {
  return TERMINAL_ID.test(id);
}

/** The session partition of a terminal: persistent, so its login and cookies survive restarts. */
export function terminalPartition(terminalId: string): string {
  if (!isValidTerminalId(terminalId)) {
    throw new Error(`Invalid terminal id "${terminalId}": use lower-case letters, digits and "-" (up to 40).`);
  }
  return `persist:terminal-${terminalId}`;
}

/** The next local terminal: till-<n> / «Касса <n>» with the smallest n not taken. */
export function nextTerminal(existing: readonly TerminalSpec[]): TerminalSpec {
  const taken = new Set(existing.map((t) => t.id));
  let n = 1;
  while (taken.has(`till-${n}`)) n += 1;
  return { id: `till-${n}`, name: `Касса ${n}` };
}

export function primaryDisplay(displays: readonly DisplayInfo[]): DisplayInfo | undefined {
  return displays.find((d) => d.primary) ?? displays[0];
}

/** Monitors other than the primary one, in a stable order (left to right, then top to bottom). */
export function secondaryDisplays(displays: readonly DisplayInfo[]): DisplayInfo[] {
  const primary = primaryDisplay(displays);
  return displays
    .filter((d) => d !== primary)
    .sort((a, b) => a.bounds.x - b.bounds.x || a.bounds.y - b.bounds.y || a.id - b.id);
}

export interface CashierWindowPlan {
  terminal: TerminalSpec;
  partition: string;
  title: string;
  path: string;
  bounds: Rect;
  kiosk: boolean;
  fullscreen: boolean;
  devtools: boolean;
  displayId?: number;
}

export interface CustomerDisplayPlan {
  terminal: TerminalSpec;
  partition: string;
  title: string;
  path: string;
  bounds: Rect;
  /** fullscreen on its own monitor; a plain window when it shares the cashier's monitor */
  fullscreen: boolean;
  displayId?: number;
}

export interface WindowPlan {
  cashiers: CashierWindowPlan[];
  customerDisplays: CustomerDisplayPlan[];
}

function usable(display: DisplayInfo): Rect {
  return display.workArea ?? display.bounds;
}

/** A rectangle of the wanted size inside `area`, centred, shrunk to fit and shifted by `offset`. */
function placeIn(area: Rect, width: number, height: number, offset = 0): Rect {
  const w = Math.min(Math.round(width), area.width);
  const h = Math.min(Math.round(height), area.height);
  const freeX = area.width - w;
  const freeY = area.height - h;
  const dx = Math.min(freeX, Math.floor(freeX / 2) + offset);
  const dy = Math.min(freeY, Math.floor(freeY / 2) + offset);
  return { x: area.x + Math.max(0, dx), y: area.y + Math.max(0, dy), width: w, height: h };
}

export function windowTitle(launch: LaunchConfig | undefined, terminal: TerminalSpec, terminalCount: number): string {
  const base = launch?.window?.title?.trim() || DEFAULT_WINDOW_TITLE;
  return terminalCount > 1 ? `${base} — ${terminal.name}` : base;
}

export function cashierWindowPlan(
  launch: LaunchConfig | undefined,
  terminal: TerminalSpec,
  index: number,
  terminalCount: number,
  displays: readonly DisplayInfo[],
): CashierWindowPlan {
  const win = launch?.window ?? {};
  const width = win.width ?? DEFAULT_WINDOW_SIZE.width;
  const height = win.height ?? DEFAULT_WINDOW_SIZE.height;
  const display = primaryDisplay(displays);
  const bounds = display
    ? placeIn(usable(display), width, height, index * CASCADE_STEP)
    : { x: index * CASCADE_STEP, y: index * CASCADE_STEP, width, height };
  const plan: CashierWindowPlan = {
    terminal,
    partition: terminalPartition(terminal.id),
    title: windowTitle(launch, terminal, terminalCount),
    path: '/',
    bounds,
    kiosk: win.kiosk === true,
    fullscreen: win.fullscreen === true,
    devtools: win.devtools === true,
  };
  if (display) plan.displayId = display.id;
  return plan;
}

export function customerDisplayPath(launch: LaunchConfig | undefined): string {
  const path = launch?.customerDisplay?.path?.trim();
  return path && path.startsWith('/') && !path.startsWith('//') ? path : DEFAULT_CUSTOMER_DISPLAY_PATH;
}

/**
 * The customer display of one terminal. On a monitor of its own it fills that monitor; without one it is a
 * small window on the primary monitor (opened only when asked for: from the menu, or enabled: true).
 */
export function customerDisplayPlan(
  launch: LaunchConfig | undefined,
  terminal: TerminalSpec,
  display: DisplayInfo | undefined,
  fallbackDisplay: DisplayInfo | undefined,
): CustomerDisplayPlan {
  const title = `${launch?.window?.title?.trim() || DEFAULT_WINDOW_TITLE} — экран покупателя (${terminal.name})`;
  const base = {
    terminal,
    partition: terminalPartition(terminal.id),
    title,
    path: customerDisplayPath(launch),
  };
  if (display) return { ...base, bounds: { ...display.bounds }, fullscreen: true, displayId: display.id };
  const area = fallbackDisplay ? usable(fallbackDisplay) : { x: 0, y: 0, width: 800, height: 600 };
  const plan: CustomerDisplayPlan = { ...base, bounds: placeIn(area, 800, 600), fullscreen: false };
  if (fallbackDisplay) plan.displayId = fallbackDisplay.id;
  return plan;
}

/**
 * The windows to open at start-up. Customer displays: none unless the manifest has a customerDisplay
 * section not disabled; then terminal i gets secondary monitor i. A terminal without a monitor of its own
 * gets a display window only with `enabled: true` (a till with one screen rarely wants one by default).
 */
export function planWindows(
  launch: LaunchConfig | undefined,
  terminals: readonly TerminalSpec[],
  displays: readonly DisplayInfo[],
): WindowPlan {
  const cashiers = terminals.map((t, i) => cashierWindowPlan(launch, t, i, terminals.length, displays));
  const customerDisplays: CustomerDisplayPlan[] = [];
  const config = launch?.customerDisplay;
  if (config && config.enabled !== false) {
    const free = secondaryDisplays(displays);
    terminals.forEach((terminal, i) => {
      const own = free[i];
      if (own || config.enabled === true) {
        customerDisplays.push(customerDisplayPlan(launch, terminal, own, primaryDisplay(displays)));
      }
    });
  }
  return { cashiers, customerDisplays };
}

/** A customer display opened later (menu) for one terminal: a monitor no other display window uses. */
export function planCustomerDisplayFor(
  launch: LaunchConfig | undefined,
  terminal: TerminalSpec,
  displays: readonly DisplayInfo[],
  displaysInUse: ReadonlySet<number>,
): CustomerDisplayPlan {
  const own = secondaryDisplays(displays).find((d) => !displaysInUse.has(d.id));
  return customerDisplayPlan(launch, terminal, own, primaryDisplay(displays));
}
