// Finishing a full page: the CSRF meta tag, the client script and CSP nonces are inserted by the engine
// itself, so templates written for the original need no change. Insertion splices by index (compatibility.md D10).
import { escapeAttribute } from 'entities';
import { CLIENT_SCRIPT_PATH, HOST_STATUS_META } from '../../protocol/wire.js';

function insertBefore(html: string, marker: RegExp, insert: string, fallback: 'start' | 'end'): string {
  const match = marker.exec(html);
  if (!match) return fallback === 'end' ? html + insert : insert + html;
  return html.slice(0, match.index) + insert + html.slice(match.index);
}

export function finishPage(html: string, options: { csrf: string; nonce: string; dev?: boolean; hostProblem?: string }): string {
  const nonce = escapeAttribute(options.nonce);
  let out = html.replace(/<script(?=[\s>])/gi, `<script nonce="${nonce}"`);
  const dev = options.dev ? '<meta name="serverokey-dev" content="1">\n' : '';
  const problem = options.hostProblem ? `<meta name="${HOST_STATUS_META}" content="${escapeAttribute(options.hostProblem)}">\n` : '';
  out = insertBefore(out, /<\/head\s*>/i, `<meta name="csrf-token" content="${escapeAttribute(options.csrf)}">\n${dev}${problem}`, 'start');
  out = insertBefore(out, /<\/body\s*>/i, `<script src="${CLIENT_SCRIPT_PATH}" nonce="${nonce}"></script>\n`, 'end');
  return out;
}

export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join('; ');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A small engine page (pairing, errors) in the till's look; `refreshSeconds` reloads it on its own. */
export function enginePage(title: string, body: string, options: { refreshSeconds?: number } = {}): string {
  const refresh = options.refreshSeconds ? `<meta http-equiv="refresh" content="${Math.max(1, Math.round(options.refreshSeconds))}">` : '';
  return `<!doctype html><html lang="ru"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">${refresh}
<title>${escapeHtml(title)}</title><style>
body{font:16px/1.45 system-ui,sans-serif;background:#f1f3f6;color:#1d2530;margin:0;display:grid;place-items:center;min-height:100vh}
main{background:#fff;border-radius:12px;box-shadow:0 4px 24px #0002;padding:28px 32px;box-sizing:border-box;width:min(640px,100% - 24px);margin:12px 0}
h1{font-size:22px;margin:0 0 16px}label{display:block;margin:12px 0 4px;font-weight:600}
input{font:inherit;padding:10px;min-height:44px;border:1px solid #b8c0cc;border-radius:8px;width:100%;box-sizing:border-box}
button{font:inherit;margin-top:16px;padding:10px 16px;min-height:44px;min-width:44px;border:0;border-radius:8px;background:#1f6feb;color:#fff;cursor:pointer}
.error{color:#b42318;font-weight:600}.code{font:700 40px/1 ui-monospace,monospace;letter-spacing:.2em}
table{border-collapse:collapse;width:100%}td,th{padding:6px;border-bottom:1px solid #e3e6ea;text-align:left}
</style></head><body><main>${body}</main></body></html>`;
}
