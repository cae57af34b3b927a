'use strict';
// Cash put into or taken out of the drawer during a shift (внесение / изъятие): the form read and checked,
// and the shift's figures it changes. The drawer's expected cash is always
//     opening float + cash sales + cash in − cash out
// (expectedCash below; completeSale.js and this module both use it).
const money = require('./money.js');
const { fill } = require('./text.js');
const t = require('../../manifest/strings.js');

const errors = t.cashMoves.errors;
const KINDS = ['in', 'out'];

function refusal(field, message) {
  return Object.assign(new Error(message), { status: 422, fields: { [field]: message } });
}

/** What the drawer should hold now. */
function expectedCash(shift) {
  return shift.openingFloat + shift.cash - (shift.returnsCash ?? 0) + (shift.cashIn ?? 0) - (shift.cashOut ?? 0);
}

/** The shift's derived figures after a sale, a return or a cash move: expected cash, net of returns. */
function settle(shift) {
  // a shift opened before returns existed gets their figures at its next sale
  for (const field of ['returnsCount', 'returnsTotal', 'returnsCash', 'returnsCard']) shift[field] = shift[field] ?? 0;
  shift.cashExpected = expectedCash(shift);
  shift.netOfReturns = shift.net - shift.returnsTotal;
  return shift;
}

/** A new day on the dashboard's totals (the first sale or return of the day). */
function startDay(daily, day) {
  Object.assign(daily, { day, count: 0, total: 0, cash: 0, card: 0, discounts: 0, returns: 0, returnsCount: 0, net: 0, terminals: [] });
}

/** The day's (and each terminal's) sales net of returns. */
function settleDay(daily) {
  daily.returns = daily.returns ?? 0;
  daily.returnsCount = daily.returnsCount ?? 0;
  daily.net = daily.total - daily.returns;
  for (const row of daily.terminals) {
    row.returns = row.returns ?? 0;
    row.net = row.total - row.returns;
  }
  return daily;
}

/** The form → { kind, amount (kopecks), reason }, or a refusal naming its field. */
function readMove(body) {
  const form = body && typeof body === 'object' ? body : {};
  const kind = String(form.kind ?? '');
  if (!KINDS.includes(kind)) throw refusal('kind', errors.kind);
  const text = String(form.amount ?? '').trim();
  const amount = money.parse(text);
  if (/^-/.test(text)) throw refusal('amount', errors.positive);
  if (amount === null) throw refusal('amount', fill(errors.amount, { text: text.slice(0, 20) }));
  if (amount <= 0) throw refusal('amount', errors.positive);
  const reason = String(form.reason ?? '').trim().replace(/\s+/g, ' ');
  if (reason === '' || reason.length > 120) throw refusal('reason', errors.reason);
  return { kind, amount, reason };
}

/** Applies a checked move to the open shift; cash out beyond what the drawer holds is refused. */
function apply(shift, move, stamp, by) {
  const available = expectedCash(shift);
  if (move.kind === 'out' && move.amount > available) {
    throw refusal('amount', fill(errors.tooMuch, { available: money.format(available), amount: money.format(move.amount) }));
  }
  if (move.kind === 'in') shift.cashIn = (shift.cashIn ?? 0) + move.amount;
  else shift.cashOut = (shift.cashOut ?? 0) + move.amount;
  shift.cashMoves = [...(shift.cashMoves ?? []), { ...move, at: stamp.at, text: stamp.text, by }];
  settle(shift);
  return shift;
}

module.exports = { readMove, apply, expectedCash, settle, startDay, settleDay, KINDS };
