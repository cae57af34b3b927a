'use strict';
// Enter in the catalogue search: the product the query names (its only match, or an exact barcode or
// number) goes into context.product; otherwise context.refusal says how many matched.
const search = require('../lib/search.js');
const { fill } = require('../lib/text.js');
const t = require('../../manifest/strings.js');

module.exports = function pickSearchMatch(context, body) {
  const query = String(body.query ?? '').slice(0, 100).trim();
  const { product, count } = search.single(context.data.positions.items, query);
  context.context.product = product;
  context.context.refusal = null;
  if (product) return;
  if (query === '') context.context.refusal = t.errors.searchEmpty;
  else if (count === 0) context.context.refusal = fill(t.errors.searchNothing, { query: query.slice(0, 40) });
  else context.context.refusal = fill(t.errors.searchMany, { count });
};
