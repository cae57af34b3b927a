'use strict';
// A new password, checked and hashed exactly as the till's staff screen does it: context.passwordHash, or a
// 422 beside the password field.
module.exports = require('../../../kassa/app/actions/readNewPassword.js');
