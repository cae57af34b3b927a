// Pieces both receipt markups share: Mustache-compatible escaping, the page shell, the login form, and the
// app's receipt stylesheet scoped the simple way (every rule prefixed with the component's attribute).
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '/': '&#x2F;', '`': '&#x60;', '=': '&#x3D;' };

/** Mustache's escaping, so the bytes match what the engine's templates give. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`=/]/g, (c) => ESCAPES[c]);
}

export const COMPONENT_ATTRIBUTE = 'data-component-id="c-baseline"';

/** The app's receipt CSS with each rule's selectors prefixed (what scoping costs in bytes). */
export function scopedReceiptCss(appDir: string | undefined, fallback: string): string {
  let css = fallback;
  if (appDir) {
    try {
      css = readFileSync(path.join(appDir, 'app', 'components', 'receipt.css'), 'utf8');
    } catch {
      // no stylesheet in the app: keep the fallback
    }
  }
  return css.replace(/(^|})(\s*)([^{}@][^{}]*)\{/g, (_m, end: string, space: string, selectors: string) =>
    `${end}${space}${selectors
      .split(',')
      .map((s) => `[data-component-id|="c-baseline"] ${s.trim().replace(/^:host/, '')}`)
      .join(', ')} {`,
  );
}

export function renderPage(title: string, csrf: string, css: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="ru">
<head>
  <meta charset="utf-8">
  <meta name="csrf-token" content="${escapeHtml(csrf)}">
  <title>${escapeHtml(title)}</title>
  <style>body { font-family: sans-serif; margin: 0; } header { display: flex; justify-content: space-between; padding: 8px 16px; }</style>
  <style data-component-name="receipt">${css}</style>
</head>
<body>
  <header><strong>${escapeHtml(title)}</strong></header>
  <main id="pageContent-container">${body}</main>
</body>
</html>`;
}

export const LOGIN_FORM = `<div class="auth"><form atom-action="POST /auth/login">
  <h2>Вход</h2>
  <label>Логин <input name="login"></label>
  <label>Пароль <input name="password" type="password"></label>
  <button type="submit">Войти</button>
</form></div>`;
