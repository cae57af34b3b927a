'use strict';
// A password reset: context.passwordHash (bcrypt) from body.password, or a 422 beside the field.
const bcrypt = require('bcryptjs');
const { readPassword } = require('../lib/staff-form.js');

module.exports = function readNewPassword(context, body) {
  context.context.passwordHash = bcrypt.hashSync(readPassword(body && body.password), 10);
};
