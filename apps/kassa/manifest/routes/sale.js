// Payment and the sales journal. Completing a sale is one transaction: the sale record is appended
// to the `sales` journal, the shift and the day's totals grow, the terminal's last sale is kept for
// printing, and a new receipt starts — all committed together or not at all.
const t = require('../strings.js');
const { refuseIf } = require('../expr.js');

module.exports = {
  'POST /action/completeSale': {
    type: 'action',
    reads: ['receipt', 'shift', 'sales', 'daily', 'lastSale', 'stock'],
    writes: ['receipt', 'shift', 'sales', 'daily', 'lastSale', 'stock'],
    update: 'receipt',
    steps: [
      refuseIf('!data.shift.open', t.errors.noShift, {}, { status: 409 }),
      // a shift is sold on by its cashier only: another one takes it over or closes it first
      refuseIf(
        'data.shift.cashierLogin && data.shift.cashierLogin !== user.login',
        t.errors.foreignShift,
        { number: 'data.shift.number', cashier: 'data.shift.cashier' },
        { status: 409 },
      ),
      refuseIf('data.receipt.items.length === 0', t.errors.emptyReceipt, {}, { status: 409 }),
      // the pay form sends the revision of the receipt on the cashier's screen: a receipt changed since
      // (a scan from another window of the terminal overtook the payment) is not paid unseen
      refuseIf(
        "body.revision !== undefined && String(body.revision) !== String(data.receipt.revision ?? '')",
        t.errors.receiptChanged,
        {},
        { status: 409 },
      ),
      refuseIf("body.method !== 'cash' && body.method !== 'card'", t.errors.badMethod, {}, { field: 'method' }),
      { 'action:run': { name: 'recalculateReceiptLogic' } },
      // sets context.payment, or context.refusal when the tendered cash is unreadable or short
      { run: 'preparePayment' },
      { if: 'context.refusal', then: [{ fail: 'context.refusal', status: 422, field: 'tendered' }] },
      // the stock rows of the receipt's products (the index, not a walk over every row): the sale takes them down
      { set: 'context.stockRows', to: "data.receipt.items.map(line => keyed(data.stock.items, 'id').get(line.id))" },
      { run: 'completeSale' },
    ],
  },

  // The change due while the cashier types the tendered amount (nothing is written).
  'POST /action/previewChange': {
    type: 'action',
    reads: ['receipt'],
    update: 'changePreview',
    steps: [{ run: 'preparePayment' }, { set: 'data.preview', to: 'context.payment || { error: context.refusal }' }],
  },
};
