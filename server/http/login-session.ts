// Logins and logouts around an action: who is trying (for the login guard), and the session an auth:login
// or auth:logout step asked for (always a fresh one on login: no fixation).
import type { Request, Response } from 'express';
import type { Engine } from '../engine.js';
import type { LoginAttempt } from '../auth/login-guard.js';
import { expiredCookie, serializeCookie, SESSION_COOKIE } from '../auth/cookies.js';
import { publicUser } from '../auth/user.js';
import { ActionError } from '../actions/errors.js';
import type { ActionOutcome } from '../actions/runner.js';
import type { AppDeps } from './deps.js';
import { isSecure, type Identity } from './identity.js';

/**
 * Who is trying to log in, and as whom. Every window on the host machine shares 127.0.0.1: there the
 * terminal is the source, so one till's typos cannot hold the others back; a browser's terminal cookie
 * there is free to get, which the guard takes into account (`mintable`).
 */
export function loginAttempt(engine: Engine, identity: Identity, req: Request, body: unknown): LoginAttempt {
  const identityField = engine.manifest.auth?.identityField ?? 'login';
  const value = body && typeof body === 'object' ? (body as Record<string, unknown>)[identityField] : undefined;
  const local = identity.local && identity.terminal;
  return {
    account: typeof value === 'string' ? value : String(value ?? ''),
    source: local ? `terminal:${identity.terminal!.id}` : `ip:${req.socket.remoteAddress ?? 'unknown'}`,
    mintable: Boolean(local && identity.terminal!.kind === 'browser'),
  };
}

/** The session after the action: a new one for a login, none after a logout; its cookie is set on `res`. */
export async function applySessionChange(
  deps: AppDeps,
  req: Request,
  res: Response,
  identity: Identity,
  outcome: ActionOutcome,
): Promise<{ user: Identity['user']; sessionToken: string | null }> {
  const engine = deps.engine();
  let user = identity.user;
  let sessionToken = identity.sessionToken;
  if (!engine.sessions || !(outcome.login || outcome.logout)) return { user, sessionToken };
  // a login always starts a fresh session (no fixation); the old one is gone either way
  await engine.sessions.destroy(identity.sessionToken ?? undefined);
  sessionToken = null;
  user = null;
  if (outcome.login) {
    const auth = engine.manifest.auth!;
    const userKey = String(outcome.login[auth.identityField] ?? '');
    if (!userKey) throw new ActionError(500, `auth:login: the user record has no "${auth.identityField}" (auth.identityField)`);
    // the session belongs to the terminal it was made on: its cookie opens nothing on another one
    sessionToken = await engine.sessions.create(userKey, userKey, identity.terminal!.id);
    user = publicUser(outcome.login, engine.secrets);
    res.append('Set-Cookie', serializeCookie(SESSION_COOKIE, sessionToken, { maxAgeSeconds: engine.sessions.maxAgeSeconds, secure: isSecure(req) }));
  } else {
    res.append('Set-Cookie', expiredCookie(SESSION_COOKIE, isSecure(req)));
  }
  // once the browser holds the new cookie, the terminal's sockets reconnect as the new login (or none)
  const terminalId = identity.terminal?.id;
  if (terminalId) res.once('finish', () => deps.hub()?.sessionChanged(terminalId));
  return { user, sessionToken };
}
