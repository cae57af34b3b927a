'use strict';
// Posts a checked goods receipt: every line's product must be known (context.products, looked up by the
// route), the stock rows (context.stockRows) grow, and the receipt is appended to the goodsReceipts
// journal — one transaction, so a refused line leaves the stock and the journal as they were.
const stock = require('../lib/stock.js');
const clock = require('../lib/clock.js');

module.exports = function receiveGoods(context) {
  const { data, user, terminal } = context;
  const { goods, products, stockRows } = context.context;
  const lines = stock.matchProducts(goods.lines, products);
  const after = stock.applyChanges(data.stock.items, stockRows, lines.map((line) => ({ id: line.id, delta: line.quantity })));
  const journal = data.goodsReceipts.items;
  const last = journal[journal.length - 1];
  const when = clock.stamp();
  const number = (last ? last.number : 0) + 1;
  journal.push({
    number,
    at: when.at,
    day: when.day,
    atText: when.text,
    supplier: goods.supplier,
    document: goods.document,
    lines: lines.map((line) => ({ ...line, onHand: after.get(line.id) })),
    by: { login: user.login, name: user.name },
    terminal: { id: terminal.id, name: terminal.name },
  });
  context.context.receivedNumber = number;
};
