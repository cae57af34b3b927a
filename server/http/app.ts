// The express application, composed in the order a request meets it (each piece is its own module):
//   middleware/request-basics  in-flight count, CSP nonce, security headers, Host (DNS-rebinding) guard
//   (engine's own files)       the client script, the offline worker, /__health, the admin endpoint
//   middleware/identify        the terminal and the login
//   pairing                    /__pair and /__terminals
//   middleware/paired-only     an unpaired LAN device gets the pairing page only
//   middleware/bodies          body types and sizes, login bodies' small limit, the parsers
//   (exports)                  journal downloads
//   middleware/dispatch        the manifest's routes: login and role rules, then serve-view / serve-action
//   error-handler              every failure (HttpError, ActionError, a full disk, …) becomes its answer here
import express from 'express';
import { LoginGuard } from '../auth/login-guard.js';
import { ADMIN_PATH, adminRouter } from '../backup/admin.js';
import { EXPORT_PATH, serveExport } from '../export/export-endpoint.js';
import type { AppDeps } from './deps.js';
import { errorHandler } from './error-handler.js';
import { bodyParsers, bodyTypes, loginBodies } from './middleware/bodies.js';
import { dispatchRoutes } from './middleware/dispatch.js';
import { identifyRequester } from './middleware/identify.js';
import { pairedOnly } from './middleware/paired-only.js';
import { requestBasics } from './middleware/request-basics.js';
import { OFFLINE_WORKER_PATH, offlineWorkerScript } from './offline-worker.js';
import { pairingRouter } from './pairing.js';

export type { AppDeps } from './deps.js';

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');

  app.use(requestBasics(deps));

  app.get('/engine-client.js', async (_req, res) => {
    res.type('application/javascript').setHeader('Cache-Control', 'no-cache');
    res.send(await deps.clientScript());
  });
  // public like the client script: it holds no data, and a page registers it before anyone logs in
  app.get(OFFLINE_WORKER_PATH, (_req, res) => {
    res.type('application/javascript').setHeader('Cache-Control', 'no-cache');
    res.send(offlineWorkerScript());
  });
  app.get('/__health', (_req, res) => {
    res.json({ ok: true });
  });
  if (deps.admin) app.use(ADMIN_PATH, adminRouter(deps.admin, deps.secret));

  app.use(identifyRequester(deps));
  // the pairing pages live under two prefixes; other requests skip the router's matching
  const pairing = pairingRouter(deps);
  app.use((req, res, next) => {
    const lower = req.path.toLowerCase();
    if (lower.startsWith('/__pair') || lower.startsWith('/__terminals')) return pairing(req, res, next);
    next();
  });
  app.use(pairedOnly());

  app.use(bodyTypes());
  app.use(loginBodies(deps));
  app.use(bodyParsers(deps));

  // journal downloads (CSV, JSON lines) for the app's pages
  app.get(`${EXPORT_PATH}:name`, (req, res) => serveExport(deps.engine(), req, res));

  app.use(dispatchRoutes(deps, new LoginGuard()));
  app.use(errorHandler(deps));
  return app;
}
