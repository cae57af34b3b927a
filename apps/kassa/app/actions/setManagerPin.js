'use strict';
// A manager's PIN for confirming returns at a till (staff screen): 4–8 digits, stored as a bcrypt hash.
const pins = require('../lib/manager-pin.js');
const { refusal } = require('../lib/product-form.js');
const t = require('../../manifest/strings.js');

module.exports = function setManagerPin(context, body) {
  const person = context.context.person;
  if (person.role !== t.roles.manager) throw refusal('pin', t.pin.errors.notManager);
  const pin = body && typeof body.pin === 'string' ? body.pin.trim() : '';
  if (!pins.isPin(pin)) throw refusal('pin', t.pin.errors.format);
  person.pinHash = pins.hashPin(pin);
};
