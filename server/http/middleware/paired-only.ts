// A LAN device that has not paired sees the pairing page and nothing else.
import type { RequestHandler } from 'express';
import { HttpError } from '../http-error.js';
import { isSpa, locals } from '../respond.js';

export function pairedOnly(): RequestHandler {
  return (req, res, next) => {
    if (locals(res).identity.terminal) return next();
    if (req.method === 'GET' && !isSpa(req) && req.accepts(['html', 'json']) === 'html') return res.redirect(303, '/__pair');
    throw new HttpError(403, 'Это устройство не подключено к кассе: откройте /__pair и введите код с экрана кассы', { redirect: '/__pair' });
  };
}
