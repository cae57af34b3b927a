// Returns (возврат): find the sale by its number (scanned from the QR code on the receipt, typed, or picked
// from the recent sales), return all or some of its lines — never more than sold minus already returned
// (the returns journal) — and give the money back by the sale's payment method unless changed. A manager
// confirms each return: logged in on this till, or by their PIN (app/lib/manager-pin.js). The return is its
// own record in the `returns` journal pointing to the sale; stock, shift and day totals follow
// (app/actions/completeReturn.js). Refused, with nothing written: an unknown number, a return's number,
// a quantity above what is returnable, a wrong PIN.
const t = require('../strings.js');
const { refuseIf } = require('../expr.js');

const RECENT = 15;

/**
 * The sale the code names into context.sale — its full number (terminal/shift/receipt), or a receipt number
 * of this terminal (the latest) — however old (journal:read over the journals' index, not only the records
 * in view), and every earlier return of it into context.saleReturns (what is returnable is computed from them).
 */
const findSale = (source) => [
  { set: 'context.code', to: `String(${source}.sale ?? '').trim().slice(0, 80)` },
  { set: 'context.sale', to: 'undefined' },
  { set: 'context.isReturn', to: 'false' },
  { set: 'context.saleReturns', to: '[]' },
  {
    if: "context.code !== ''",
    then: [
      { 'journal:read': { journal: 'sales', where: { id: 'context.code' }, size: 1, saveTo: 'context.byId' } },
      { set: 'context.sale', to: 'context.byId.items[0]' },
      {
        if: '!context.sale && /^\\d{1,9}$/.test(context.code)',
        then: [
          { 'journal:read': { journal: 'sales', where: { number: 'context.code', 'terminal.id': 'terminal.id' }, size: 1, saveTo: 'context.byNumber' } },
          { set: 'context.sale', to: 'context.byNumber.items[0]' },
        ],
      },
      {
        if: 'context.sale',
        then: [
          { 'journal:read': { journal: 'returns', where: { saleId: 'context.sale.id' }, size: 500, order: 'oldest', saveTo: 'context.earlier' } },
          { set: 'context.saleReturns', to: 'context.earlier.items' },
        ],
        else: [
          { 'journal:read': { journal: 'returns', where: { id: 'context.code' }, size: 1, saveTo: 'context.asReturn' } },
          { set: 'context.isReturn', to: 'context.asReturn.total > 0' },
        ],
      },
    ],
  },
];

/**
 * The catalogue's unit of each line of an old sale that did not record its own (a piece line sold before units
 * were kept), as [id, unit] pairs into context.productUnits: a fraction of a piece line is refused (app/lib/returns.js).
 */
const productUnits = {
  set: 'context.productUnits',
  to: "context.sale ? context.sale.lines.filter(l => !l.unit && typeof l.grams !== 'number').map(l => [l.id, (keyed(data.positions.items, 'id').get(l.id) || {}).unit]) : []",
};

/** Refusals of a code that names no sale, beside the sale field. */
const refuseNoSale = [
  refuseIf("context.code === ''", t.returns.errors.saleEmpty, {}, { field: 'sale' }),
  refuseIf('context.isReturn', t.returns.errors.ofReturn, { code: 'context.code' }, { field: 'sale' }),
  refuseIf('!context.sale', t.returns.errors.unknownSale, { code: 'context.code' }, { field: 'sale', status: 404 }),
];

module.exports = {
  'GET /returns': {
    type: 'view',
    layout: 'mainLayout',
    reads: ['sales', 'returns', 'shift', 'positions'],
    title: t.titles.returns,
    inject: { pageContent: 'returnsPage' },
    steps: [
      ...findSale('query'),
      productUnits,
      { run: 'showReturnable' },
      {
        set: 'context.recent',
        to: `data.sales.items.slice(-${RECENT}).reverse().map(s => ({ id: s.id, number: s.number, shift: s.shift, terminal: s.terminal.name, time: s.timeText, finalTotal: s.finalTotal, method: s.payment.method }))`,
      },
      { set: 'context.done', to: "query.done ? keyed(data.returns.items, 'id').get(String(query.done)) : undefined" },
      { set: 'context.doneId', to: "context.done ? encodeURIComponent(context.done.id) : ''" },
      { set: 'context.isManager', to: `!!user && user.role === ${JSON.stringify(t.roles.manager)}` },
    ],
  },

  // the return slip: the till's receipt layout (80 mm, or ?width=58), marked «ВОЗВРАТ» and naming the sale it
  // returns; printed from the returns page right after the return, or later by its number (any return, however old)
  'GET /print/return': {
    type: 'view',
    layout: 'printLayout',
    reads: ['returns'],
    inject: { paper: 'returnSlip', shopHead: 'shopHead' },
    steps: [
      { set: 'context.id', to: "String(query.id ?? '').slice(0, 200)" },
      refuseIf("context.id === ''", t.returnSlip.notFound, { id: 'context.id' }, { status: 404 }),
      { 'journal:read': { journal: 'returns', where: { id: 'context.id' }, size: 1, saveTo: 'context.found' } },
      { set: 'context.slip', to: 'context.found.items[0]' },
      refuseIf('!context.slip', t.returnSlip.notFound, { id: 'context.id.slice(0, 40)' }, { status: 404 }),
    ],
  },

  // the find form: a scan (or a typed number) and Enter opens the sale, or says why not beside the field
  'POST /action/returns/find': {
    type: 'action',
    reads: ['sales', 'returns'],
    steps: [...findSale('body'), ...refuseNoSale, { 'client:redirect': "'/returns?sale=' + encodeURIComponent(context.sale.id)" }],
  },

  'POST /action/returns/complete': {
    type: 'action',
    reads: ['sales', 'returns', 'shift', 'daily', 'stock', 'user', 'positions'],
    writes: ['returns', 'shift', 'daily', 'stock'],
    steps: [
      ...findSale('body'),
      ...refuseNoSale,
      productUnits,
      // the refund leaves this till's drawer: its shift must be open, and be this cashier's (or a manager's here)
      refuseIf('!data.shift.open', t.returns.errors.noShift, {}, { status: 409 }),
      refuseIf(
        `data.shift.cashierLogin !== user.login && user.role !== ${JSON.stringify(t.roles.manager)}`,
        t.returns.errors.foreignShift,
        { number: 'data.shift.number', cashier: 'data.shift.cashier' },
        { status: 409 },
      ),
      { set: 'context.stockRows', to: "context.sale.lines.map(line => keyed(data.stock.items, 'id').get(line.id))" },
      { run: 'completeReturn' },
      { 'client:redirect': "'/returns?done=' + encodeURIComponent(context.done.id)" },
    ],
  },
};
