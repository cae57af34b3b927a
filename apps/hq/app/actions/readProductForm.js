'use strict';
// The product form, checked exactly as the till checks it (apps/kassa/app/lib/product-form.js): head office
// edits the till's products. context.form, or a 422 naming the field.
const { readProduct } = require('../../../kassa/app/lib/product-form.js');

module.exports = function readProductForm(context, body) {
  context.context.form = readProduct(body);
};
