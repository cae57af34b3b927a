// Who asks: the terminal (desktop window, paired device, browser on the host computer) and the login, kept in
// res.locals.identity for everything after; new terminal cookies are set here.
import type { RequestHandler } from 'express';
import type { AppDeps } from '../deps.js';
import { identify } from '../identity.js';

export function identifyRequester(deps: AppDeps): RequestHandler {
  return async (req, res, next) => {
    const identity = await identify(deps.engine(), deps.terminals, req, { lan: deps.lan, issueBrowserTerminal: true });
    res.locals.identity = identity;
    for (const cookie of identity.setCookies) res.append('Set-Cookie', cookie);
    next();
  };
}
