// Security policies of the desktop windows, as plain functions so they are tested in Node. main.ts wires
// them to will-navigate, setWindowOpenHandler and the session permission handlers (Electron's checklist).
import type { WebPreferences } from 'electron';

/** Parses a URL, or undefined when it is not one (a policy must never throw on hostile input). */
function parseUrl(value: string, base?: string): URL | undefined {
  try {
    return new URL(value, base);
  } catch {
    return undefined;
  }
}

/**
 * The origin of an http(s) URL, or undefined. Compared as URL objects normalise it: `HTTP://127.0.0.1:80/`
 * and `http://127.0.0.1` are the same origin, `http://127.0.0.1.evil.test` is not a prefix match.
 */
export function httpOrigin(value: string): string | undefined {
  const url = parseUrl(value);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) return undefined;
  return url.origin;
}

export function isSameOrigin(a: string, b: string): boolean {
  const left = httpOrigin(a);
  return left !== undefined && left === httpOrigin(b);
}

/** A window may only navigate within the host it was opened on. */
export function isNavigationAllowed(targetUrl: string, hostUrl: string): boolean {
  return isSameOrigin(targetUrl, hostUrl);
}

/**
 * A link meant for the system browser: http(s) only, a real host name, no credentials in the URL (they are
 * a classic way to disguise the destination). Everything else (file:, javascript:, smb:, custom schemes) is
 * refused, since the OS would hand them to whatever program claims them.
 */
export function isSafeExternalUrl(value: string): boolean {
  const url = parseUrl(value);
  if (!url) return false;
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (!url.hostname || url.username || url.password) return false;
  return true;
}

export type WindowOpenDecision =
  | { action: 'deny'; reason: string }
  /** deny inside the app, but offer the link to the system browser after asking the cashier */
  | { action: 'ask-external'; url: string };

/** window.open and target=_blank: never a new app window; an outside http(s) link may go to the system browser. */
export function decideWindowOpen(targetUrl: string, hostUrl: string): WindowOpenDecision {
  if (isSameOrigin(targetUrl, hostUrl)) return { action: 'deny', reason: 'the till opens no extra windows of itself' };
  if (!isSafeExternalUrl(targetUrl)) return { action: 'deny', reason: 'not an http(s) link' };
  return { action: 'ask-external', url: new URL(targetUrl).href };
}

/**
 * Permissions a page of the host may use; every other request (camera, microphone, geolocation,
 * notifications, HID, serial, ...) and every request from another origin is denied.
 */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write', 'fullscreen']);

export function isPermissionAllowed(permission: string, requestingUrl: string | undefined, hostUrl: string): boolean {
  if (!requestingUrl || !isSameOrigin(requestingUrl, hostUrl)) return false;
  return ALLOWED_PERMISSIONS.has(permission);
}

/** webPreferences of every window that shows the till: the Electron security checklist, nothing relaxed. */
export function secureWebPreferences(options: {
  partition: string;
  preload?: string;
  devTools?: boolean;
}): WebPreferences {
  const prefs: WebPreferences = {
    partition: options.partition,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
    devTools: options.devTools ?? false,
  };
  if (options.preload) prefs.preload = options.preload;
  return prefs;
}
