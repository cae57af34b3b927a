// How fast logins may fail, and for whom. A lockout keyed by the account alone let anyone lock the real
// cashier or manager out by typing wrong passwords; so failures count per (source, account) and per
// source, where a source is a terminal on the host machine (its desktop window or browser) or the address
// of another device. Terminal cookies of browsers on the host machine are free to mint, so attempts from
// them also share one budget per account: brute force from there stays slow, while the desktop app's own
// windows and paired LAN devices are never held back by anyone else's failures.
import { RateLimiter } from './rate-limit.js';

const WINDOW_MS = 5 * 60_000;
/** wrong passwords for one account from one source before that source waits */
const PER_SOURCE_ACCOUNT = 5;
/** wrong passwords from one source, whatever the accounts */
const PER_SOURCE = 20;
/** wrong passwords for one account from all browser terminals of the host machine together */
const PER_ACCOUNT_FROM_BROWSERS = 10;
/** a login name longer than this is refused before anything is counted or remembered */
export const MAX_LOGIN_NAME_LENGTH = 256;

export interface LoginAttempt {
  /** the login name as the request gave it */
  account: string;
  /** the terminal (`terminal:<id>`) or the address (`ip:<address>`) the attempt came from */
  source: string;
  /** the source is a terminal cookie anyone can get fresh (a browser on the host machine) */
  mintable: boolean;
}

export class LoginGuard {
  private readonly bySourceAccount = new RateLimiter({ max: PER_SOURCE_ACCOUNT, windowMs: WINDOW_MS });
  private readonly bySource = new RateLimiter({ max: PER_SOURCE, windowMs: WINDOW_MS });
  private readonly byAccountFromBrowsers = new RateLimiter({ max: PER_ACCOUNT_FROM_BROWSERS, windowMs: WINDOW_MS });

  /** A message for a login name that is refused outright (400), or null. */
  static refusedName(account: string): string | null {
    return account.length > MAX_LOGIN_NAME_LENGTH ? `Слишком длинное имя пользователя (больше ${MAX_LOGIN_NAME_LENGTH} символов)` : null;
  }

  /** ms until this attempt may be made, 0 when it may be made now */
  retryAfter(attempt: LoginAttempt): number {
    return Math.max(
      this.bySourceAccount.retryAfter(pair(attempt)),
      this.bySource.retryAfter(attempt.source),
      attempt.mintable ? this.byAccountFromBrowsers.retryAfter(attempt.account) : 0,
    );
  }

  failed(attempt: LoginAttempt): void {
    this.bySourceAccount.fail(pair(attempt));
    this.bySource.fail(attempt.source);
    if (attempt.mintable) this.byAccountFromBrowsers.fail(attempt.account);
  }

  succeeded(attempt: LoginAttempt): void {
    this.bySourceAccount.reset(pair(attempt));
  }

  /** keys remembered across all limits and the longest of them (what the memory checks measure) */
  footprint(): { entries: number; longestKey: number } {
    const limiters = [this.bySourceAccount, this.bySource, this.byAccountFromBrowsers];
    return {
      entries: limiters.reduce((sum, l) => sum + l.size, 0),
      longestKey: Math.max(...limiters.map((l) => l.longestStoredKey())),
    };
  }
}

function pair(attempt: LoginAttempt): string {
  return `${attempt.source}\n${attempt.account}`;
}
