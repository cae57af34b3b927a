// Journals a manager can download by date range (sales, Z reports, returns, goods receipts) (GET /__export/<name>?from=&to=&format=csv|jsonl,
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
  // returns: each its own record pointing to the sale it returns (routes/returns.js); the lines as JSON
  returns: {
    journal: 'returns',
    dateField: 'day',
    roles: [t.roles.manager],
    title: t.exportPage.returns,
    columns: [
      { title: c.returnId, field: 'id' },
      { title: c.time, field: 'timeText' },
      { title: c.day, field: 'day' },
      { title: c.shift, field: 'shift' },
      { title: c.terminal, field: 'terminal.name' },
      { title: c.cashier, field: 'cashier.name' },
      { title: c.confirmedBy, field: 'confirmedBy.name' },
      { title: c.saleId, field: 'saleId' },
      { title: c.number, field: 'saleNumber' },
      money(c.refund, 'amount'),
      { title: c.method, field: 'method' },
      { title: c.originalMethod, field: 'originalMethod' },
      { title: c.lines, field: 'lines', format: 'json' },
    ],
  },
  // goods receipts (приход) posted on the stock screen (routes/stock.js)
  goodsReceipts: {
    journal: 'goodsReceipts',
    dateField: 'day',
    roles: [t.roles.manager],
    title: t.exportPage.goodsReceipts,
    columns: [
      { title: c.receiptNumber, field: 'number' },
      { title: c.time, field: 'atText' },
      { title: c.day, field: 'day' },
      { title: c.supplier, field: 'supplier' },
      { title: c.document, field: 'document' },
      { title: c.postedBy, field: 'by.name' },
      { title: c.terminal, field: 'terminal.name' },
      { title: c.lines, field: 'lines', format: 'json' },
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
