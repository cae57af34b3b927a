// LAN pairing: a device enters the short-lived code the host shows and gets a revocable terminal identity.
// The host machine (loopback only) sees the code, a QR code of its address and the paired terminals.
import express, { type Request, type Response, Router } from 'express';
import os from 'node:os';
import { serializeCookie, TERMINAL_COOKIE } from '../auth/cookies.js';
import { randomToken } from '../auth/tokens.js';
import { csrfToken, csrfValid, isSecure, originAllowed, type Identity } from './identity.js';
import { enginePage, escapeHtml } from './page.js';
import { importModule } from '../manifest/import-module.js';
import type { AppDeps } from './app.js';

function lanAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((a): a is os.NetworkInterfaceInfo => Boolean(a) && a!.family === 'IPv4' && !a!.internal)
    .map((a) => a.address);
}

export function pairingRouter(deps: AppDeps): Router {
  const router = Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });

  const pairForm = (error = '', csrf = '') =>
    enginePage(
      'Подключение терминала',
      `<h1>Подключение терминала к кассе</h1>
<p>Введите код, который показан на экране кассы (меню «Терминалы»).</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/__pair">
<input type="hidden" name="_csrf" value="${escapeHtml(csrf)}">
<label for="code">Код</label><input id="code" name="code" inputmode="numeric" autocomplete="one-time-code" autofocus required>
<label for="name">Название терминала</label><input id="name" name="name" placeholder="Касса 2">
<button type="submit">Подключить</button></form>`,
    );

  // pairing forms carry a token bound to a short-lived anonymous cookie so a foreign page cannot pair a device
  const anonymousCsrf = (req: Request, res: Response): string => {
    const identity = res.locals.identity as Identity;
    let anon = identity.cookies['sok_pair'];
    if (!anon) {
      anon = randomToken(16);
      res.append('Set-Cookie', serializeCookie('sok_pair', anon, { maxAgeSeconds: 600, secure: isSecure(req) }));
    }
    return csrfToken(deps.secret, { sessionToken: null, terminalCookie: `pair:${anon}` });
  };

  router.get('/__pair', (req, res) => {
    res.type('html').send(pairForm('', anonymousCsrf(req, res)));
  });

  router.post('/__pair', form, async (req, res) => {
    const identity = res.locals.identity as Identity;
    const anon = identity.cookies['sok_pair'] ?? '';
    const body = (req.body ?? {}) as Record<string, string>;
    const token = csrfToken(deps.secret, { sessionToken: null, terminalCookie: `pair:${anon}` });
    if (!originAllowed(req) || !anon || body._csrf !== token) {
      res.status(403).type('html').send(pairForm('Форма устарела, попробуйте ещё раз.', anonymousCsrf(req, res)));
      return;
    }
    const terminal = await deps.terminals.pair(String(body.code ?? ''), String(body.name ?? ''));
    if (!terminal) {
      res.status(403).type('html').send(pairForm('Неверный или просроченный код.', token));
      return;
    }
    res.append(
      'Set-Cookie',
      serializeCookie(TERMINAL_COOKIE, deps.terminals.cookieValue(terminal), { maxAgeSeconds: 10 * 365 * 86400, secure: isSecure(req) }),
    );
    res.redirect(303, '/');
  });

  router.get('/__terminals', async (req, res) => {
    const identity = res.locals.identity as Identity;
    if (!identity.local) {
      res.status(403).type('text').send('only the host machine manages terminals');
      return;
    }
    const { code, expiresAt } = deps.terminals.pairingCode();
    const port = req.socket.localPort;
    const urls = lanAddresses().map((a) => `http://${a}:${port}/__pair`);
    // the QR code library is loaded on the first visit to this page, not at start-up
    const qr = urls[0] ? await (await importModule<{ default: typeof import('qrcode') }>('qrcode')).default.toDataURL(urls[0], { margin: 1, width: 200 }) : '';
    const csrf = csrfToken(deps.secret, identity);
    const rows = deps.terminals
      .list()
      .map(
        (t) => `<tr><td>${escapeHtml(t.name)}</td><td>${escapeHtml(t.id)}</td><td>${escapeHtml(t.pairedAt.slice(0, 16).replace('T', ' '))}</td><td>${
          t.revoked
            ? 'отключён'
            : `<form method="post" action="/__terminals/revoke"><input type="hidden" name="_csrf" value="${escapeHtml(csrf)}"><input type="hidden" name="id" value="${escapeHtml(t.id)}"><button>Отключить</button></form>`
        }</td></tr>`,
      )
      .join('');
    res.type('html').send(
      enginePage(
        'Терминалы',
        `<h1>Терминалы кассы</h1>
<p>Код подключения (действует до ${new Date(expiresAt).toLocaleTimeString('ru-RU')}):</p><p class="code" id="pairing-code">${code}</p>
${urls.length ? `<p>Адрес для устройств: ${urls.map((u) => `<code>${escapeHtml(u)}</code>`).join(', ')}</p>${qr ? `<img alt="QR-код адреса" src="${qr}">` : ''}` : '<p>Хост слушает только этот компьютер (запустите с --lan).</p>'}
<h2>Подключённые</h2><table><tr><th>Имя</th><th>Id</th><th>С</th><th></th></tr>${rows || '<tr><td colspan="4">нет</td></tr>'}</table>`,
      ),
    );
  });

  router.post('/__terminals/revoke', form, async (req, res) => {
    const identity = res.locals.identity as Identity;
    const body = (req.body ?? {}) as Record<string, string>;
    if (!identity.local || !originAllowed(req) || !csrfValid(deps.secret, identity, body._csrf)) {
      res.status(403).type('text').send('refused');
      return;
    }
    await deps.terminals.revoke(String(body.id ?? ''));
    res.redirect(303, '/__terminals');
  });

  return router;
}
