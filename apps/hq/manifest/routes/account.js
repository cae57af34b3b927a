// Everyone's own password: the current one first, the new one checked and hashed like the till's staff screen.
// (Head office has no staff screen of its own yet: its accounts are manifest/users.js on a fresh database.)
const t = require('../strings.js');
const { message } = require('../../../kassa/manifest/expr.js');

const everyone = { roles: [t.roles.manager, t.roles.accountant] };

module.exports = {
  'GET /password': { type: 'view', layout: 'mainLayout', auth: everyone, inject: { pageContent: 'passwordPage' } },
  'POST /action/password': {
    type: 'action',
    auth: everyone,
    reads: ['user'],
    writes: ['user'],
    steps: [
      { set: 'context.me', to: 'data.user.items.find(u => u.login === user.login)' },
      {
        if: "!(context.me && typeof body.current === 'string' && require('bcrypt').compareSync(body.current, context.me.passwordHash))",
        then: [{ fail: message(t.account.wrongCurrent), status: 422, field: 'current' }],
      },
      { run: 'readNewPassword' },
      { set: 'context.me.passwordHash', to: 'context.passwordHash' },
      { 'client:redirect': "'/password?changed=1'" },
    ],
  },
};
