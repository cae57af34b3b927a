'use strict';
// Enter in the catalogue search: the product the query names (its only match, or the one whose barcode or
// number it is exactly) goes into context.product; otherwise context.refusal says how many matched. The
// matches are found by the route's page() and keyed() steps (manifest/till-list.js, searchMatchSteps), so
// Enter costs what one page of the list costs, whatever the catalogue's size.
const { fill } = require('../lib/text.js');
const t = require('../../manifest/strings.js');

module.exports = function pickSearchMatch(context) {
  const { searchQuery: query, searchMatches: matches, exactMatch } = context.context;
  const exact = exactMatch && !exactMatch.archived ? exactMatch : null;
  const product = exact ?? (matches.total === 1 ? matches.items[0] : null);
  context.context.product = product ?? null;
  context.context.refusal = null;
  if (product) return;
  if (query === '') context.context.refusal = t.errors.searchEmpty;
  else if (matches.total === 0) context.context.refusal = fill(t.errors.searchNothing, { query: query.slice(0, 40) });
  else context.context.refusal = fill(t.errors.searchMany, { count: matches.total });
};
