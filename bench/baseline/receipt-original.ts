// The original example's receipt (test/fixtures/original-kassa/app/components/receipt.html), written as a
// template string: prices are strings of rubles, totals are unrounded floats, as the original's steps make them.
import { COMPONENT_ATTRIBUTE, escapeHtml as e } from './page.js';
import type { Product, ReceiptKind } from './receipt-kind.js';

interface Line {
  id: number | string;
  name: string;
  price: string;
  quantity: number;
}

export interface OriginalReceipt {
  items: Line[];
  itemCount: number;
  total: number;
  discountPercent: number;
  discount: number;
  finalTotal: number;
  statusMessage: string;
  bonusApplied: boolean;
}

function empty(): OriginalReceipt {
  return { items: [], itemCount: 0, total: 0, discountPercent: 10, discount: 0, finalTotal: 0, statusMessage: '', bonusApplied: false };
}

export const originalReceipt: ReceiptKind<OriginalReceipt> = {
  empty,
  cleared: () => ({ ...empty(), statusMessage: 'Чек очищен, скидка сброшена' }),
  add(receipt, product) {
    const line = receipt.items.find((l) => String(l.id) === String(product.id));
    if (line) line.quantity += 1;
    else receipt.items.push({ id: product.id, name: product.name, price: String(product.price), quantity: 1 });
    receipt.statusMessage = '';
  },
  recalculate(r) {
    r.total = r.items.reduce((sum, line) => sum + parseFloat(line.price) * line.quantity, 0);
    r.itemCount = r.items.reduce((sum, line) => sum + line.quantity, 0);
    r.discount = Math.round(r.total * r.discountPercent) / 100;
    r.finalTotal = Math.round((r.total - r.discount) * 100) / 100;
  },
  render(r) {
    const lines = r.items
      .map(
        (l) =>
          `\n    <li class="line">${e(l.name)} - ${e(l.price)} руб. (x${e(l.quantity)}) <button name="itemId" value="${e(l.id)}" atom-action="POST /action/removeItem" atom-target="#receipt-container">×</button></li>`,
      )
      .join('');
    return `<div class="receipt" atom-socket="receipt-updates" atom-on-event="receipt-changed" atom-action="POST /action/soft-refresh-receipt" atom-target="#receipt-container" ${COMPONENT_ATTRIBUTE}>
  <h3>Чек</h3>
  ${r.statusMessage ? `<p class="status">${e(r.statusMessage)}</p>` : ''}
  <ul>${lines}
  </ul>
  ${r.items.length ? '' : '<p class="empty">Добавьте товары из списка</p>'}
  <p>Товаров: <span class="count">${e(r.itemCount)}</span></p>
  <p>Сумма: <span class="total">${e(r.total)}</span></p>
  <p>Скидка (${e(r.discountPercent)}%): <span class="discount">-${e(r.discount)}</span></p>
  <p><b>Итого: <span class="final">${e(r.finalTotal)}</span></b></p>
  <button atom-action="POST /action/clearReceipt" atom-target="#receipt-container">Очистить чек</button>
  <form atom-action="POST /action/applyCoupon" atom-target="#receipt-container">
    <input name="coupon_code" placeholder="Купон"><button type="submit">Применить</button>
  </form>
  <button atom-action="POST /action/applyBonus" atom-target="#receipt-container">Бонус</button>
</div>`;
  },
  cashierPage(products: Product[], receipt) {
    const rows = products
      .map((p) => `<div class="position">${e(p.name)} (${e(p.price)} руб.) <button name="id" value="${e(p.id)}" atom-action="POST /action/addItem" atom-target="#receipt-container">Добавить</button></div>`)
      .join('');
    return `<div class="cashier">
  <section id="positionsList-container"><div class="positions"><h3>Товары</h3><form>${rows}</form></div></section>
  <section id="receipt-container">${this.render(receipt)}</section>
</div>`;
  },
  fallbackCss: ':host { padding: 12px; }\n.line { display: flex; gap: 8px; }\n.status { color: green; font-style: italic; }',
  pushesFragment: false,
};
