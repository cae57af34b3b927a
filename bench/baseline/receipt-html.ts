// The receipt fragment, written as a template string: the same markup (and so the same size, within a few
// bytes) as the app's receipt component renders, without a template engine.
export interface ReceiptLine {
  id: number | string;
  name: string;
  price: string;
  quantity: number;
}

export interface Receipt {
  items: ReceiptLine[];
  itemCount: number;
  total: number;
  discountPercent: number;
  discount: number;
  finalTotal: number;
  statusMessage: string;
  bonusApplied: boolean;
}

export function emptyReceipt(): Receipt {
  return { items: [], itemCount: 0, total: 0, discountPercent: 10, discount: 0, finalTotal: 0, statusMessage: '', bonusApplied: false };
}

/** The recalculation the app's recalculateReceiptLogic steps do. */
export function recalculate(receipt: Receipt): void {
  receipt.total = receipt.items.reduce((sum, line) => sum + parseFloat(line.price) * line.quantity, 0);
  receipt.itemCount = receipt.items.reduce((sum, line) => sum + line.quantity, 0);
  receipt.discount = Math.round(receipt.total * receipt.discountPercent) / 100;
  receipt.finalTotal = Math.round((receipt.total - receipt.discount) * 100) / 100;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;', '/': '&#x2F;', '`': '&#x60;', '=': '&#x3D;' };

/** Mustache's escaping, so the bytes match. */
export function escapeHtml(value: unknown): string {
  return String(value ?? '').replace(/[&<>"'`=/]/g, (c) => ESCAPES[c]);
}

export const RECEIPT_CSS =
  '[data-c="receipt"] h3{margin:0 0 8px}[data-c="receipt"] ul{list-style:none;padding:0}[data-c="receipt"] .line{display:flex;justify-content:space-between;padding:4px 0}[data-c="receipt"] .status{color:green;font-style:italic}';

export function renderReceipt(r: Receipt): string {
  const lines = r.items
    .map(
      (l) =>
        `\n    <li class="line">${escapeHtml(l.name)} - ${escapeHtml(l.price)} руб. (x${escapeHtml(l.quantity)}) <button name="itemId" value="${escapeHtml(l.id)}" atom-action="POST /action/removeItem" atom-target="#receipt-container">×</button></li>`,
    )
    .join('');
  return `<div class="receipt" data-c="receipt" atom-socket="receipt-updates" atom-on-event="receipt-changed" atom-action="POST /action/soft-refresh-receipt" atom-target="#receipt-container">
  <h3>Чек</h3>
  ${r.statusMessage ? `<p class="status">${escapeHtml(r.statusMessage)}</p>` : ''}
  <ul>${lines}
  </ul>
  ${r.items.length ? '' : '<p class="empty">Добавьте товары из списка</p>'}
  <p>Товаров: <span class="count">${escapeHtml(r.itemCount)}</span></p>
  <p>Сумма: <span class="total">${escapeHtml(r.total)}</span></p>
  <p>Скидка (${escapeHtml(r.discountPercent)}%): <span class="discount">-${escapeHtml(r.discount)}</span></p>
  <p><b>Итого: <span class="final">${escapeHtml(r.finalTotal)}</span></b></p>
  <button atom-action="POST /action/clearReceipt" atom-target="#receipt-container">Очистить чек</button>
  <form atom-action="POST /action/applyCoupon" atom-target="#receipt-container">
    <input name="coupon_code" placeholder="Купон"><button type="submit">Применить</button>
  </form>
  <button atom-action="POST /action/applyBonus" atom-target="#receipt-container">Бонус</button>
</div>`;
}

export interface Product {
  id: number;
  name: string;
  price: string;
}

export function renderPage(title: string, csrf: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="ru">
<head>
  <meta charset="utf-8">
  <meta name="csrf-token" content="${escapeHtml(csrf)}">
  <title>${escapeHtml(title)}</title>
  <style>body { font-family: sans-serif; margin: 0; } header { display: flex; justify-content: space-between; padding: 8px 16px; }</style>
  <style>${RECEIPT_CSS}</style>
</head>
<body>
  <header><strong>${escapeHtml(title)}</strong></header>
  <main id="pageContent-container">${body}</main>
</body>
</html>`;
}

export function renderCashier(products: Product[], receipt: Receipt): string {
  const rows = products
    .map(
      (p) =>
        `<div class="position">${escapeHtml(p.name)} (${escapeHtml(p.price)} руб.) <button name="id" value="${p.id}" atom-action="POST /action/addItem" atom-target="#receipt-container">Добавить</button></div>`,
    )
    .join('');
  return `<div class="cashier">
  <section id="positionsList-container"><div class="positions"><h3>Товары</h3><form>${rows}</form></div></section>
  <section id="receipt-container">${renderReceipt(receipt)}</section>
</div>`;
}

export const LOGIN_FORM = `<div class="auth"><form atom-action="POST /auth/login">
  <h2>Вход</h2>
  <label>Логин <input name="login"></label>
  <label>Пароль <input name="password" type="password"></label>
  <button type="submit">Войти</button>
</form></div>`;
