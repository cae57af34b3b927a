// Journals a manager can download by date range (GET /__export/<name>?from=&to=&format=csv|jsonl,
// and `serverokey export apps/kassa --journal <name>`). Money is in kopecks and is written as 12,50.
const t = require('./strings.js');

const money = (title, field) => ({ title, field, format: 'money' });
const c = t.exportPage.columns;

module.exports = {
  sales: {
    journal: 'sales',
    dateField: 'day',
    roles: [t.roles.manager],
    title: t.exportPage.sales,
    columns: [
      { title: c.number, field: 'number' },
      { title: c.time, field: 'timeText' },
      { title: c.day, field: 'day' },
      { title: c.shift, field: 'shift' },
      { title: c.terminal, field: 'terminal.name' },
      { title: c.cashier, field: 'cashier.name' },
      { title: c.items, field: 'itemCount' },
      money(c.total, 'total'),
      { title: c.discountPercent, field: 'discountPercent' },
      money(c.discount, 'discount'),
      money(c.finalTotal, 'finalTotal'),
      { title: c.method, field: 'payment.method' },
      money(c.tendered, 'payment.tendered'),
      money(c.change, 'payment.change'),
      { title: c.coupon, field: 'coupon' },
      { title: c.id, field: 'id' },
    ],
  },
  zReports: {
    journal: 'zReports',
    dateField: 'closedAt',
    roles: [t.roles.manager],
    title: t.exportPage.zReports,
    columns: [
      { title: c.shift, field: 'number' },
      { title: c.terminal, field: 'terminal.name' },
      { title: c.cashier, field: 'cashier' },
      { title: c.opened, field: 'openedText' },
      { title: c.closed, field: 'closedText' },
      { title: c.salesCount, field: 'salesCount' },
      money(c.gross, 'gross'),
      money(c.discount, 'discounts'),
      money(c.net, 'net'),
      money(c.cash, 'cash'),
      money(c.card, 'card'),
      money(c.float, 'openingFloat'),
      money(c.cashExpected, 'cashExpected'),
    ],
  },
};
