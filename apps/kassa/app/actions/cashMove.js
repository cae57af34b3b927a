'use strict';
// Cash in / cash out on the terminal's open shift (app/lib/cash-move.js); the record also goes to the
// cashMoves journal (who, when, why), beside the shift's own list that the X/Z report shows.
const cash = require('../lib/cash-move.js');
const clock = require('../lib/clock.js');

module.exports = function cashMove(context, body) {
  const { data, user, terminal } = context;
  const move = cash.readMove(body);
  const when = clock.stamp();
  cash.apply(data.shift, move, when, user.name);
  data.cashMoves.items.push({
    ...move,
    at: when.at,
    day: when.day,
    shift: data.shift.number,
    terminal: { id: terminal.id, name: terminal.name },
    cashier: { login: user.login, name: user.name },
  });
};
