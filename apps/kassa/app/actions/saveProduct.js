'use strict';
// Writes the checked form (context.form) into the catalogue: a new product (context.id is its new
// number) or the changes to context.product. A new price is recorded in the priceHistory journal; lines
// already on a receipt keep the price they were added with (receipt lines carry their own price).
const clock = require('../lib/clock.js');

module.exports = function saveProduct(context) {
  const { form, product, id } = context.context;
  const fields = { name: form.name, barcode: form.barcodes[0], barcodes: form.barcodes, price: form.price, vat: form.vat, unit: form.unit, category: form.category };
  const user = context.user ?? {};
  const oldPrice = product ? product.price : null;
  if (product) Object.assign(product, fields);
  else context.data.positions.items.push({ id, ...fields, archived: false });
  if (oldPrice !== form.price) {
    const when = clock.stamp();
    context.data.priceHistory.items.push({
      at: when.at,
      atText: when.text,
      productId: product ? product.id : id,
      name: form.name,
      oldPrice,
      newPrice: form.price,
      by: user.name ?? user.login ?? '',
    });
  }
};
