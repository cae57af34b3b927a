// Terminal identity: every till window, LAN device and browser gets a signed terminal cookie. Windows of
// the desktop host get theirs from the host; a browser on the host machine gets one on first visit; a LAN
// device must pair with a short-lived code shown on the host. Paired terminals can be revoked.
import { randomInt } from 'node:crypto';
import type { TerminalInfo } from '../host-types.js';
import { RateLimiter } from './rate-limit.js';
import { FileTerminalStorage, type TerminalStorage } from './host-storage.js';
import { randomToken, signedValue, verifySigned } from './tokens.js';
import { terminalName } from './terminal-name.js';

const PURPOSE = 'terminal';
const PAIRING_CODE_TTL_MS = 5 * 60_000;
/**
 * Wrong codes one device (address) may enter before it must wait: it cannot guess, and it cannot burn the
 * code for everyone else either.
 */
const PAIRING_FAILURES_PER_SOURCE = 5;
const PAIRING_SOURCE_WINDOW_MS = 10 * 60_000;
/**
 * Wrong codes from all devices together before the current code is dropped: a 6-digit code must not be
 * found by trying from many addresses (20 tries in a million).
 */
const PAIRING_ATTEMPTS = 20;
/** how long the terminals page tells that a code was dropped */
const DISCARD_NOTICE_MS = 10 * 60_000;

export type PairingResult =
  | { ok: true; terminal: TerminalIdentity }
  /** status: 400 bad name, 403 wrong or expired code, 429 this device tried too often */
  | { ok: false; status: 400 | 403 | 429; message: string; retryAfterMs?: number };

/** Why the last pairing code was dropped before it expired (shown on the terminals page). */
export interface DiscardedCode {
  at: number;
  failures: number;
  /** addresses the wrong codes came from (the first few) */
  sources: string[];
}

export interface TerminalIdentity {
  id: string;
  name: string;
  kind: 'local' | 'paired' | 'browser';
}

export class TerminalRegistry {
  private readonly paired = new Map<string, TerminalInfo>();
  private code: { code: string; expiresAt: number; failures: number; sources: Set<string> } | null = null;
  private discarded: DiscardedCode | null = null;
  private readonly failuresBySource = new RateLimiter({ max: PAIRING_FAILURES_PER_SOURCE, windowMs: PAIRING_SOURCE_WINDOW_MS });
  private readonly revokeListeners: Array<(id: string) => void | Promise<void>> = [];
  private readonly storage: TerminalStorage;

  constructor(
    private readonly secret: Buffer,
    /** the data folder (terminals.json), or where the host keeps its records (the database) */
    storage: string | TerminalStorage,
  ) {
    this.storage = typeof storage === 'string' ? new FileTerminalStorage(storage) : storage;
    for (const t of this.storage.load()) this.paired.set(t.id, t);
    // another host paired or revoked a device: its cookie is honoured, or refused (and its sockets here closed)
    this.storage.onChange?.((terminals) => {
      for (const t of terminals) {
        const known = this.paired.get(t.id);
        this.paired.set(t.id, t);
        if (t.revoked && known && !known.revoked) for (const listener of this.revokeListeners) listener(t.id);
      }
    });
  }

  /** Cookie value for an identity: "kind:id:name" signed with the host secret. */
  cookieValue(identity: TerminalIdentity): string {
    return signedValue(this.secret, PURPOSE, `${identity.kind}|${identity.id}|${encodeURIComponent(identity.name)}`);
  }

  /** The identity a cookie proves, or null (forged, revoked or unknown paired device). */
  verify(cookie: string | undefined): TerminalIdentity | null {
    const value = verifySigned(this.secret, PURPOSE, cookie);
    if (!value) return null;
    const [kind, id, name] = value.split('|');
    if (!id || (kind !== 'local' && kind !== 'paired' && kind !== 'browser')) return null;
    if (kind === 'paired') {
      const info = this.paired.get(id);
      if (!info || info.revoked) return null;
    }
    try {
      return { id, name: decodeURIComponent(name ?? id), kind };
    } catch {
      // signed by this host, so never malformed unless an older version signed a broken name
      return { id, name: id, kind };
    }
  }

  newBrowserIdentity(): TerminalIdentity {
    const id = `web-${randomToken(6).toLowerCase().replace(/[^a-z0-9]/g, '')}`;
    return { id, name: `Браузер ${id.slice(4, 8)}`, kind: 'browser' };
  }

  pairingCode(now = Date.now()): { code: string; expiresAt: number } {
    if (!this.code || this.code.expiresAt <= now) {
      this.code = { code: String(randomInt(0, 1_000_000)).padStart(6, '0'), expiresAt: now + PAIRING_CODE_TTL_MS, failures: 0, sources: new Set() };
    }
    return { code: this.code.code, expiresAt: this.code.expiresAt };
  }

  /** The last code dropped for wrong tries, while it is recent enough to tell the host screen about. */
  lastDiscarded(now = Date.now()): DiscardedCode | null {
    if (this.discarded && now - this.discarded.at > DISCARD_NOTICE_MS) this.discarded = null;
    return this.discarded && { ...this.discarded, sources: [...this.discarded.sources] };
  }

  /**
   * Pairs a device when the code matches. The name is checked first (a bad name uses up nothing); the
   * code is single use; a device (`source`, its address) that keeps entering wrong codes waits, and the
   * code is dropped only after many wrong tries from all devices together. Nothing is kept unless saved.
   */
  async pair(code: string, rawName: string, source: string, now = Date.now()): Promise<PairingResult> {
    const named = terminalName(rawName);
    if ('error' in named) return { ok: false, status: 400, message: named.error };
    const wait = this.failuresBySource.retryAfter(source, now);
    if (wait > 0) {
      return { ok: false, status: 429, message: `Слишком много неверных кодов с этого устройства. Повторите через ${Math.ceil(wait / 60_000)} мин.`, retryAfterMs: wait };
    }
    const current = this.code && this.code.expiresAt > now ? this.code : null;
    if (!current || code.trim() !== current.code) {
      this.failuresBySource.fail(source, now);
      if (current) this.wrongCode(current, source, now);
      return { ok: false, status: 403, message: 'Неверный или просроченный код.' };
    }
    this.code = null;
    const id = `lan-${randomToken(6).toLowerCase().replace(/[^a-z0-9]/g, '')}`;
    const info: TerminalInfo = { id, name: named.name || `Терминал ${this.paired.size + 1}`, pairedAt: new Date(now).toISOString() };
    this.paired.set(id, info);
    try {
      await this.save();
    } catch (error) {
      // not saved, not paired: the device is not listed and the code still works for another try
      this.paired.delete(id);
      this.code ??= current;
      throw error;
    }
    this.failuresBySource.reset(source);
    return { ok: true, terminal: { id, name: info.name, kind: 'paired' } };
  }

  private wrongCode(current: NonNullable<TerminalRegistry['code']>, source: string, now: number): void {
    current.failures++;
    if (current.sources.size < 5) current.sources.add(source);
    if (current.failures < PAIRING_ATTEMPTS) return;
    this.code = null;
    this.discarded = { at: now, failures: current.failures, sources: [...current.sources] };
  }

  list(): TerminalInfo[] {
    return [...this.paired.values()].map((t) => ({ ...t }));
  }

  /** Revokes a paired device; resolves once it is stored and every listener (sockets, sessions) is done. */
  async revoke(id: string): Promise<boolean> {
    const info = this.paired.get(id);
    if (!info || info.revoked) return false;
    info.revoked = true;
    await this.save();
    await Promise.all(this.revokeListeners.map((listener) => listener(id)));
    return true;
  }

  onRevoke(listener: (id: string) => void | Promise<void>): void {
    this.revokeListeners.push(listener);
  }

  private async save(): Promise<void> {
    await this.storage.save(this.list());
  }
}
