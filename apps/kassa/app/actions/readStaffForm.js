'use strict';
// The new account form (app/lib/staff-form.js) → context.account, with the password as a bcrypt hash.
const bcrypt = require('bcryptjs');
const { readAccount } = require('../lib/staff-form.js');

module.exports = function readStaffForm(context, body) {
  const { password, ...account } = readAccount(body);
  context.context.account = { ...account, passwordHash: bcrypt.hashSync(password, 10), active: true };
};
