'use strict';
// The returns page (read-only): the found sale's lines with what is returnable of each (app/lib/returns.js),
// its earlier returns, and whether anything is left to return.
const returns = require('../lib/returns.js');

module.exports = function showReturnable(context) {
  const sale = context.context.sale;
  if (!sale) return;
  const lines = returns.returnableLines(sale, context.context.saleReturns, new Map(context.context.productUnits));
  context.context.lines = lines.map((line) => ({ ...line, field: `q_${line.id}` }));
  context.context.anyLeft = lines.some((line) => line.returnable > 0);
  context.context.pastReturns = context.context.saleReturns;
  context.context.paidByCard = sale.payment.method === 'card';
};
