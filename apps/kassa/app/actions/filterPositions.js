'use strict';
// Live search of the catalogue (app/lib/search.js).
const search = require('../lib/search.js');

module.exports = function filterPositions(context, body) {
  const query = String(body.query ?? '').slice(0, 100);
  context.data.viewState.query = query;
  context.data.viewState.filtered = search.matches(context.data.positions.items, query);
};
