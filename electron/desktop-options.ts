// Command-line options of the desktop app, parsed without Electron so they are tested in Node.
// Chromium switches on the same command line (--no-sandbox, --enable-logging, ...) are left alone.
import path from 'node:path';
import { parseArgs } from 'node:util';

export interface DesktopOptions {
  /** application folder; default: the bundled apps/kassa */
  appDir?: string;
  /** data folder; default: app.getPath('userData') */
  dataDir?: string;
  port?: number;
  /** serve the LAN (other PCs and tablets pair with this till) */
  lan: boolean;
  /** run headless: the host only, no windows (also launch.mode: "server") */
  server: boolean;
  /** open this many cashier windows at start (more terminals are kept from the last run) */
  terminals?: number;
}

export class DesktopOptionsError extends Error {
  override name = 'DesktopOptionsError';
}

export function parseDesktopArgs(args: readonly string[], cwd: string = process.cwd()): DesktopOptions {
  const { values } = parseArgs({
    args: [...args],
    strict: false,
    allowPositionals: true,
    options: {
      app: { type: 'string' },
      data: { type: 'string' },
      port: { type: 'string' },
      lan: { type: 'boolean' },
      server: { type: 'boolean' },
      terminals: { type: 'string' },
    },
  });
  const options: DesktopOptions = { lan: values.lan === true, server: values.server === true };
  if (typeof values.app === 'string') options.appDir = path.resolve(cwd, values.app);
  if (typeof values.data === 'string') options.dataDir = path.resolve(cwd, values.data);
  if (values.port !== undefined) options.port = parseInteger('--port', values.port, 0, 65535);
  if (values.terminals !== undefined) options.terminals = parseInteger('--terminals', values.terminals, 1, 16);
  return options;
}

function parseInteger(flag: string, raw: unknown, min: number, max: number): number {
  const text = typeof raw === 'string' ? raw.trim() : '';
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new DesktopOptionsError(`${flag} needs a whole number from ${min} to ${max}, got "${String(raw ?? '')}".`);
  }
  return value;
}

/**
 * The user's arguments from process.argv: a packaged app has [exe, ...args]; a development run has
 * [electron, ...switches, appPath, ...args] (Playwright puts its switches before the app path). The app
 * path is recognised by resolving to `appPath`, so `--app some/dir` before it is not mistaken for it.
 */
export function userArgs(argv: readonly string[], isPackaged: boolean, appPath?: string): string[] {
  const rest = argv.slice(1);
  if (isPackaged) return rest;
  let appIndex = appPath ? rest.findIndex((a) => !a.startsWith('-') && path.resolve(a) === path.resolve(appPath)) : -1;
  if (appIndex === -1) appIndex = rest.findIndex((a) => !a.startsWith('-'));
  return appIndex === -1 ? rest : [...rest.slice(0, appIndex), ...rest.slice(appIndex + 1)];
}
