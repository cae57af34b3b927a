// The host's signing secret (terminal cookies, CSRF tokens), kept in the data folder so cookies
// survive a restart. Written once, readable only by the owner.
import { PRIVATE_DIR_MODE } from '../store/file-system.js';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function loadHostSecret(dataDir: string): Buffer {
  const file = path.join(dataDir, 'host-secret');
  if (existsSync(file)) {
    const value = readFileSync(file);
    if (value.length >= 32) return value;
  }
  mkdirSync(dataDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const secret = randomBytes(32);
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
