// apps/kassa's receipt (app/components/receipt.html) written as a template string, with the app's money
// rules (integer kopecks, percentage discount rounded half-up, app/lib/money.js) and its recalculation
// (line sums, the current line).
import { COMPONENT_ATTRIBUTE, escapeHtml as e } from './page.js';
import type { Product, ReceiptKind } from './receipt-kind.js';

interface Line {
  id: number | string;
  barcode: string;
  name: string;
  price: number;
  quantity: number;
  sum?: number;
  current?: boolean;
}

export interface KassaReceipt {
  items: Line[];
  itemCount: number;
  total: number;
  discountPercent: number;
  discount: number;
  finalTotal: number;
  statusMessage: string;
  bonusApplied: boolean;
  coupon: string;
  currentId: number | string | null;
  paid: { number: number; finalTotal: number; method: string; change: number } | null;
}

function empty(): KassaReceipt {
  return { items: [], itemCount: 0, total: 0, discountPercent: 10, discount: 0, finalTotal: 0, statusMessage: '', bonusApplied: false, coupon: '', currentId: null, paid: null };
}

function money(kopecks: number): string {
  const abs = Math.abs(kopecks);
  return `${kopecks < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function line(l: Line): string {
  const name = e(l.name);
  const id = e(l.id);
  return `    <li class="line${l.current ? ' current' : ''}" data-id="${id}">
      <div class="what"><span class="name">${name}</span><span class="unit">${money(l.price)} ₽ × ${l.quantity}</span></div>
      <form class="qty" atom-action="POST /action/setQuantity" atom-target="#receipt-container" atom-error="#receipt-error">
        <input type="hidden" name="itemId" value="${id}">
        <button type="button" class="step" name="itemId" value="${id}" atom-action="POST /action/removeItem" atom-target="#receipt-container" aria-label="Уменьшить количество: ${name}">−</button>
        <input class="qty-input" name="qty" value="${l.quantity}" inputmode="numeric" autocomplete="off" size="3" aria-label="Количество: ${name}" atom-hotkey${l.current ? '="F4"' : ''}>
        <button type="button" class="step" name="id" value="${id}" atom-action="POST /action/addItem" atom-target="#receipt-container" aria-label="Увеличить количество: ${name}">+</button>
      </form>
      <span class="sum">${money(l.sum ?? 0)}</span>
      <button type="button" class="remove" name="itemId" value="${id}" atom-action="POST /action/deleteLine" atom-target="#receipt-container" atom-error="#receipt-error" aria-label="Удалить строку: ${name}">×</button>
    </li>
`;
}

export const kassaReceipt: ReceiptKind<KassaReceipt> = {
  empty,
  cleared: () => ({ ...empty(), statusMessage: 'Чек очищен, скидка сброшена' }),
  add(receipt, product) {
    const existing = receipt.items.find((l) => l.id === product.id);
    if (existing) {
      if (existing.quantity >= 999) throw Object.assign(new Error('Количество — целое число от 0 до 999'), { status: 422 });
      existing.quantity += 1;
    } else receipt.items.push({ id: product.id, barcode: product.barcode ?? '', name: product.name, price: Number(product.price), quantity: 1 });
    receipt.currentId = product.id;
    receipt.statusMessage = '';
    receipt.paid = null;
  },
  recalculate(r) {
    for (const l of r.items) {
      l.sum = l.price * l.quantity;
      l.current = l.id === r.currentId;
    }
    r.itemCount = r.items.reduce((n, l) => n + l.quantity, 0);
    r.total = r.items.reduce((n, l) => n + (l.sum ?? 0), 0);
    r.discount = Math.min(Math.floor((r.total * Math.round(r.discountPercent * 100) + 5000) / 10000), r.total);
    r.finalTotal = r.total - r.discount;
    if (!r.items.some((l) => l.id === r.currentId)) {
      r.currentId = r.items.length ? r.items[r.items.length - 1].id : null;
      for (const l of r.items) l.current = l.id === r.currentId;
    }
  },
  render(r) {
    const status = r.statusMessage ? `<p class="status" role="status">${e(r.statusMessage)}</p>` : '';
    const paid =
      r.paid && r.items.length === 0
        ? `<div class="paid">
    <div class="paid-title">Чек №${r.paid.number} · Оплачен · ${money(r.paid.finalTotal)} ₽</div>
    ${r.paid.method === 'cash' ? `<div class="paid-change">Сдача <b class="change">${money(r.paid.change)}</b> ₽</div>` : ''}
  </div>`
        : '';
    const pay = r.items.length
      ? `<form class="pay" atom-action="POST /action/completeSale" atom-target="#receipt-container" atom-error="#pay-error">
    <div class="tender">
      <label for="tendered">Получено наличными <kbd>F9</kbd></label>
      <input id="tendered" name="tendered" inputmode="decimal" autocomplete="off" placeholder="без сдачи" atom-hotkey="F9" atom-event="input" atom-debounce="150" atom-action="POST /action/previewChange" atom-target="#change-preview">
      <div id="change-preview" class="preview" aria-live="polite"></div>
    </div>
    <div class="pay-buttons">
      <button type="submit" class="primary cash" name="method" value="cash">Наличные <kbd>Enter</kbd></button>
      <button type="submit" class="card" name="method" value="card" atom-hotkey="F10">Картой <kbd>F10</kbd></button>
    </div>
    <p id="pay-error" class="error" hidden></p>
  </form>`
      : '';
    return `<div class="receipt" atom-socket="receipt-updates" atom-on-event="receipt-changed" atom-action="POST /action/soft-refresh-receipt" atom-target="#receipt-container" ${COMPONENT_ATTRIBUTE}>
  <header class="head">
    <h2>Чек</h2>
    <span class="items">Товаров: <b class="count">${r.itemCount}</b></span>
  </header>
  ${status}

  ${paid}

  <ol class="lines">
${r.items.map(line).join('')}  </ol>
  ${r.items.length || r.paid ? '' : '<p class="empty">Чек пуст. Отсканируйте товар или выберите его в списке.</p>'}
  <p id="receipt-error" class="error" hidden></p>

  <dl class="totals">
    <div class="row"><dt>Сумма</dt><dd class="total">${money(r.total)}</dd></div>
    <div class="row"><dt>Скидка (<span class="percent">${r.discountPercent}</span>%)${r.coupon ? `<span class="coupon"> · ${e(r.coupon)}</span>` : ''}${r.bonusApplied ? '<span class="bonus-on"> · Бонус +5 %</span>' : ''}</dt><dd class="discount">−${money(r.discount)}</dd></div>
    <div class="row grand"><dt>Итого</dt><dd><span class="final">${money(r.finalTotal)}</span> ₽</dd></div>
  </dl>

  <div class="discounts">
    <form class="coupon-form" atom-action="POST /action/applyCoupon" atom-target="#receipt-container" atom-reset>
      <label for="coupon-input">Купон <kbd>F6</kbd></label>
      <input id="coupon-input" name="coupon_code" placeholder="Код купона" autocomplete="off" spellcheck="false" atom-hotkey="F6">
      <button type="submit">Применить</button>
    </form>
    <button type="button" class="bonus" atom-action="POST /action/applyBonus" atom-target="#receipt-container" atom-hotkey="F7">Бонус +5 % <kbd>F7</kbd></button>
  </div>

  ${pay}

  <div class="toolbar">
    <button type="button" class="danger clear" atom-action="POST /action/clearReceipt" atom-target="#receipt-container" atom-hotkey="F8" atom-confirm="Очистить чек? Все позиции будут удалены.">Очистить чек <kbd>F8</kbd></button>
    <button type="button" class="print" atom-print="/print/receipt?sale=last" atom-hotkey="Ctrl+P">Печать чека <kbd>Ctrl+P</kbd></button>
  </div>
</div>
`;
  },
  cashierPage(products, receipt) {
    const rows = products
      .map(
        (p) =>
          `    <li><button type="button" class="product" name="id" value="${e(p.id)}" atom-action="POST /action/addItem" atom-target="#receipt-container" atom-error="#scan-error" title="Добавить в чек"><span class="name">${e(p.name)}</span><span class="barcode">${e(p.barcode ?? '')}</span><span class="price">${money(Number(p.price))} ₽</span></button></li>\n`,
      )
      .join('');
    return `<div class="till">
  <section class="work">
    <form class="scan" atom-action="POST /action/scan" atom-target="#receipt-container" atom-reset atom-error="#scan-error" autocomplete="off">
      <label for="scan-input">Штрихкод или код товара <kbd>Esc</kbd></label>
      <div class="scan-row"><input id="scan-input" name="code" inputmode="numeric" autocomplete="off" spellcheck="false" atom-focus="keep" atom-hotkey="Escape"><button type="submit" class="primary">Добавить <kbd>Enter</kbd></button></div>
      <p id="scan-error" class="error" hidden></p>
    </form>
    <section id="positionsList-container" class="catalogue-pane"><div class="catalogue"><ul class="products">
${rows}  </ul></div></section>
  </section>
  <section id="receipt-container" class="receipt-pane">${this.render(receipt)}</section>
</div>`;
  },
  fallbackCss: '.receipt { display: flex; flex-direction: column; gap: 10px; }\n.line { display: grid; gap: 8px; }\n.current { background: #eef; }',
  pushesFragment: true,
};
