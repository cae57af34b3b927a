'use strict';
// The catalogue's product form, checked (app/lib/product-form.js): context.form, or a 422 naming the field.
const { readProduct } = require('../lib/product-form.js');

module.exports = function readProductForm(context, body) {
  context.context.form = readProduct(body);
};
