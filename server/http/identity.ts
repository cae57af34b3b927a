// Who is asking: the terminal (signed cookie), the session and the user behind it, and the CSRF token that
// binds state-changing requests to them.
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import os from 'node:os';
import type { Engine } from '../engine.js';
import type { SessionRecord } from '../auth/sessions.js';
import { parseCookies, SESSION_COOKIE, TERMINAL_COOKIE, serializeCookie } from '../auth/cookies.js';
import { publicUser } from '../auth/user.js';
import { sign, safeEqual } from '../auth/tokens.js';
import type { TerminalIdentity, TerminalRegistry } from '../auth/terminals.js';
import type { Requester } from '../actions/runner.js';

export interface Identity {
  cookies: Record<string, string>;
  terminal: TerminalIdentity | null;
  /** the terminal cookie value the request carried or was just given */
  terminalCookie: string | null;
  sessionToken: string | null;
  session: SessionRecord | null;
  /** stored user record (with secrets; the store's own, frozen object), for role checks only */
  storedUser: Record<string, unknown> | null;
  user: Record<string, unknown> | null;
  roles: string[];
  local: boolean;
  setCookies: string[];
}

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export function isLoopback(req: IncomingMessage): boolean {
  return LOOPBACK.has(req.socket.remoteAddress ?? '');
}

export function isSecure(req: IncomingMessage): boolean {
  return Boolean((req.socket as { encrypted?: boolean }).encrypted);
}

export async function findUser(engine: Engine, userKey: string): Promise<Record<string, unknown> | null> {
  const auth = engine.manifest.auth;
  if (!auth) return null;
  const loaded = storedUserNow(engine, userKey);
  if (loaded !== undefined) return loaded;
  return userIn(await engine.store.read(auth.userConnector, 'global'), auth.identityField, userKey);
}

/**
 * The stored user record of `userKey` (the store's own object) when the user connector is loaded, null
 * when there is no such user, undefined when the connector is not loaded yet: for callers that cannot wait.
 */
export function storedUserNow(engine: Engine, userKey: string): Record<string, unknown> | null | undefined {
  const auth = engine.manifest.auth;
  if (!auth) return null;
  // the store's own state, not a copy of every user: this only looks one up (publicUser copies what it returns)
  const state = engine.store.peek(auth.userConnector, 'global');
  return state === undefined ? undefined : userIn(state, auth.identityField, userKey);
}

function userIn(state: unknown, identityField: string, userKey: string): Record<string, unknown> | null {
  const list = state as { items?: unknown } | unknown[] | null;
  const items = Array.isArray(list) ? list : Array.isArray(list?.items) ? list.items : [];
  const found = (items as Array<Record<string, unknown>>).find((u) => u && String(u[identityField]) === userKey);
  return found ?? null;
}

export function rolesOf(engine: Engine, user: Record<string, unknown> | null): string[] {
  if (!user) return [];
  const field = engine.manifest.auth?.roleField ?? 'role';
  const value = user[field];
  return Array.isArray(value) ? value.map(String) : value === undefined || value === null ? [] : [String(value)];
}

export async function identify(
  engine: Engine,
  terminals: TerminalRegistry,
  req: IncomingMessage,
  options: { lan: boolean; issueBrowserTerminal: boolean },
): Promise<Identity> {
  const cookies = parseCookies(req.headers.cookie);
  const local = isLoopback(req);
  const setCookies: string[] = [];
  let terminalCookie: string | null = cookies[TERMINAL_COOKIE] ?? null;
  let terminal = terminals.verify(terminalCookie ?? undefined);
  if (!terminal) terminalCookie = null;
  // a LAN device without a paired identity gets nothing but the pairing page
  if (terminal && terminal.kind !== 'paired' && options.lan && !local) {
    terminal = null;
    terminalCookie = null;
  }
  if (!terminal && options.issueBrowserTerminal && (local || !options.lan)) {
    terminal = terminals.newBrowserIdentity();
    terminalCookie = terminals.cookieValue(terminal);
    setCookies.push(serializeCookie(TERMINAL_COOKIE, terminalCookie, { maxAgeSeconds: 10 * 365 * 86400, secure: isSecure(req) }));
  }
  const sessionToken = cookies[SESSION_COOKIE] ?? null;
  const session = (await engine.sessions?.resolveShared(sessionToken ?? undefined, terminal?.id ?? null)) ?? null;
  const storedUser = session ? await findUser(engine, session.userKey) : null;
  return {
    cookies,
    terminal,
    terminalCookie,
    sessionToken: session ? sessionToken : null,
    session: storedUser ? session : null,
    storedUser,
    user: storedUser ? publicUser(storedUser, engine.secrets) : null,
    roles: rolesOf(engine, storedUser),
    local,
    setCookies,
  };
}

export function csrfToken(secret: Buffer, identity: Pick<Identity, 'sessionToken' | 'terminalCookie'>): string {
  return sign(secret, 'csrf', identity.sessionToken ?? identity.terminalCookie ?? 'anonymous');
}

export function csrfValid(secret: Buffer, identity: Identity, presented: unknown): boolean {
  return typeof presented === 'string' && presented !== '' && safeEqual(presented, csrfToken(secret, identity));
}

export function requesterOf(engine: Engine, identity: Identity): Requester {
  return {
    user: identity.user,
    userKey: identity.session?.userKey ?? null,
    terminal: identity.terminal ? { id: identity.terminal.id, name: identity.terminal.name } : null,
  };
}

/**
 * DNS-rebinding guard: a page of another site whose name an attacker points at this machine arrives with
 * a Host of that name (and a matching Origin). Only names this machine really answers to are served: IP
 * addresses (how LAN devices are told to connect), localhost, and this computer's own host name.
 */
export function hostAllowed(req: IncomingMessage): boolean {
  const header = req.headers.host;
  if (!header) return true;
  let name: string;
  try {
    name = new URL(`http://${header}`).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (name.startsWith('[') && name.endsWith(']')) name = name.slice(1, -1);
  if (isIP(name) !== 0) return true;
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  const own = os.hostname().toLowerCase();
  return name === own || name === `${own}.local`;
}

/** Origin check for actions and upgrades: a browser's Origin must be this host. */
export function originAllowed(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return req.headers['sec-fetch-site'] !== 'cross-site';
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
