// The offline page: a tiny service worker every full page registers (renderer/client/offline-page.ts).
// It lets page loads go to the host as usual and steps in only when the host cannot be reached at all
// (a reload while the host is down): instead of the browser's blank error page, the till shows a page
// that says it is offline and tries again every few seconds, coming back by itself once the host
// answers. It caches nothing and never answers for the host: it only replaces a network failure.
import { OFFLINE_WORKER_PATH } from '../../protocol/wire.js';

export { OFFLINE_WORKER_PATH };

const RETRY_SECONDS = 3;

const OFFLINE_PAGE = `<!DOCTYPE html>
<html lang="ru" data-offline-page>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${RETRY_SECONDS}">
<title>Нет связи с кассой</title>
<style>
  html, body { height: 100%; margin: 0; }
  body { display: flex; align-items: center; justify-content: center; background: #0f172a; color: #e2e8f0;
    font: 18px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
  main { max-width: 560px; padding: 32px 40px; border-radius: 16px; background: #1e293b; box-shadow: 0 10px 40px rgba(0,0,0,.35); }
  h1 { margin: 0 0 12px; font-size: 30px; color: #fbbf24; }
  p { margin: 8px 0; }
  .retry { display: flex; align-items: center; gap: 12px; margin-top: 20px; color: #94a3b8; }
  .spinner { width: 18px; height: 18px; border: 3px solid #475569; border-top-color: #fbbf24; border-radius: 50%;
    animation: spin 1s linear infinite; }
  @keyframes spin { to { transform: rotate(360deg); } }
</style>
</head>
<body>
<main role="alert">
  <h1>Касса не отвечает</h1>
  <p>Нет связи с программой кассы: она не запущена на главном компьютере или пропала сеть.</p>
  <p>Ничего не потеряно: проданное уже сохранено. Страница откроется сама, как только связь вернётся.</p>
  <p class="retry"><span class="spinner" aria-hidden="true"></span> Повторная попытка каждые ${RETRY_SECONDS} секунды…</p>
</main>
</body>
</html>`;

/** The worker's source, served at OFFLINE_WORKER_PATH (the site root is its scope). */
export function offlineWorkerScript(): string {
  return `'use strict';
// Serverokey offline page (server/http/offline-worker.ts): page loads that cannot reach the host get a
// page saying so, which retries by itself.
const OFFLINE_PAGE = ${JSON.stringify(OFFLINE_PAGE)};
self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.mode !== 'navigate' || request.method !== 'GET') return;
  event.respondWith(
    fetch(request).catch(
      () =>
        new Response(OFFLINE_PAGE, {
          status: 503,
          headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' },
        }),
    ),
  );
});
`;
}
