// Issue 15, finding 1: everything an unauthenticated request can make the host remember is bounded. The
// login limiter used to keep every login name whole (up to the 1 MB body limit) until that same name was
// seen again; a flood of new huge names grew the heap until the host died.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_STORED_KEY_LENGTH, RateLimiter } from '../../../server/auth/rate-limit.js';
import { LoginGuard, MAX_LOGIN_NAME_LENGTH } from '../../../server/auth/login-guard.js';
import { memoized, MAX_MEMO_KEY_LENGTH } from '../../../server/auth/memo.js';

const WINDOW_MS = 5 * 60_000;
/** 100 KB keys, unique by their ending (one shared prefix, so the test itself stays small) */
const prefix = 'x'.repeat(100 * 1024);
const hugeKey = (i: number) => `${prefix}${i}`;

test('the limiter caps its entries and keeps long keys only as a short hash', () => {
  const limiter = new RateLimiter({ max: 5, windowMs: WINDOW_MS, maxEntries: 100 });
  for (let i = 0; i < 1000; i++) limiter.fail(hugeKey(i));
  assert.equal(limiter.size, 100, 'entries past the cap are evicted, oldest first');
  assert.ok(limiter.longestStoredKey() <= MAX_STORED_KEY_LENGTH, `a stored key is ${limiter.longestStoredKey()} characters long`);
  // the newest keys are the ones kept, and still limit
  for (let i = 0; i < 4; i++) limiter.fail(hugeKey(999));
  assert.ok(limiter.retryAfter(hugeKey(999)) > 0, 'a hashed key still counts its failures');
  assert.equal(limiter.retryAfter(hugeKey(0)), 0, 'the oldest key was forgotten');
});

test('the limiter forgets a key by timer once its window has passed, even if the key never comes back', (t) => {
  t.mock.timers.enable({ apis: ['setInterval', 'Date'], now: 1_000_000 });
  const limiter = new RateLimiter({ max: 5, windowMs: WINDOW_MS });
  for (let i = 0; i < 50; i++) limiter.fail(`name-${i}`);
  assert.equal(limiter.size, 50);
  t.mock.timers.tick(WINDOW_MS + 1);
  assert.equal(limiter.size, 0, 'expired keys stay until the same key is seen again');
  limiter.close();
});

test('one key keeps at most `max` failure times, however often it fails', () => {
  const limiter = new RateLimiter({ max: 5, windowMs: WINDOW_MS });
  for (let i = 0; i < 10_000; i++) limiter.fail('same', 1000 + i);
  const lists = (limiter as unknown as { hits: Map<string, number[]> }).hits;
  assert.equal(lists.get('same')?.length, 5);
  limiter.close();
});

test('the login guard: over-long names are refused outright; what it remembers stays small', () => {
  assert.match(LoginGuard.refusedName('x'.repeat(MAX_LOGIN_NAME_LENGTH + 1)) ?? '', /Слишком длинное имя/);
  assert.equal(LoginGuard.refusedName('kassir'), null);
  const guard = new LoginGuard();
  for (let i = 0; i < 2000; i++) guard.failed({ account: `${'n'.repeat(MAX_LOGIN_NAME_LENGTH - 6)}${i}`, source: `terminal:web-${i}`, mintable: true });
  const { entries, longestKey } = guard.footprint();
  assert.ok(longestKey <= MAX_STORED_KEY_LENGTH, `longest key ${longestKey}`);
  assert.equal(entries, 6000, 'three limits, one entry each per attempt');
});

test('the signature memo keeps no key longer than any cookie the host sets', () => {
  let calls = 0;
  const sign = memoized((key) => `${++calls}:${key.length}`);
  const long = 'c'.repeat(MAX_MEMO_KEY_LENGTH + 1);
  assert.equal(sign(long), '1:2049');
  assert.equal(sign(long), '2:2049', 'a long key is computed again, not kept');
  assert.equal(sign('short'), '3:5');
  assert.equal(sign('short'), '3:5');
});
