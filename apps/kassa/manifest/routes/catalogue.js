// The manager's catalogue: a searchable, paged list (fast at 50,000 products: an exact barcode is found
// through the catalogue's index, a name search pages with page(), only one page is ever rendered), and a
// product form (add, edit, archive). The form is read and checked by app/lib/product-form.js; a barcode
// held by another product is found with keyed() and refused naming that product. A price change is kept
// in the priceHistory journal; receipt lines keep the price they were added with (the open receipt
// keeps the price the customer saw). Cashiers never see these routes (403).
const t = require('../strings.js');
const { refuseIf } = require('../expr.js');

const manager = { roles: [t.roles.manager] };
// in a shop of a chain (`chain` is its link to head office) products and prices are head office's: read-only here
const headOfficeOnly = refuseIf('chain', t.chainCatalogue.readOnly, {}, { status: 409 });
const PAGE_SIZE = 50;
const items = 'data.positions.items';
/** the product holding a code as one of its barcodes (or as its only, older `barcode` field) */
const holderOf = (code) => `(keyed(${items}, 'barcodes').get(${code}) || keyed(${items}, 'barcode').get(${code}))`;

const vatLabels = JSON.stringify(Object.fromEntries(t.products.vatRates.map((rate) => [rate.code, rate.label])));

/**
 * One page of the list for `source` (query on the page, body in the search action): { q, page, archived };
 * `pageOf` is where the page number comes from (archiving keeps the page shown).
 */
const listSteps = (source, pageOf = `${source}.page`) => [
  { set: 'context.q', to: `String(${source}.q ?? '').trim().slice(0, 100)` },
  { set: 'context.withArchived', to: `${source}.archived === 'on' || ${source}.archived === true` },
  { set: 'context.exact', to: `context.q === '' ? undefined : ${holderOf('context.q')}` },
  {
    set: 'context.page',
    to:
      `context.exact ? { items: [context.exact], page: 1, pages: 1, total: 1, size: ${PAGE_SIZE} } : ` +
      `page(${items}, { page: ${pageOf}, size: ${PAGE_SIZE}, search: { text: context.q, fields: ['name', 'barcodes', 'barcode'] }, ` +
      'match: context.withArchived ? undefined : p => !p.archived })',
  },
  { set: 'context.prevPage', to: 'context.page.page > 1 ? context.page.page - 1 : 0' },
  { set: 'context.nextPage', to: 'context.page.page < context.page.pages ? context.page.page + 1 : 0' },
  // only the page's rows are shaped for the screen
  {
    set: 'context.rows',
    to: `context.page.items.map(p => ({ id: p.id, name: p.name, price: p.price, unit: p.unit || 'шт', category: p.category || '', archived: p.archived === true, codes: (p.barcodes || [p.barcode]).filter(Boolean).join(', '), vatLabel: ${vatLabels}[p.vat || 'none'] || '' }))`,
  },
];

/** The product named by `id` (an expression) into context.product, or 404. */
const findProduct = (id) => [
  { set: 'context.id', to: `Number(${id})` },
  { set: 'context.product', to: `Number.isSafeInteger(context.id) ? keyed(${items}, 'id').get(context.id) : undefined` },
  refuseIf('!context.product', t.products.errors.notFound, { id: `String(${id}).slice(0, 12)` }, { status: 404 }),
];

module.exports = {
  'GET /catalogue': {
    type: 'view',
    layout: 'mainLayout',
    reads: ['positions'],
    auth: manager,
    title: t.titles.catalogue,
    inject: { pageContent: 'cataloguePage', catalogueList: 'catalogueList' },
    steps: listSteps('query'),
  },

  // search as you type, paging and "show archived": the list only
  'POST /action/catalogue/search': {
    type: 'action',
    reads: ['positions'],
    auth: manager,
    update: 'catalogueList',
    steps: listSteps('body'),
  },

  // ?id=N edits product N; without id, a new product
  'GET /catalogue/product': {
    type: 'view',
    layout: 'mainLayout',
    reads: ['positions', 'priceHistory'],
    auth: manager,
    title: t.titles.product,
    inject: { pageContent: 'catalogueProduct', productFields: 'productFields' },
    steps: [
      {
        if: "query.id === undefined || query.id === ''",
        then: [{ set: 'context.product', to: "({ name: '', barcodes: [], price: 0, vat: 'none', unit: 'шт', category: '' })" }],
        else: findProduct('query.id'),
      },
      { set: 'context.isNew', to: '!context.product.id' },
      { set: 'context.barcodesText', to: "(context.product.barcodes || [context.product.barcode]).filter(Boolean).join(' ')" },
      { set: 'context.priceText', to: "context.product.price ? (context.product.price / 100).toFixed(2) : ''" },
      { set: 'context.vatRates', to: `${JSON.stringify(t.products.vatRates)}.map(r => ({ ...r, selected: r.code === (context.product.vat || 'none') }))` },
      { set: 'context.units', to: `${JSON.stringify(t.products.units)}.map(u => ({ unit: u, selected: u === (context.product.unit || 'шт') }))` },
      {
        set: 'context.history',
        to: 'context.isNew ? [] : data.priceHistory.items.filter(h => h.productId === context.product.id).slice(-20).reverse()',
      },
    ],
  },

  // add (no id) or change a product; then the list shows it
  'POST /action/catalogue/save': {
    type: 'action',
    reads: ['positions', 'priceHistory'],
    writes: ['positions', 'priceHistory'],
    auth: manager,
    steps: [
      headOfficeOnly,
      { run: 'readProductForm' },
      {
        if: "body.id !== undefined && body.id !== ''",
        then: findProduct('body.id'),
        else: [
          { set: 'context.product', to: 'null' },
          // a number no product has (archived products keep theirs)
          { set: 'context.id', to: `Array.from({ length: 1000 }, (_, k) => ${items}.length + 1 + k).find(n => !keyed(${items}, 'id').has(n))` },
        ],
      },
      {
        set: 'context.taken',
        to: `context.form.barcodes.map(code => ({ code, owner: ${holderOf('code')} })).find(x => x.owner && x.owner.id !== context.id)`,
      },
      refuseIf(
        'context.taken',
        t.products.errors.barcodeTaken,
        { code: 'context.taken.code', name: 'context.taken.owner.name', id: 'context.taken.owner.id' },
        { field: 'barcodes' },
      ),
      { run: 'saveProduct' },
      { 'client:redirect': "'/catalogue?q=' + encodeURIComponent(context.form.barcodes[0])" },
    ],
  },

  // archive (or bring back) a product from the list; the list is shown again as it was
  'POST /action/catalogue/archive': {
    type: 'action',
    reads: ['positions'],
    writes: ['positions'],
    auth: manager,
    update: 'catalogueList',
    steps: [headOfficeOnly, ...findProduct('body.id'), { set: 'context.product.archived', to: '!context.product.archived' }, ...listSteps('body', 'body.shownPage')],
  },
};

