// Cash in / cash out (внесение / изъятие) during the shift, by the cashier whose shift it is: each with
// an amount and a reason, on the X/Z report and in the drawer's expected cash (app/lib/cash-move.js).
const t = require('../strings.js');
const { refuseIf } = require('../expr.js');

module.exports = {
  'POST /action/cashMove': {
    type: 'action',
    reads: ['shift', 'cashMoves'],
    writes: ['shift', 'cashMoves'],
    steps: [
      refuseIf('!data.shift.open', t.errors.shiftNotOpen, {}, { status: 409 }),
      refuseIf(
        'data.shift.cashierLogin !== user.login',
        t.cashMoves.errors.foreignShift,
        { number: 'data.shift.number', cashier: 'data.shift.cashier' },
        { status: 409 },
      ),
      { run: 'cashMove' },
      { 'client:redirect': "'/shift'" },
    ],
  },
};
