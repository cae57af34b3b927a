'use strict';
// Another cashier takes over the terminal's open shift: the handover is recorded in the shift (and so
// in its X/Z report and the Z-report journal), and the sales from now on are theirs.
const clock = require('../lib/clock.js');

module.exports = function takeOverShift(context) {
  const { data, user } = context;
  const shift = data.shift;
  const when = clock.stamp();
  shift.handovers = [
    ...(shift.handovers || []),
    { fromName: shift.cashier, fromLogin: shift.cashierLogin, toName: user.name, toLogin: user.login, at: when.at, text: when.text },
  ];
  shift.cashier = user.name;
  shift.cashierLogin = user.login;
};
