// LAN pairing: a device enters the short-lived code the host shows and gets a revocable terminal identity.
// The host machine (loopback only) sees the code, a QR code of its address and the paired terminals, and
// there only a user with one of the app's terminals roles (auth.terminalsRoles; a manager) may: anyone
// else is sent to log in first and brought back.
import express, { type Request, type Response, Router } from 'express';
import os from 'node:os';
import { serializeCookie, TERMINAL_COOKIE } from '../auth/cookies.js';
import { randomToken } from '../auth/tokens.js';
import { csrfToken, csrfValid, isSecure, originAllowed, type Identity } from './identity.js';
import { enginePage, escapeHtml } from './page.js';
import { importModule } from '../manifest/import-module.js';
import type { AppDeps } from './deps.js';
import type { Engine } from '../engine.js';

/** Who may open the terminals page and revoke devices when the manifest's auth does not say (auth.terminalsRoles). */
export const DEFAULT_TERMINALS_ROLES: readonly string[] = ['admin', 'manager'];
const TERMINALS_PATH = '/__terminals';

export function terminalsRoles(engine: Engine): readonly string[] {
  return engine.manifest.auth?.terminalsRoles ?? DEFAULT_TERMINALS_ROLES;
}

/**
 * The terminals page is for the host machine only, and there (when the app has logins) for a user with
 * one of the terminals roles; an app without auth has no roles, and the host machine's user manages it.
 */
function terminalsAccess(engine: Engine, identity: Identity): 'ok' | 'not-local' | 'needs-role' {
  if (!identity.local) return 'not-local';
  if (!engine.manifest.auth) return 'ok';
  const roles = terminalsRoles(engine);
  return identity.roles.some((role) => roles.includes(role)) ? 'ok' : 'needs-role';
}

/** The app's login page, asked to come back here (an app's login may honour `next`; apps/kassa does). */
function loginForTerminals(engine: Engine): string {
  return `${engine.manifest.auth?.loginPath ?? '/login'}?next=${encodeURIComponent(TERMINALS_PATH)}`;
}

function lanAddresses(): string[] {
  return Object.values(os.networkInterfaces())
    .flat()
    .filter((a): a is os.NetworkInterfaceInfo => Boolean(a) && a!.family === 'IPv4' && !a!.internal)
    .map((a) => a.address);
}

function timeOf(ms: number): string {
  return new Date(ms).toLocaleTimeString('ru-RU');
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
    const source = req.socket.remoteAddress ?? 'unknown';
    let result;
    try {
      result = await deps.terminals.pair(String(body.code ?? ''), String(body.name ?? ''), source);
    } catch (error) {
      deps.engine().log.error(`pairing a terminal from ${source}: ${(error as Error)?.stack ?? String(error)}`);
      res.status(503).type('html').send(pairForm('Касса не смогла сохранить подключение. Попробуйте ещё раз; если не выйдет — сообщите менеджеру.', token));
      return;
    }
    if (!result.ok) {
      if (result.retryAfterMs) res.setHeader('Retry-After', String(Math.ceil(result.retryAfterMs / 1000)));
      res.status(result.status).type('html').send(pairForm(result.message, token));
      return;
    }
    res.append(
      'Set-Cookie',
      serializeCookie(TERMINAL_COOKIE, deps.terminals.cookieValue(result.terminal), { maxAgeSeconds: 10 * 365 * 86400, secure: isSecure(req) }),
    );
    res.redirect(303, '/');
  });

  router.get(TERMINALS_PATH, async (req, res) => {
    const identity = res.locals.identity as Identity;
    const engine = deps.engine();
    const access = terminalsAccess(engine, identity);
    if (access === 'not-local') {
      res.status(403).type('text').send('only the host machine manages terminals');
      return;
    }
    if (access === 'needs-role') {
      res.redirect(303, loginForTerminals(engine));
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
    const dropped = deps.terminals.lastDiscarded();
    const droppedNotice = dropped
      ? `<p class="error" role="alert" id="code-discarded">Предыдущий код отменён в ${escapeHtml(timeOf(dropped.at))}: ${dropped.failures} неверных попыток ввода с ${escapeHtml(dropped.sources.join(', '))}. Ниже новый код. Если в это время никто не подключал терминал, кто-то в сети пытался подобрать код.</p>`
      : '';
    const time = (ms: number) => escapeHtml(timeOf(ms));
    res.type('html').send(
      enginePage(
        'Терминалы',
        `<h1>Терминалы кассы</h1>
${droppedNotice}<p>Код подключения (действует до ${time(expiresAt)}):</p><p class="code" id="pairing-code">${code}</p>
${urls.length ? `<p>Адрес для устройств: ${urls.map((u) => `<code>${escapeHtml(u)}</code>`).join(', ')}</p>${qr ? `<img alt="QR-код адреса" src="${qr}">` : ''}` : '<p>Хост слушает только этот компьютер (запустите с --lan).</p>'}
<h2>Подключённые</h2><p>Отключённый терминал сразу теряет связь с кассой, а его входы в систему завершаются.</p>
<table><tr><th>Имя</th><th>Id</th><th>С</th><th></th></tr>${rows || '<tr><td colspan="4">нет</td></tr>'}</table>
<p><a href="/">Вернуться к кассе</a></p>`,
        // the page shows a fresh code once this one expires (and a dropped code's notice) without a click
        { refreshSeconds: Math.min(30, (expiresAt - Date.now()) / 1000 + 1) },
      ),
    );
  });

  router.post('/__terminals/revoke', form, async (req, res) => {
    const identity = res.locals.identity as Identity;
    const engine = deps.engine();
    const body = (req.body ?? {}) as Record<string, string>;
    const access = terminalsAccess(engine, identity);
    if (access === 'not-local' || !originAllowed(req) || !csrfValid(deps.secret, identity, body._csrf)) {
      res.status(403).type('text').send('refused');
      return;
    }
    if (access === 'needs-role') {
      const roles = terminalsRoles(engine).join(' или ');
      res
        .status(403)
        .type('html')
        .send(enginePage('Нет прав', `<h1>Отключать терминалы может только ${escapeHtml(roles)}</h1><p><a href="${escapeHtml(loginForTerminals(engine))}">Войти</a></p>`));
      return;
    }
    await deps.terminals.revoke(String(body.id ?? ''));
    res.redirect(303, TERMINALS_PATH);
  });

  return router;
}
