'use strict';
// A shop's own price: the shop's id and the price typed in rubles (checked like the till's prices) into
// context.shop and context.price (kopecks), or a 422 beside the price field.
const { readPrice } = require('../../../kassa/app/lib/product-form.js');

module.exports = function readShopPrice(context, body) {
  context.context.shop = String(body?.shop ?? '').slice(0, 40);
  context.context.price = readPrice(body?.price);
};
