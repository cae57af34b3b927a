// Failures per key in a sliding window (login attempts, pairing codes). The keys come from requests, so
// everything the limiter remembers is bounded whatever a request sends: a long key is kept as its hash,
// an entry's list never holds more than `max` times, entries are dropped by an (unref'd) timer once their
// window has passed, and past `maxEntries` the entry touched longest ago is forgotten first.
import { createHash } from 'node:crypto';

export interface RateLimitRule {
  max: number;
  windowMs: number;
  /** most keys remembered at once; default DEFAULT_MAX_ENTRIES */
  maxEntries?: number;
}

/** Enough for every till, device and cashier of a shop many times over; ~1.5 MB at most. */
export const DEFAULT_MAX_ENTRIES = 10_000;
/** Keys up to this many UTF-16 units are kept as they are; longer ones as their SHA-256 (64 hex digits). */
export const MAX_STORED_KEY_LENGTH = 128;

export function storedKey(key: string): string {
  return key.length <= MAX_STORED_KEY_LENGTH ? key : `#${createHash('sha256').update(key).digest('hex')}`;
}

export class RateLimiter {
  /** insertion order is recency: a key is moved to the end whenever it fails again */
  private readonly hits = new Map<string, number[]>();
  private readonly maxEntries: number;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly rule: RateLimitRule,
    private readonly clock: () => number = Date.now,
  ) {
    this.maxEntries = rule.maxEntries ?? DEFAULT_MAX_ENTRIES;
  }

  /** ms until the key may try again, or 0 when it may try now */
  retryAfter(key: string, now = this.clock()): number {
    const list = this.live(storedKey(key), now);
    if (list.length < this.rule.max) return 0;
    return list[list.length - this.rule.max] + this.rule.windowMs - now;
  }

  fail(key: string, now = this.clock()): void {
    const stored = storedKey(key);
    const list = this.live(stored, now);
    list.push(now);
    // older failures than the last `max` can never decide a wait
    if (list.length > this.rule.max) list.splice(0, list.length - this.rule.max);
    this.hits.delete(stored);
    this.hits.set(stored, list);
    while (this.hits.size > this.maxEntries) this.hits.delete(this.hits.keys().next().value as string);
    this.startSweeping();
  }

  reset(key: string): void {
    this.hits.delete(storedKey(key));
    if (this.hits.size === 0) this.stopSweeping();
  }

  /** keys remembered now */
  get size(): number {
    return this.hits.size;
  }

  /** the longest key remembered (UTF-16 units), for checks that nothing a request sends is kept whole */
  longestStoredKey(): number {
    let longest = 0;
    for (const key of this.hits.keys()) longest = Math.max(longest, key.length);
    return longest;
  }

  /** Forgets every entry whose window has passed (the timer does this on its own). */
  sweep(now = this.clock()): void {
    for (const [key, list] of this.hits) {
      if (list[list.length - 1] <= now - this.rule.windowMs) this.hits.delete(key);
    }
    if (this.hits.size === 0) this.stopSweeping();
  }

  /** Stops the timer (entries stay until the limiter is dropped). */
  close(): void {
    this.stopSweeping();
  }

  /** The key's failures still inside the window; the stored list itself (possibly empty, then forgotten). */
  private live(stored: string, now: number): number[] {
    const list = this.hits.get(stored);
    if (!list) return [];
    const cutoff = now - this.rule.windowMs;
    let expired = 0;
    while (expired < list.length && list[expired] <= cutoff) expired++;
    if (expired > 0) list.splice(0, expired);
    if (list.length === 0) this.hits.delete(stored);
    return list;
  }

  private startSweeping(): void {
    if (this.sweeper) return;
    this.sweeper = setInterval(() => this.sweep(), this.rule.windowMs);
    // a limiter never keeps the process alive
    this.sweeper.unref();
  }

  private stopSweeping(): void {
    if (!this.sweeper) return;
    clearInterval(this.sweeper);
    this.sweeper = undefined;
  }
}
