'use strict';
// The printed receipt's QR code of the sale's number (app/lib/sale-code.js): context.saleQr { size, path }.
const { qrPath } = require('../lib/sale-code.js');

module.exports = function receiptCode(context) {
  const sale = context.context.sale || (context.data.lastSale && context.data.lastSale.sale);
  context.context.saleQr = sale ? qrPath(sale.id) : null;
};
