'use strict';
// Closes the shift: its figures stay in the terminal's `shift` (the Z-report page shows them) and
// an immutable copy is appended to the zReports journal.
const clock = require('../lib/clock.js');

module.exports = function closeShift(context) {
  const { data, terminal, user } = context;
  const shift = data.shift;
  const when = clock.stamp();
  shift.open = false;
  shift.closedBy = user.name;
  shift.closedAt = when.at;
  shift.closedText = when.text;
  const { open, ...figures } = shift;
  data.zReports.items.push({ terminal: { id: terminal.id, name: terminal.name }, lastReceipt: shift.receiptSeq, ...figures });
};
