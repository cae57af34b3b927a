'use strict';
// A return of some or all lines of a sale (context.sale, found by the route), confirmed by a manager. One
// transaction: the return record goes to the `returns` journal (pointing to the sale), the goods go back
// into stock, the shift and the day count the return apart from the sales, and a cash refund leaves the
// drawer's expected cash. Anything refused writes nothing (app/lib/returns.js, manager-pin.js).
const returns = require('../lib/returns.js');
const pins = require('../lib/manager-pin.js');
const stock = require('../lib/stock.js');
const cash = require('../lib/cash-move.js');
const clock = require('../lib/clock.js');
const money = require('../lib/money.js');
const { fill } = require('../lib/text.js');
const { refusal } = require('../lib/product-form.js');
const t = require('../../manifest/strings.js');

module.exports = function completeReturn(context, body) {
  const { data, user, terminal } = context;
  const sale = context.context.sale;
  const shift = data.shift;
  const form = returns.readReturn(body, sale, context.context.saleReturns, new Map(context.context.productUnits));
  if (form.method === 'cash' && form.amount > cash.expectedCash(shift)) {
    throw refusal('method', fill(t.returns.errors.drawer, { available: money.format(cash.expectedCash(shift)), amount: money.format(form.amount) }));
  }
  const manager = pins.confirmingManager({
    user,
    people: data.user.items,
    pin: body && typeof body.pin === 'string' ? body.pin.trim() : '',
    terminalId: terminal.id,
    managerRole: t.roles.manager,
  });

  stock.applyChanges(data.stock.items, context.context.stockRows, form.lines.map((line) => ({ id: line.id, delta: stock.unitsOf(line) })));

  const when = clock.stamp();
  shift.returnSeq = (shift.returnSeq ?? 0) + 1;
  const record = {
    id: `${terminal.id}/${shift.number}/R${shift.returnSeq}`,
    kind: 'return',
    saleId: sale.id,
    saleNumber: sale.number,
    saleShift: sale.shift,
    saleTerminal: sale.terminal,
    shift: shift.number,
    terminal: { id: terminal.id, name: terminal.name },
    cashier: { login: user.login, name: user.name },
    confirmedBy: manager,
    at: when.at,
    day: when.day,
    timeText: when.text,
    lines: form.lines,
    amount: form.amount,
    method: form.method,
    originalMethod: sale.payment.method,
  };
  data.returns.items.push(record);

  shift.returnsCount = (shift.returnsCount ?? 0) + 1;
  shift.returnsTotal = (shift.returnsTotal ?? 0) + form.amount;
  shift.returnsCash = (shift.returnsCash ?? 0) + (form.method === 'cash' ? form.amount : 0);
  shift.returnsCard = (shift.returnsCard ?? 0) + (form.method === 'card' ? form.amount : 0);
  cash.settle(shift);

  const daily = data.daily;
  if (daily.day !== when.day) cash.startDay(daily, when.day);
  daily.returns = (daily.returns ?? 0) + form.amount;
  daily.returnsCount = (daily.returnsCount ?? 0) + 1;
  let row = daily.terminals.find((r) => r.id === terminal.id);
  if (!row) {
    row = { id: terminal.id, name: terminal.name, count: 0, total: 0, cash: 0, card: 0 };
    daily.terminals.push(row);
  }
  row.returns = (row.returns ?? 0) + form.amount;
  cash.settleDay(daily);

  context.context.done = record;
};
