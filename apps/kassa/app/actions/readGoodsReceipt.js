'use strict';
// The goods receipt form (приход), checked (app/lib/stock.js): context.goods, or a 422 naming the field.
const { readGoodsReceipt } = require('../lib/stock.js');

module.exports = function readGoodsReceiptForm(context, body) {
  context.context.goods = readGoodsReceipt(body);
};
