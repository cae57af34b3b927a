// Login and logout, as in the till (a wrong password comes back as ?error=1 with the login typed).
module.exports = {
  'GET /login': { type: 'view', public: true, layout: 'mainLayout', inject: { pageContent: 'loginForm' } },
  'POST /auth/login': {
    type: 'action',
    public: true,
    reads: ['user'],
    steps: [
      { set: 'context.userRecord', to: 'data.user.items.find(u => u.login === body.login && u.active !== false)' },
      {
        if: "context.userRecord && typeof body.password === 'string' && require('bcrypt').compareSync(body.password, context.userRecord.passwordHash)",
        then: [{ 'auth:login': 'context.userRecord' }, { 'client:redirect': "({ url: '/', full: true })" }],
        else: [
          {
            'client:redirect':
              "({ url: '/login?error=1' + (typeof body.login === 'string' && body.login ? '&login=' + encodeURIComponent(body.login.slice(0, 64)) : ''), full: true })",
          },
        ],
      },
    ],
  },
  'POST /auth/logout': { type: 'action', public: true, steps: [{ 'auth:logout': true }, { 'client:redirect': "({ url: '/login', full: true })" }] },
};
