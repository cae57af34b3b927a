// Sessions live in a connector (default "session"). The stored id is a hash of the cookie token, so a
// copied data file does not hand out logins. Sessions expire server-side (idle and absolute limits), are
// created fresh on every login (no fixation) and deleted on logout. A session belongs to the terminal it
// was made on: its cookie opens nothing on another terminal, and revoking a terminal ends its sessions.
import { sessionConnectorName } from '../manifest/auth-rules.js';
import type { AuthConfig } from '../manifest/types.js';
import type { Store } from '../store/types.js';
import { randomToken, sha256 } from './tokens.js';

export interface SessionRecord {
  id: string;
  userKey: string;
  login: string;
  /** the terminal the login was made on (sessions stored before terminals were recorded have none, and are not honoured) */
  terminalId?: string;
  createdAt: number;
  lastSeen: number;
}

const DEFAULT_IDLE_MINUTES = 12 * 60;
const DEFAULT_ABSOLUTE_HOURS = 24;
const PERSIST_LAST_SEEN_MS = 60_000;
const MISSED_LOOKUP_MS = 1_000;
const MISSED_LOOKUP_LIMIT = 10_000;

export class SessionManager {
  readonly connector: string;
  private readonly idleMs: number;
  private readonly absoluteMs: number;
  private readonly byId = new Map<string, SessionRecord>();
  private persistedLastSeen = new Map<string, number>();
  /** logins and logouts of this host not stored yet (a shared store: what is stored may be another host's) */
  private readonly createdHere = new Set<string>();
  private readonly endedHere = new Set<string>();
  /** tokens (hashed) resolveShared looked up in the database in vain, and when */
  private readonly missedLookups = new Map<string, number>();

  constructor(
    private readonly store: Store,
    auth: AuthConfig,
    private readonly now: () => number = Date.now,
  ) {
    this.connector = sessionConnectorName(auth);
    this.idleMs = (auth.session?.idleMinutes ?? DEFAULT_IDLE_MINUTES) * 60_000;
    this.absoluteMs = (auth.session?.absoluteHours ?? DEFAULT_ABSOLUTE_HOURS) * 3_600_000;
    // a store several hosts share: a login or logout on another host counts here too (no sticky sessions)
    store.onRemoteCommit?.((commit) => {
      if (commit.changes.some((change) => change.name === this.connector)) this.follow(this.store.peek(this.connector, 'global'));
    });
  }

  /** Takes the stored sessions as the truth, with this host's logins, logouts and activity not stored yet on top. */
  private follow(state: unknown): void {
    const stored = recordsOf(state);
    const storedIds = new Set(stored.map((record) => record.id));
    for (const id of this.byId.keys()) if (!storedIds.has(id) && !this.createdHere.has(id)) this.byId.delete(id);
    for (const record of stored) {
      if (this.endedHere.has(record.id)) continue;
      const mine = this.byId.get(record.id);
      if (!mine) this.byId.set(record.id, { ...record });
      else if (record.lastSeen > mine.lastSeen) mine.lastSeen = record.lastSeen;
    }
  }

  async load(): Promise<void> {
    for (const item of recordsOf(await this.store.read(this.connector, 'global'))) {
      this.byId.set(item.id, { ...item });
      this.persistedLastSeen.set(item.id, item.lastSeen);
    }
    this.dropExpired();
  }

  get maxAgeSeconds(): number {
    return Math.floor(this.absoluteMs / 1000);
  }

  /**
   * The live session for a cookie token presented by a terminal, touching its idle timer; null when
   * unknown, expired, or made on another terminal (a copied cookie stays useless elsewhere).
   */
  resolve(token: string | undefined, terminalId: string | null): SessionRecord | null {
    if (!token) return null;
    const id = sha256(token);
    // a login another host stored a moment ago, not followed here yet
    if (!this.byId.has(id) && this.store.shared) this.follow(this.store.peek(this.connector, 'global'));
    const record = this.byId.get(id);
    if (!record || !terminalId || record.terminalId !== terminalId) return null;
    const now = this.now();
    if (this.expired(record, now)) {
      this.byId.delete(id);
      this.persistInBackground();
      return null;
    }
    record.lastSeen = now;
    if (now - (this.persistedLastSeen.get(id) ?? 0) > PERSIST_LAST_SEEN_MS) this.persistInBackground();
    return record;
  }

  /**
   * resolve, and on a store several hosts share, one more look in the database for a token this host has not
   * heard of: a login stored by another host a moment ago (before its notification came) is a login here too,
   * so a client may send its next request to any host. A token looked up in vain is not looked up again for
   * a second (a stale cookie sent with every request costs the database one query a second, not one each).
   */
  async resolveShared(token: string | undefined, terminalId: string | null): Promise<SessionRecord | null> {
    const found = this.resolve(token, terminalId);
    if (found || !token || !this.store.shared || !this.store.catchUp) return found;
    const id = sha256(token);
    if (this.byId.has(id)) return null; // known here: expired, or another terminal's
    const now = this.now();
    const missedAt = this.missedLookups.get(id);
    if (missedAt !== undefined && now - missedAt < MISSED_LOOKUP_MS) return null;
    await this.store.catchUp(this.connector, 'global');
    this.follow(this.store.peek(this.connector, 'global'));
    const record = this.resolve(token, terminalId);
    if (!record && !this.byId.has(id)) {
      if (this.missedLookups.size >= MISSED_LOOKUP_LIMIT) this.missedLookups.clear();
      this.missedLookups.set(id, now);
    }
    return record;
  }

  /** Whether a cookie token still names a live session, without counting this as activity. */
  isLive(token: string): boolean {
    const record = this.byId.get(sha256(token));
    return Boolean(record && !this.expired(record, this.now()));
  }

  /** A new session; when it cannot be stored (a full disk) it is not created at all and this rejects. */
  async create(userKey: string, login: string, terminalId: string): Promise<string> {
    const token = randomToken();
    const now = this.now();
    const id = sha256(token);
    this.byId.set(id, { id, userKey, login, terminalId, createdAt: now, lastSeen: now });
    this.createdHere.add(id);
    await this.persistOrUndo(() => {
      this.byId.delete(id);
      this.createdHere.delete(id);
    });
    return token;
  }

  /** Ends a session; when that cannot be stored it stays as it was (and this rejects), never half-ended. */
  async destroy(token: string | undefined): Promise<void> {
    if (!token) return;
    const id = sha256(token);
    const record = this.byId.get(id);
    if (!record) return;
    this.byId.delete(id);
    this.endedHere.add(id);
    await this.persistOrUndo(() => {
      this.byId.set(id, record);
      this.endedHere.delete(id);
    });
  }

  /** Ends every session of a user (e.g. after a password change). */
  async destroyUser(userKey: string): Promise<void> {
    await this.endWhere((record) => record.userKey === userKey);
  }

  /** Ends the sessions `matches` picks; when that cannot be stored they stay as they were (and this rejects). */
  private async endWhere(matches: (record: SessionRecord) => boolean): Promise<number> {
    const ended = [...this.byId.values()].filter(matches);
    if (ended.length === 0) return 0;
    for (const record of ended) {
      this.byId.delete(record.id);
      this.endedHere.add(record.id);
    }
    await this.persistOrUndo(() => {
      for (const record of ended) {
        this.byId.set(record.id, record);
        this.endedHere.delete(record.id);
      }
    });
    return ended.length;
  }

  private async persistOrUndo(undo: () => void): Promise<void> {
    try {
      await this.persist();
    } catch (error) {
      undo();
      throw error;
    }
  }

  /** Activity and expiry are saved when they can be: a failure (the store reports it) is retried next time. */
  private persistInBackground(): void {
    this.persist().catch(() => {
      this.persistedLastSeen.clear();
    });
  }

  /** Ends every session made on a terminal (it was revoked); resolves once that is stored. */
  async destroyTerminal(terminalId: string): Promise<number> {
    return this.endWhere((record) => record.terminalId === terminalId);
  }

  private expired(record: SessionRecord, now: number): boolean {
    return now - record.lastSeen > this.idleMs || now - record.createdAt > this.absoluteMs;
  }

  private dropExpired(): void {
    const now = this.now();
    for (const [id, record] of this.byId) if (this.expired(record, now)) this.byId.delete(id);
  }

  private async persist(): Promise<void> {
    const release = await this.store.lock([{ name: this.connector, scopeKey: 'global' }]);
    let durable: Promise<void>;
    let stored: { created: string[]; ended: string[] };
    try {
      // what is stored now (another host's logins included) with this host's changes on top, taken under the
      // lock, so a later persist never stores an older picture of the sessions
      this.follow(await this.store.read(this.connector, 'global'));
      stored = { created: [...this.createdHere], ended: [...this.endedHere] };
      this.dropExpired();
      const items = [...this.byId.values()].map((r) => ({ ...r }));
      this.persistedLastSeen = new Map(items.map((r) => [r.id, r.lastSeen]));
      durable = this.store.commit([{ name: this.connector, scopeKey: 'global', state: { items } }]);
    } finally {
      release();
    }
    await durable;
    for (const id of stored.created) this.createdHere.delete(id);
    for (const id of stored.ended) this.endedHere.delete(id);
  }
}

function recordsOf(state: unknown): SessionRecord[] {
  const items = Array.isArray(state) ? state : ((state as { items?: unknown } | undefined)?.items ?? []);
  if (!Array.isArray(items)) return [];
  return (items as SessionRecord[]).filter((item) => item && typeof item.id === 'string' && typeof item.userKey === 'string');
}
