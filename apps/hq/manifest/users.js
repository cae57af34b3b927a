// The first accounts (a fresh database): each changes its password on /password (Пароль, in the top bar).
const t = require('./strings.js');

module.exports = [
  // admin / admin
  { login: 'admin', name: 'Петрова А.С.', role: t.roles.manager, passwordHash: '$2b$10$Z78qOJ6QMWd2LftFmIYj3eN/yyMdiJ9rmO41BLOQn.Kv0vjq2O3yS' },
  // buh / buh
  { login: 'buh', name: 'Смирнова Е.В.', role: t.roles.accountant, passwordHash: '$2b$10$/G.YFVhhBjQkirskoOfGp.J3r3EVa0IHcie2or8eNu0r4Nc8quAhC' },
];
