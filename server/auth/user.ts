// The user object templates, steps and socket payloads see: never the password field (compatibility.md D22).
import type { AuthConfig } from '../manifest/types.js';

const ALWAYS_SECRET = ['password', 'passwordHash', 'password_hash', 'hash'];

export function secretFields(auth: AuthConfig | undefined): Set<string> {
  return new Set([...(auth ? [auth.passwordField] : []), ...ALWAYS_SECRET]);
}

export function publicUser(user: Record<string, unknown>, secrets: Set<string>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(user)) if (!secrets.has(key)) out[key] = value;
  return out;
}

/** A connector state with secret fields removed from its items (for socket payloads of the user connector). */
export function redactState(state: unknown, secrets: Set<string>): unknown {
  if (Array.isArray(state)) return state.map((item) => (item && typeof item === 'object' ? publicUser(item as Record<string, unknown>, secrets) : item));
  if (state && typeof state === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(state)) {
      if (secrets.has(key)) continue;
      out[key] = key === 'items' ? redactState(value, secrets) : value;
    }
    return out;
  }
  return state;
}
