import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { memoized } from './memo.js';

export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/** sha256 in hex (session ids are the hash of their cookie token, looked up on every request). */
export const sha256: (value: string) => string = memoized((value) => createHash('sha256').update(value).digest('hex'));

const signers = new WeakMap<Buffer, (message: string) => string>();

export function sign(secret: Buffer, purpose: string, value: string): string {
  let signer = signers.get(secret);
  if (!signer) {
    signer = memoized((message) => createHmac('sha256', secret).update(message).digest('base64url'));
    signers.set(secret, signer);
  }
  return signer(`${purpose}\n${value}`);
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** value.signature, verifiable without server state */
export function signedValue(secret: Buffer, purpose: string, value: string): string {
  return `${value}.${sign(secret, purpose, value)}`;
}

export function verifySigned(secret: Buffer, purpose: string, signed: string | undefined): string | null {
  if (!signed) return null;
  const dot = signed.lastIndexOf('.');
  if (dot <= 0) return null;
  const value = signed.slice(0, dot);
  return safeEqual(signed.slice(dot + 1), sign(secret, purpose, value)) ? value : null;
}
