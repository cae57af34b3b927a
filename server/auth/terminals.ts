// Terminal identity: every till window, LAN device and browser gets a signed terminal cookie. Windows of
// the desktop host get theirs from the host; a browser on the host machine gets one on first visit; a LAN
// device must pair with a short-lived code shown on the host. Paired terminals can be revoked.
import { randomInt } from 'node:crypto';
import type { TerminalInfo } from '../host-types.js';
import { FileTerminalStorage, type TerminalStorage } from './host-storage.js';
import { randomToken, signedValue, verifySigned } from './tokens.js';

const PURPOSE = 'terminal';
const PAIRING_CODE_TTL_MS = 5 * 60_000;
/** wrong codes tolerated before the current code is dropped: a 6-digit code must not be guessable by trying */
const PAIRING_ATTEMPTS = 5;

export interface TerminalIdentity {
  id: string;
  name: string;
  kind: 'local' | 'paired' | 'browser';
}

export class TerminalRegistry {
  private readonly paired = new Map<string, TerminalInfo>();
  private code: { code: string; expiresAt: number; failures: number } | null = null;
  private readonly revokeListeners: Array<(id: string) => void> = [];
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
    return { id, name: decodeURIComponent(name ?? id), kind };
  }

  newBrowserIdentity(): TerminalIdentity {
    const id = `web-${randomToken(6).toLowerCase().replace(/[^a-z0-9]/g, '')}`;
    return { id, name: `Браузер ${id.slice(4, 8)}`, kind: 'browser' };
  }

  pairingCode(now = Date.now()): { code: string; expiresAt: number } {
    if (!this.code || this.code.expiresAt <= now) {
      this.code = { code: String(randomInt(0, 1_000_000)).padStart(6, '0'), expiresAt: now + PAIRING_CODE_TTL_MS, failures: 0 };
    }
    return { code: this.code.code, expiresAt: this.code.expiresAt };
  }

  /** Pairs a device when the code matches; the code is single-use and dropped after a few wrong tries. */
  async pair(code: string, name: string, now = Date.now()): Promise<TerminalIdentity | null> {
    if (!this.code || this.code.expiresAt <= now) return null;
    if (code.trim() !== this.code.code) {
      if (++this.code.failures >= PAIRING_ATTEMPTS) this.code = null;
      return null;
    }
    this.code = null;
    const id = `lan-${randomToken(6).toLowerCase().replace(/[^a-z0-9]/g, '')}`;
    const info: TerminalInfo = { id, name: name.trim().slice(0, 60) || `Терминал ${this.paired.size + 1}`, pairedAt: new Date(now).toISOString() };
    this.paired.set(id, info);
    await this.save();
    return { id, name: info.name, kind: 'paired' };
  }

  list(): TerminalInfo[] {
    return [...this.paired.values()].map((t) => ({ ...t }));
  }

  async revoke(id: string): Promise<boolean> {
    const info = this.paired.get(id);
    if (!info || info.revoked) return false;
    info.revoked = true;
    await this.save();
    for (const listener of this.revokeListeners) listener(id);
    return true;
  }

  onRevoke(listener: (id: string) => void): void {
    this.revokeListeners.push(listener);
  }

  private async save(): Promise<void> {
    await this.storage.save(this.list());
  }
}
