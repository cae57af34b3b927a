// The manager's stock screen: the low-stock list (at or below settings.stock.lowThreshold, negatives
// flagged), the goods receipt form (приход: supplier, document number, lines of product + quantity) and
// the goods receipts journal. A receipt is checked whole before anything is written (app/lib/stock.js):
// an unknown product, a zero or negative quantity is refused beside its field. Cashiers get 403.
const t = require('../strings.js');
const settings = require('../settings.js');
const { refuseIf } = require('../expr.js');

const manager = { roles: [t.roles.manager] };
const PAGE_SIZE = 50;
const items = 'data.positions.items';
const onHandOf = (id) => `((keyed(data.stock.items, 'id').get(${id}) || { onHand: 0 }).onHand)`;
/** the product a typed code names: any of its barcodes, or its number (1–6 digits) */
const productOf = (code) =>
  `(keyed(${items}, 'barcodes').get(${code}) || keyed(${items}, 'barcode').get(${code}) || (/^\\d{1,6}$/.test(${code}) ? keyed(${items}, 'id').get(Number(${code})) : undefined))`;

module.exports = {
  'GET /stock': {
    type: 'view',
    layout: 'mainLayout',
    reads: ['positions', 'stock', 'goodsReceipts'],
    auth: manager,
    title: t.titles.stock,
    inject: { pageContent: 'stockPage' },
    steps: [
      { set: 'context.threshold', to: String(settings.stock.lowThreshold) },
      {
        set: 'context.low',
        to: `page(${items}, { page: query.page, size: ${PAGE_SIZE}, match: p => !p.archived && ${onHandOf('p.id')} <= context.threshold })`,
      },
      {
        set: 'context.lowRows',
        to: `context.low.items.map(p => ({ id: p.id, name: p.name, unit: p.unit || 'шт', onHand: ${onHandOf('p.id')}, below: ${onHandOf('p.id')} < 0 }))`,
      },
      { set: 'context.prevPage', to: 'context.low.page > 1 ? context.low.page - 1 : 0' },
      { set: 'context.nextPage', to: 'context.low.page < context.low.pages ? context.low.page + 1 : 0' },
      // ?code=: one product's quantity on hand (the lookup form)
      { set: 'context.code', to: "String(query.code ?? '').trim().slice(0, 40)" },
      { set: 'context.product', to: `context.code === '' ? undefined : ${productOf('context.code')}` },
      {
        set: 'context.lookup',
        to: `context.product ? { id: context.product.id, name: context.product.name, unit: context.product.unit || 'шт', onHand: ${onHandOf('context.product.id')}, below: ${onHandOf('context.product.id')} < 0 } : undefined`,
      },
      { set: 'context.receipts', to: 'data.goodsReceipts.items.slice(-20).reverse()' },
      { set: 'context.received', to: "query.received ? data.goodsReceipts.items.find(r => String(r.number) === String(query.received)) : undefined" },
    ],
  },

  // the lookup form: a scan or a product number and Enter shows what is on hand (or says the code is unknown)
  'POST /action/stock/find': {
    type: 'action',
    reads: ['positions'],
    auth: manager,
    steps: [
      { set: 'context.code', to: "String(body.code ?? '').trim().slice(0, 40)" },
      refuseIf(`context.code === '' || !${productOf('context.code')}`, t.stock.errors.unknownCode, { code: 'context.code' }, { field: 'code' }),
      { 'client:redirect': "'/stock?code=' + encodeURIComponent(context.code)" },
    ],
  },

  'POST /action/stock/receive': {
    type: 'action',
    reads: ['positions', 'stock', 'goodsReceipts'],
    writes: ['stock', 'goodsReceipts'],
    auth: manager,
    steps: [
      { run: 'readGoodsReceipt' },
      { set: 'context.products', to: `context.goods.lines.map(line => ${productOf('line.code')})` },
      { set: 'context.stockRows', to: "context.products.map(p => p ? keyed(data.stock.items, 'id').get(p.id) : undefined)" },
      { run: 'receiveGoods' },
      { 'client:redirect': "'/stock?received=' + context.receivedNumber" },
    ],
  },
};
