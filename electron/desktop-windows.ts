// The desktop's windows (loaded only by main.ts): cashier windows, one per local terminal, each in its own
// session partition with that terminal's cookie; customer displays sharing their terminal's partition.
import { BrowserWindow, screen, session, type WebContents } from 'electron';
import type { Host } from '../server/host-types.js';
import { createCrashPolicy } from './lifecycle.js';
import { secureWebPreferences } from './security.js';
import {
  planCustomerDisplayFor,
  type CashierWindowPlan,
  type CustomerDisplayPlan,
  type DisplayInfo,
  type TerminalSpec,
} from './window-plan.js';

export interface DesktopWindowsOptions {
  host: Host;
  preload: string;
  icon?: string;
  log(message: string): void;
  /** a cashier window was closed by the cashier (not at quit): forget its terminal */
  onCashierClosed(terminal: TerminalSpec, remaining: number): void;
  /** a renderer kept crashing: tell the cashier */
  onGiveUp(terminal: TerminalSpec, reason: string): void;
}

interface OpenWindow {
  terminal: TerminalSpec;
  window: BrowserWindow;
  kind: 'cashier' | 'display';
  partition: string;
  displayId?: number;
}

export function currentDisplays(): DisplayInfo[] {
  const primaryId = screen.getPrimaryDisplay().id;
  return screen.getAllDisplays().map((d) => ({
    id: d.id,
    bounds: { ...d.bounds },
    workArea: { ...d.workArea },
    primary: d.id === primaryId,
  }));
}

export class DesktopWindows {
  private readonly windows = new Set<OpenWindow>();
  private readonly preparedPartitions = new Set<string>();
  private closingAll = false;

  constructor(private readonly options: DesktopWindowsOptions) {}

  get cashierCount(): number {
    return [...this.windows].filter((w) => w.kind === 'cashier').length;
  }

  terminals(): TerminalSpec[] {
    return [...this.windows].filter((w) => w.kind === 'cashier').map((w) => w.terminal);
  }

  terminalOf(contents: WebContents): TerminalSpec | undefined {
    return this.find(contents)?.terminal;
  }

  partitionOf(contents: WebContents): string | undefined {
    return this.find(contents)?.partition;
  }

  private find(contents: WebContents): OpenWindow | undefined {
    for (const w of this.windows) if (!w.window.isDestroyed() && w.window.webContents === contents) return w;
    return undefined;
  }

  focused(): OpenWindow | undefined {
    const focused = BrowserWindow.getFocusedWindow();
    return [...this.windows].find((w) => w.window === focused);
  }

  focusFirstCashier(): void {
    const first = [...this.windows].find((w) => w.kind === 'cashier' && !w.window.isDestroyed());
    if (!first) return;
    if (first.window.isMinimized()) first.window.restore();
    first.window.show();
    first.window.focus();
  }

  /**
   * Gives the partition its terminal identity before anything loads in it. The cookie is set on every start
   * (it is a session cookie, and the host may have rotated its secret).
   */
  private async prepareSession(partition: string, terminal: TerminalSpec): Promise<void> {
    if (this.preparedPartitions.has(partition)) return;
    const { host } = this.options;
    const cookie = host.terminalCookie({ id: terminal.id, name: terminal.name });
    await session.fromPartition(partition).cookies.set({
      url: host.url,
      name: cookie.name,
      value: cookie.value,
      httpOnly: true,
      sameSite: 'lax',
    });
    this.preparedPartitions.add(partition);
  }

  async openCashier(plan: CashierWindowPlan): Promise<BrowserWindow> {
    await this.prepareSession(plan.partition, plan.terminal);
    const window = new BrowserWindow({
      title: plan.title,
      ...plan.bounds,
      show: false,
      kiosk: plan.kiosk,
      fullscreen: plan.fullscreen,
      autoHideMenuBar: plan.kiosk,
      backgroundColor: '#ffffff',
      ...(this.options.icon ? { icon: this.options.icon } : {}),
      webPreferences: secureWebPreferences({
        partition: plan.partition,
        preload: this.options.preload,
        devTools: plan.devtools,
      }),
    });
    const entry: OpenWindow = { terminal: plan.terminal, window, kind: 'cashier', partition: plan.partition };
    this.track(entry, plan.title);
    window.once('ready-to-show', () => window.show());
    await window.loadURL(new URL(plan.path, this.options.host.url).href);
    return window;
  }

  async openCustomerDisplay(plan: CustomerDisplayPlan): Promise<BrowserWindow> {
    await this.prepareSession(plan.partition, plan.terminal);
    const window = new BrowserWindow({
      title: plan.title,
      ...plan.bounds,
      show: false,
      fullscreen: plan.fullscreen,
      autoHideMenuBar: true,
      backgroundColor: '#ffffff',
      ...(this.options.icon ? { icon: this.options.icon } : {}),
      webPreferences: secureWebPreferences({ partition: plan.partition, preload: this.options.preload }),
    });
    const entry: OpenWindow = { terminal: plan.terminal, window, kind: 'display', partition: plan.partition };
    if (plan.displayId !== undefined) entry.displayId = plan.displayId;
    this.track(entry, plan.title);
    // Fullscreen on another monitor only works once the window is on it.
    window.once('ready-to-show', () => {
      window.setBounds(plan.bounds);
      if (plan.fullscreen) window.setFullScreen(true);
      window.showInactive();
    });
    await window.loadURL(new URL(plan.path, this.options.host.url).href);
    return window;
  }

  /** The customer display of the focused terminal (menu): shown again if open, else opened on a free monitor. */
  async showCustomerDisplay(launch: Host['launch']): Promise<void> {
    const terminal = this.focused()?.terminal ?? this.terminals()[0];
    if (!terminal) return;
    const existing = [...this.windows].find((w) => w.kind === 'display' && w.terminal.id === terminal.id);
    if (existing) {
      existing.window.showInactive();
      return;
    }
    const inUse = new Set([...this.windows].filter((w) => w.kind === 'display').map((w) => w.displayId ?? -1));
    await this.openCustomerDisplay(planCustomerDisplayFor(launch, terminal, currentDisplays(), inUse));
  }

  private track(entry: OpenWindow, title: string): void {
    const { window } = entry;
    this.windows.add(entry);
    const crashes = createCrashPolicy();
    // The caption keeps naming the terminal whatever the page calls itself.
    window.on('page-title-updated', (event, pageTitle) => {
      event.preventDefault();
      window.setTitle(pageTitle && !title.startsWith(pageTitle) ? `${pageTitle} — ${entry.terminal.name}` : title);
    });
    window.webContents.on('render-process-gone', (_event, details) => {
      const decision = crashes.onRenderProcessGone(details.reason);
      this.options.log(`renderer of ${entry.kind} ${entry.terminal.id} gone (${details.reason}): ${decision}`);
      if (decision === 'reload' && !window.isDestroyed()) window.webContents.reload();
      if (decision === 'give-up') this.options.onGiveUp(entry.terminal, details.reason);
    });
    window.webContents.on('unresponsive', () => this.options.log(`${entry.kind} ${entry.terminal.id} is not responding`));
    window.on('closed', () => {
      this.windows.delete(entry);
      if (entry.kind === 'cashier' && !this.closingAll) {
        // Its customer display goes with it.
        for (const other of this.windows) {
          if (other.kind === 'display' && other.terminal.id === entry.terminal.id && !other.window.isDestroyed()) {
            other.window.close();
          }
        }
        this.options.onCashierClosed(entry.terminal, this.cashierCount);
      }
    });
  }

  /** Closes every window (quit): gives pages their unload, then destroys whatever has not closed in time. */
  async closeAll(timeoutMs = 3_000): Promise<void> {
    this.closingAll = true;
    const open = [...this.windows].map((w) => w.window).filter((w) => !w.isDestroyed());
    await Promise.all(
      open.map(
        (window) =>
          new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              if (!window.isDestroyed()) window.destroy();
              resolve();
            }, timeoutMs);
            window.once('closed', () => {
              clearTimeout(timer);
              resolve();
            });
            window.close();
          }),
      ),
    );
  }
}
