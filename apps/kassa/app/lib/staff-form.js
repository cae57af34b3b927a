'use strict';
// The staff screen's forms, read and checked: a new account (login, name, role, password) or a new
// password. A refusal names its field (the engine answers 422 and the page shows it beside the field).
const t = require('../../manifest/strings.js');

const errors = t.staff.errors;
const ROLES = [t.roles.cashier, t.roles.manager];

function refusal(field, message) {
  return Object.assign(new Error(message), { status: 422, fields: { [field]: message } });
}

function readPassword(value, field = 'password') {
  const password = typeof value === 'string' ? value : '';
  if (password.length < 4 || password.length > 64) throw refusal(field, errors.password);
  return password;
}

function readAccount(body) {
  const form = body && typeof body === 'object' ? body : {};
  const login = String(form.login ?? '').trim();
  if (!/^[A-Za-z0-9._-]{2,32}$/.test(login)) throw refusal('login', errors.login);
  const name = String(form.name ?? '').trim().replace(/\s+/g, ' ');
  if (name === '' || name.length > 64) throw refusal('name', errors.name);
  const role = String(form.role ?? '');
  if (!ROLES.includes(role)) throw refusal('role', errors.role);
  const password = readPassword(form.password);
  return { login, name, role, password };
}

module.exports = { readAccount, readPassword, ROLES };
