// The cashier's shift on a terminal: open with an opening float, X-report while open, close with a
// Z-report (appended to the zReports journal). Sales need an open shift.
const t = require('../strings.js');
const { refuseIf } = require('../expr.js');

const reportPage = {
  type: 'view',
  layout: 'mainLayout',
  reads: ['shift'],
  inject: { pageContent: 'shiftReportPage', report: 'shiftReport' },
};

module.exports = {
  'GET /shift': {
    type: 'view',
    layout: 'mainLayout',
    reads: ['shift', 'zReports'],
    inject: { pageContent: 'shiftPage', report: 'shiftReport', cashMoves: 'shiftCash' },
  },
  'GET /shift/x': reportPage,
  'GET /shift/z': reportPage,

  'POST /action/openShift': {
    type: 'action',
    reads: ['shift'],
    writes: ['shift'],
    steps: [
      refuseIf('data.shift.open', t.errors.shiftAlreadyOpen, { number: 'data.shift.number' }, { status: 409 }),
      { run: 'openShift' },
      { if: 'context.refusal', then: [{ fail: 'context.refusal', status: 422, field: 'float' }] },
      { 'client:redirect': "'/'" },
    ],
  },

  // Another cashier logged in on a terminal whose shift is open: they take it over (recorded in the
  // shift, shown in the X/Z report) or close it; until then the till does not sell for them.
  'POST /action/takeOverShift': {
    type: 'action',
    reads: ['shift'],
    writes: ['shift'],
    steps: [
      refuseIf('!data.shift.open', t.errors.shiftNotOpen, {}, { status: 409 }),
      refuseIf('data.shift.cashierLogin === user.login', t.errors.ownShift, { number: 'data.shift.number' }, { status: 409 }),
      { run: 'takeOverShift' },
      { 'client:redirect': "'/'" },
    ],
  },

  'POST /action/closeShift': {
    type: 'action',
    reads: ['shift', 'receipt', 'zReports'],
    writes: ['shift', 'zReports'],
    steps: [
      refuseIf('!data.shift.open', t.errors.shiftNotOpen, {}, { status: 409 }),
      refuseIf('data.receipt.items.length > 0', t.errors.closeWithReceipt, {}, { status: 409 }),
      { run: 'closeShift' },
      { 'client:redirect': "'/shift/z'" },
    ],
  },
};
