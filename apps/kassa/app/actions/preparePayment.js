'use strict';
// Reads the payment of the open receipt: card pays the amount due; cash needs the tendered amount
// (empty means exactly the amount due) and gives change. Sets context.payment, or context.refusal
// with a message for the cashier (context.context is the steps' `context`) when the amount cannot be read or is short.
const money = require('../lib/money.js');
const { fill } = require('../lib/text.js');
const t = require('../../manifest/strings.js');

module.exports = function preparePayment(context, body) {
  const scratch = context.context;
  const due = context.data.receipt.finalTotal;
  const method = body.method === 'card' ? 'card' : 'cash';
  scratch.payment = null;
  scratch.refusal = null;
  if (method === 'card') {
    scratch.payment = { method, due, tendered: due, change: 0, exact: true };
    return;
  }
  const text = String(body.tendered ?? '').trim();
  if (text === '') {
    scratch.payment = { method, due, tendered: due, change: 0, exact: true };
    return;
  }
  const tendered = money.parse(text);
  if (tendered === null) {
    scratch.refusal = fill(t.errors.badAmount, { text: text.slice(0, 20) });
    return;
  }
  if (tendered < due) {
    scratch.refusal = fill(t.errors.short, {
      tendered: money.format(tendered),
      total: money.format(due),
      missing: money.format(due - tendered),
    });
    return;
  }
  scratch.payment = { method, due, tendered, change: tendered - due, exact: false };
};
