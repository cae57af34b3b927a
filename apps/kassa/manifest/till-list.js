// The product list beside the till's receipt (positionsList): one page of the products the search box holds,
// never the whole catalogue (at 50,000 products a full list cost the page and every keystroke hundreds of
// milliseconds). page() searches names and barcodes (case-insensitive, ё = е) over the catalogue in place;
// a query that is a product number puts that product first. Archived products are not sold, so not listed.
const SIZE = 100;
const items = 'data.positions.items';

/** Steps that put the page into context.tillList ({ items, total, more }) for the query at `query`. */
const tillListSteps = (query) => [
  // the query as typed (kept, so a re-rendered search box keeps a trailing space), searched trimmed
  { set: 'context.tillQuery', to: `String(${query} ?? '').slice(0, 100)` },
  {
    set: 'context.tillPage',
    to: `page(${items}, { page: 1, size: ${SIZE}, search: { text: context.tillQuery.trim(), fields: ['name', 'barcodes', 'barcode'] }, match: p => !p.archived })`,
  },
  {
    set: 'context.byNumber',
    to: `/^\\d{1,6}$/.test(context.tillQuery.trim()) ? keyed(${items}, 'id').get(Number(context.tillQuery.trim())) : undefined`,
  },
  {
    set: 'context.tillList',
    to:
      'context.byNumber && !context.byNumber.archived && !context.tillPage.items.includes(context.byNumber) ' +
      `? { items: [context.byNumber].concat(context.tillPage.items).slice(0, ${SIZE}), total: context.tillPage.total + 1 } ` +
      ': { items: context.tillPage.items, total: context.tillPage.total }',
  },
  { set: 'context.tillList.more', to: 'Math.max(0, context.tillList.total - context.tillList.items.length)' },
];

/**
 * Enter in the search (addSearchMatch): what the query at `query` names, for app/actions/pickSearchMatch.js —
 * context.searchQuery, context.searchMatches (page(): the first two matches and how many there are, read in
 * place like the list above) and context.exactMatch (keyed(): the product whose barcode or number the query is
 * exactly). Both cost what a page costs at 50,000 products: the catalogue is never walked item by item.
 */
const searchMatchSteps = (query) => [
  { set: 'context.searchQuery', to: `String(${query} ?? '').slice(0, 100).trim()` },
  {
    set: 'context.searchMatches',
    to: `page(${items}, { page: 1, size: 2, search: { text: context.searchQuery, fields: ['name', 'barcodes', 'barcode'] }, match: p => !p.archived })`,
  },
  {
    set: 'context.exactMatch',
    to:
      `context.searchQuery === '' ? undefined : (keyed(${items}, 'barcodes').get(context.searchQuery) || keyed(${items}, 'barcode').get(context.searchQuery) || ` +
      `(/^\\d{1,6}$/.test(context.searchQuery) ? keyed(${items}, 'id').get(Number(context.searchQuery)) : undefined))`,
  },
];

module.exports = { tillListSteps, searchMatchSteps, SIZE };
