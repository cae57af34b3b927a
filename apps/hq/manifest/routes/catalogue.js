// The chain's catalogue and prices, written where every shop pulls them from (serverokey_chain_catalogue):
// each change takes the next catalogue version and the table's trigger tells the shops at once. A shop's
// own price is a row of that shop holding only { price } (laid over the chain's product at the shop).
// The product form is the till's (app/actions/readProductForm.js): the same fields, checks and messages.
const t = require('../strings.js');
const sql = require('../sql.js');
const { message } = require('../../../kassa/manifest/expr.js');

const manager = { roles: [t.roles.manager] };
const LIST_LIMIT = 200;

const fail = (text, values, options = {}) => ({ fail: message(text, values), status: options.status ?? 422, ...(options.field ? { field: options.field } : {}) });
const failIf = (condition, text, values, options) => ({ if: condition, then: [fail(text, values, options)] });

const listSteps = (source) => [
  { set: 'context.q', to: `String(${source}.q ?? '').trim().slice(0, 100)` },
  { sql: { query: sql.catalogueList, params: ['context.q'], saveTo: 'context.rows' } },
  { set: 'context.more', to: `context.rows.length > ${LIST_LIMIT}` },
  { set: 'context.rows', to: `context.rows.slice(0, ${LIST_LIMIT})` },
];

/** The product numbered `id` (an expression) into context.product, or 404. */
const findProduct = (id) => [
  { set: 'context.id', to: `String(${id} ?? '').trim().slice(0, 12)` },
  { sql: { query: sql.product, params: ['context.id'], saveTo: 'context.found' } },
  failIf('context.found.length === 0', t.catalogue.errors.notFound, { id: 'context.id' }, { status: 404 }),
  { set: 'context.product', to: 'context.found[0].item' },
];

const productSteps = [
  {
    if: "query.id === undefined || query.id === ''",
    then: [{ set: 'context.product', to: "({ name: '', barcodes: [], price: 0, vat: 'none', unit: 'шт', category: '' })" }],
    else: [...findProduct('query.id'), { sql: { query: sql.shopPrices, params: ['context.id'], saveTo: 'context.shops' } }],
  },
  { set: 'context.isNew', to: '!context.product.id' },
  { set: 'context.saved', to: "query.saved === '1'" },
  { set: 'context.barcodesText', to: "(context.product.barcodes || [context.product.barcode]).filter(Boolean).join(' ')" },
  { set: 'context.priceText', to: "context.product.price ? (context.product.price / 100).toFixed(2) : ''" },
  { set: 'context.vatRates', to: `${JSON.stringify(t.products.vatRates)}.map(r => ({ ...r, selected: r.code === (context.product.vat || 'none') }))` },
  { set: 'context.units', to: `${JSON.stringify(t.products.units)}.map(u => ({ unit: u, selected: u === (context.product.unit || 'шт') }))` },
];

/** After a shop's price changed: that product's shop prices again, with a note. */
const shopPricesSteps = (note) => [
  { sql: { query: sql.shopPrices, params: ['context.id'], saveTo: 'context.shops' } },
  { set: 'context.product', to: 'context.found[0].item' },
  { set: 'context.note', to: note },
];

module.exports = {
  'GET /catalogue': {
    type: 'view',
    layout: 'mainLayout',
    auth: manager,
    inject: { pageContent: 'cataloguePage', catalogueList: 'catalogueList' },
    steps: listSteps('query'),
  },
  'POST /action/catalogue/search': { type: 'action', auth: manager, update: 'catalogueList', steps: listSteps('body') },

  // ?id=N: product N and its prices in each shop; without id, a new product
  'GET /catalogue/product': { type: 'view', layout: 'mainLayout', auth: manager, inject: { pageContent: 'productPage', shopPrices: 'shopPrices', productFields: 'productFields' }, steps: productSteps },

  // a new product (no id) or a product's fields; a barcode another product of the chain has is refused, naming it
  'POST /action/catalogue/save': {
    type: 'action',
    auth: manager,
    steps: [
      { run: 'readProductForm' },
      { set: 'context.id', to: "String(body.id ?? '').trim().slice(0, 12)" },
      { sql: { query: sql.barcodeHolder, params: ['context.id', 'context.form.barcodes'], saveTo: 'context.taken' } },
      failIf(
        'context.taken.length > 0',
        t.products.errors.barcodeTaken,
        { code: 'context.taken[0].code', name: 'context.taken[0].name', id: 'context.taken[0].id' },
        { field: 'barcodes' },
      ),
      {
        if: "context.id === ''",
        then: [{ sql: { query: sql.addProduct, params: ['JSON.stringify(context.form)'], saveTo: 'context.saved' } }],
        else: [
          { sql: { query: sql.updateProduct, params: ['context.id', 'JSON.stringify(context.form)'], saveTo: 'context.saved' } },
          failIf('context.saved.length === 0', t.catalogue.errors.notFound, { id: 'context.id' }, { status: 404 }),
        ],
      },
      { 'client:redirect': "'/catalogue/product?id=' + encodeURIComponent(context.saved[0].item_id) + '&saved=1'" },
    ],
  },

  // archive (or bring back) a product in every shop; the list is shown again
  'POST /action/catalogue/archive': {
    type: 'action',
    auth: manager,
    update: 'catalogueList',
    steps: [
      ...findProduct('body.id'),
      { sql: { query: sql.updateProduct, params: ['context.id', 'JSON.stringify({ archived: context.product.archived !== true })'] } },
      ...listSteps('body'),
    ],
  },

  // a shop's own price of a product (body: id, shop, price)
  'POST /action/catalogue/shop-price': {
    type: 'action',
    auth: manager,
    update: 'shopPrices',
    steps: [
      ...findProduct('body.id'),
      { run: 'readShopPrice' },
      { sql: { query: sql.setShopPrice, params: ['context.id', 'context.shop', 'context.price'], saveTo: 'context.changed' } },
      failIf('context.changed.length === 0', t.catalogue.errors.unknownShop, { shop: 'context.shop' }, { status: 404 }),
      ...shopPricesSteps(message(t.catalogue.ownSaved, { shop: 'context.shop' })),
    ],
  },
  'POST /action/catalogue/shop-price/remove': {
    type: 'action',
    auth: manager,
    update: 'shopPrices',
    steps: [
      ...findProduct('body.id'),
      { set: 'context.shop', to: "String(body.shop ?? '').slice(0, 40)" },
      { sql: { query: sql.removeShopPrice, params: ['context.id', 'context.shop'] } },
      ...shopPricesSteps(message(t.catalogue.ownRemoved, { shop: 'context.shop' })),
    ],
  },
};
