// The running host's admin endpoint, for commands run in another process on the same computer
// (`serverokey backup` while the till runs). Loopback only, and authenticated by a token derived from
// the data folder's host-secret: whoever can read that file (the computer's user that owns the data,
// 0600) can ask; nobody on the network can, even in LAN mode.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import express, { type Request, type Response } from 'express';
import { BackupError, type BackupResult } from './backup-folder.js';
import { isLoopback } from '../http/identity.js';

export const ADMIN_PATH = '/__admin';
export const ADMIN_TOKEN_HEADER = 'x-serverokey-admin';

export interface AdminHandlers {
  backup(to: string): Promise<BackupResult>;
  /** every acknowledged commit in the connector files (an export reading a journal file sees every sale) */
  flush(): Promise<void>;
}

export function adminToken(secret: Buffer): string {
  return createHmac('sha256', secret).update('serverokey-admin-v1').digest('hex');
}

function tokenValid(secret: Buffer, presented: string | undefined): boolean {
  if (!presented) return false;
  const expected = Buffer.from(adminToken(secret));
  const given = Buffer.from(presented);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function adminRouter(handlers: AdminHandlers, secret: Buffer): express.Router {
  const router = express.Router();
  router.use((req, res, next) => {
    if (!isLoopback(req)) return res.status(403).json({ error: { status: 403, message: 'the admin endpoint answers this computer only' } });
    if (!tokenValid(secret, req.get(ADMIN_TOKEN_HEADER))) return res.status(403).json({ error: { status: 403, message: 'admin token missing or wrong' } });
    next();
  });
  router.post('/backup', express.json({ limit: '16kb' }), async (req: Request, res: Response) => {
    const to = (req.body as { to?: unknown } | undefined)?.to;
    if (typeof to !== 'string' || to === '' || !path.isAbsolute(to)) {
      return res.status(400).json({ error: { status: 400, message: 'give the backup folder as an absolute path: { "to": "/path" }' } });
    }
    try {
      res.json({ backup: await handlers.backup(to) });
    } catch (error) {
      const status = error instanceof BackupError ? 409 : 500;
      res.status(status).json({ error: { status, message: (error as Error).message } });
    }
  });
  router.post('/flush', async (_req, res) => {
    try {
      await handlers.flush();
      res.json({ ok: true });
    } catch (error) {
      res.status(503).json({ error: { status: 503, message: (error as Error).message } });
    }
  });
  return router;
}

/** Calls a running host's admin endpoint (its URL from the data folder's lock), as the data folder's owner. */
export async function callHostAdmin<T>(dataDir: string, hostUrl: string, action: 'backup' | 'flush', body: unknown = {}): Promise<T> {
  let secret: Buffer;
  try {
    secret = readFileSync(path.join(dataDir, 'host-secret'));
  } catch (error) {
    throw new Error(`cannot read ${path.join(dataDir, 'host-secret')} (${(error as Error).message}): run this as the user the till runs as`);
  }
  let response: globalThis.Response;
  try {
    response = await fetch(new URL(`${ADMIN_PATH}/${action}`, hostUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json', [ADMIN_TOKEN_HEADER]: adminToken(secret) },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new Error(
      `the running host at ${hostUrl} did not answer (${(error as Error).message}); a backup it may have begun is incomplete and is never offered for restore`,
    );
  }
  const answer = (await response.json().catch(() => ({}))) as { error?: { message?: string } } & T;
  if (!response.ok) throw new BackupError(answer.error?.message ?? `the host answered ${response.status}`);
  return answer;
}
