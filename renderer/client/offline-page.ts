// Registers the engine's offline-page service worker (server/http/offline-worker.ts), so a reload while
// the host is down shows "the till is offline, retrying" instead of the browser's blank error page.
// Service workers need a secure context: localhost and HTTPS have one; a plain-HTTP LAN address does
// not, and there the browser's own error page stays.
import { OFFLINE_WORKER_PATH } from '../../protocol/wire.js';

export function registerOfflinePage(debug: boolean): void {
  if (!window.isSecureContext || !('serviceWorker' in navigator)) return;
  navigator.serviceWorker.register(OFFLINE_WORKER_PATH, { scope: '/' }).catch((error: unknown) => {
    if (debug) console.debug('[serverokey] offline page not available', error);
  });
}
