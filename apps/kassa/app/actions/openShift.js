'use strict';
// Opens the terminal's next shift for the logged-in cashier with the opening float (cash put in the
// drawer, typed in rubles). An unreadable amount sets context.refusal instead.
const money = require('../lib/money.js');
const clock = require('../lib/clock.js');
const { fill } = require('../lib/text.js');
const t = require('../../manifest/strings.js');
const { closedShift } = require('../../manifest/connectors.js');

module.exports = function openShift(context, body) {
  const text = String(body.float ?? '').trim();
  const float = text === '' ? 0 : money.parse(text);
  if (float === null) {
    context.context.refusal = fill(t.errors.badAmount, { text: text.slice(0, 20) });
    return;
  }
  const when = clock.stamp();
  context.data.shift = {
    ...structuredClone(closedShift),
    open: true,
    number: context.data.shift.number + 1,
    cashier: context.user.name,
    cashierLogin: context.user.login,
    openedAt: when.at,
    openedText: when.text,
    openingFloat: float,
    cashExpected: float,
  };
};
