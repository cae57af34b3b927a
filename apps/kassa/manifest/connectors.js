// Where the till keeps its data. Money is in kopecks everywhere (app/lib/money.js).
//  - catalogue, users, sessions, the day's totals: one state for the whole shop (global);
//  - the open receipt, the search box, the shift and the last sale: one per terminal (a till
//    window, a browser, a paired device); two windows of one terminal share them and stay in sync;
//  - sales and Z-reports: append-only journals, records never change once written.
const seed = require('./seed.js');
const settings = require('./settings.js');

const emptyReceipt = {
  items: [],
  itemCount: 0,
  total: 0,
  discountPercent: settings.defaultDiscountPercent,
  discount: 0,
  finalTotal: 0,
  statusMessage: '',
  bonusApplied: false,
  coupon: '',
  /** the line last added or changed: highlighted, and F4 edits its quantity */
  currentId: null,
  /** after a payment: { number, finalTotal, method, tendered, change } until the next line is added */
  paid: null,
  /** counts every change (app/actions/recalculate.js); a payment names the revision the cashier saw */
  revision: 0,
  /** receipts put aside on this terminal (отложенные чеки), resumed later: { id, at, itemCount, finalTotal, … } */
  parked: [],
  /** the number the next parked receipt gets */
  parkSeq: 0,
};

const closedShift = {
  open: false,
  number: 0,
  cashier: '',
  cashierLogin: '',
  openedAt: '',
  openedText: '',
  closedAt: '',
  closedText: '',
  openingFloat: 0,
  receiptSeq: 0,
  firstReceipt: 0,
  salesCount: 0,
  gross: 0,
  discounts: 0,
  net: 0,
  cash: 0,
  cashCount: 0,
  card: 0,
  cardCount: 0,
  cashExpected: 0,
  /** cash put into the drawer (внесение) and taken out (изъятие) during the shift, and each of them */
  cashIn: 0,
  cashOut: 0,
  cashMoves: [],
  /** cashiers who took the open shift over from another: { fromName, fromLogin, toName, toLogin, at, text } */
  handovers: [],
  /** who closed the shift (another cashier may close it) */
  closedBy: '',
  /** returns during the shift (routes/returns.js), apart from the sales: how many, how much, by method */
  returnsCount: 0,
  returnsTotal: 0,
  returnsCash: 0,
  returnsCard: 0,
  returnSeq: 0,
  /** sales net of returns (net − returnsTotal) */
  netOfReturns: 0,
};

module.exports = {
  emptyReceipt,
  closedShift,
  connectors: {
    session: { type: 'lowdb' },
    user: { type: 'lowdb', initialState: { items: seed.users } },
    // the catalogue: looked up by number and by any of a product's barcodes (keyed() in routes)
    positions: {
      type: 'lowdb',
      keys: ['id', 'barcode'],
      initialState: { items: seed.products },
      migrations: [{ if_not_exists: 'unit', set: { vat: 'none', unit: 'шт', category: '', archived: false } }],
    },
    /** every price change of the catalogue: { at, atText, productId, name, oldPrice, newPrice, by } */
    priceHistory: { type: 'journal', view: { last: 2000 } },
    receipt: { type: 'lowdb', scope: 'terminal', initialState: emptyReceipt },
    viewState: { type: 'memory', scope: 'terminal', initialState: { query: '', filtered: [] } },
    shift: { type: 'lowdb', scope: 'terminal', initialState: closedShift },
    lastSale: { type: 'lowdb', scope: 'terminal', initialState: { sale: null } },
    // index: what the manager's sales history (routes/history.js) filters by, and a sale found by its number
    // for a return however old it is (routes/returns.js), read with journal:read
    sales: {
      type: 'journal',
      uid: true,
      view: { last: 200 },
      index: ['day', 'id', 'number', 'terminal.id', 'terminal.name', 'cashier.login', 'payment.method', 'finalTotal'],
    },
    zReports: { type: 'journal', uid: true, view: { last: 50 } },
    /** cash in / cash out of the drawer: { kind, amount, reason, at, day, shift, terminal, cashier } */
    cashMoves: { type: 'journal', uid: true, view: { last: 200 } },
    /** a checked catalogue CSV waiting for "Загрузить в каталог" on this terminal (routes/catalogue-csv.js) */
    catalogueImport: { type: 'memory', scope: 'terminal', initialState: { text: '', fileName: '', lines: 0 } },
    /** quantity on hand per product: { id, onHand } (app/lib/stock.js); the demo catalogue starts with some of each */
    stock: {
      type: 'lowdb',
      keys: ['id'],
      initialState: { items: seed.products.map((p) => ({ id: p.id, onHand: settings.stock.demoOnHand })) },
    },
    /** goods receipts (приход): { number, at, supplier, document, lines: [{ id, name, quantity, onHand }], by } */
    goodsReceipts: { type: 'journal', uid: true, view: { last: 200 } },
    /** returns: { id, saleId, lines, amount, method, confirmedBy, shift, terminal, cashier, at } (routes/returns.js) */
    returns: { type: 'journal', uid: true, view: { last: 200 }, index: ['id', 'saleId'] },
    daily: { type: 'lowdb', initialState: { day: '', count: 0, total: 0, cash: 0, card: 0, discounts: 0, returns: 0, returnsCount: 0, net: 0, terminals: [] } },
  },
};
