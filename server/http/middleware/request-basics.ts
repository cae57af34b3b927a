// What every request gets first: it is counted as in flight until answered (so the host's close() lets it
// finish), a CSP nonce and the security headers, and the DNS-rebinding guard on the Host header.
import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { AppDeps } from '../deps.js';
import { HttpError } from '../http-error.js';
import { hostAllowed } from '../identity.js';
import { contentSecurityPolicy } from '../page.js';

// CSP nonces: 16 random bytes each, cut from a larger random block (one call into the CSPRNG per 256 requests)
let noncePool = Buffer.alloc(0);
let nonceOffset = 0;

function newNonce(): string {
  if (nonceOffset + 16 > noncePool.length) {
    noncePool = randomBytes(4096);
    nonceOffset = 0;
  }
  const nonce = noncePool.toString('base64', nonceOffset, nonceOffset + 16);
  nonceOffset += 16;
  return nonce;
}

export function requestBasics(deps: AppDeps): RequestHandler {
  return (req, res, next) => {
    deps.inFlight.count++;
    let done = false;
    const finished = () => {
      if (done) return;
      done = true;
      deps.inFlight.count--;
      if (deps.inFlight.count === 0) for (const resolve of deps.inFlight.idle.splice(0)) resolve();
    };
    res.on('finish', finished);
    res.on('close', finished);

    const nonce = newNonce();
    res.locals.nonce = nonce;
    res.setHeader('Content-Security-Policy', contentSecurityPolicy(nonce));
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cache-Control', 'no-store');

    if (hostAllowed(req)) return next();
    throw new HttpError(
      403,
      `Запрос к кассе по чужому имени (Host: ${req.get('host')}) отклонён: откройте кассу по её IP-адресу или по имени этого компьютера`,
    );
  };
}
