'use strict';
// A manager confirms each return: by being logged in on the till, or by typing their PIN there. PINs are
// bcrypt hashes on the manager's account (set on the staff screen), like passwords. Wrong PINs are
// limited like logins: after MAX_FAILURES wrong PINs from one terminal within WINDOW_MS, that terminal
// waits (429) until the oldest of them has aged out; a right PIN clears its count. Browser terminals on the
// host machine are free to mint, so all terminals together also get MAX_FAILURES_ALL wrong PINs per window
// (a brute force stays slow; a manager logged in still confirms returns meanwhile). What is remembered is
// bounded (MAX_TERMINALS terminals, the last failures of each), whatever requests send.
const bcrypt = require('bcryptjs');
const { fill } = require('./text.js');
const t = require('../../manifest/strings.js');

const errors = t.returns.errors;
const WINDOW_MS = 5 * 60_000;
const MAX_FAILURES = 5;
const MAX_FAILURES_ALL = 20;
const MAX_TERMINALS = 1000;
/** the key counting every terminal's wrong PINs together (terminal ids never hold a space) */
const ALL = 'all terminals';
/** terminal id → times of its recent wrong PINs (insertion order: least recently failed first) */
const failures = new Map();

function refusal(status, message) {
  return Object.assign(new Error(message), { status, fields: { pin: message } });
}

function recent(key, now) {
  const times = (failures.get(key) ?? []).filter((at) => at > now - WINDOW_MS);
  if (times.length === 0) failures.delete(key);
  return times;
}

function waitFor(key, max, now) {
  const times = recent(key, now);
  return times.length < max ? 0 : times[times.length - max] + WINDOW_MS - now;
}

/** ms until this terminal may try a PIN again (0: now). */
function retryAfter(key, now = Date.now()) {
  return Math.max(waitFor(key, MAX_FAILURES, now), waitFor(ALL, MAX_FAILURES_ALL, now));
}

function remember(key, max, now) {
  const times = [...recent(key, now), now].slice(-max);
  failures.delete(key);
  failures.set(key, times);
  while (failures.size > MAX_TERMINALS) failures.delete(failures.keys().next().value);
}

function failed(key, now = Date.now()) {
  remember(key, MAX_FAILURES, now);
  remember(ALL, MAX_FAILURES_ALL, now);
}

/** The PIN form value checked: 4 to 8 digits. */
function isPin(value) {
  return typeof value === 'string' && /^\d{4,8}$/.test(value);
}

/** A PIN as it is stored (bcrypt, like passwords). */
function hashPin(pin) {
  return bcrypt.hashSync(pin, 10);
}

/**
 * Who confirms: the logged-in manager, or the active manager whose PIN was typed; else a refusal beside
 * the PIN field (422 missing, 403 wrong, 429 too many wrong ones from this terminal).
 */
function confirmingManager({ user, people, pin, terminalId, managerRole, now = Date.now() }) {
  if (user && user.role === managerRole) return { login: user.login, name: user.name, by: 'login' };
  if (!isPin(pin)) throw refusal(422, errors.pinMissing);
  const wait = retryAfter(terminalId, now);
  if (wait > 0) throw refusal(429, fill(errors.pinLocked, { minutes: Math.ceil(wait / 60_000) }));
  const manager = people.find((p) => p.role === managerRole && p.active !== false && p.pinHash && bcrypt.compareSync(pin, p.pinHash));
  if (!manager) {
    failed(terminalId, now);
    throw refusal(403, errors.pinWrong);
  }
  failures.delete(terminalId);
  return { login: manager.login, name: manager.name, by: 'pin' };
}

module.exports = { confirmingManager, isPin, hashPin, retryAfter, MAX_FAILURES, MAX_FAILURES_ALL, WINDOW_MS };
