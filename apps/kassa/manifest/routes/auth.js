// Login, registration and logout: the original's routes, body fields and redirects (compatibility.md §11.4),
// with registration refusing a missing name, login or password (it used to store an unusable account).
const t = require('../strings.js');
const settings = require('../settings.js');
const { refuseIf } = require('../expr.js');

// self-registration is behind a setting (settings.selfRegistration); off, the manager creates accounts (/staff)
const registrationOff = settings.selfRegistration ? [] : [refuseIf('true', t.auth.registrationOff, {}, { status: 404 })];

const filled = (field) => `typeof body.${field} === 'string' && body.${field}.trim() !== ''`;
// where a login goes next: back to the page that sent the user to log in (?next=/__terminals) when that
// is a plain path of this host (never "//other.site" or a scheme), else the till
const afterLogin = "(typeof body.next === 'string' && /^\\/(?![\\/])[\\w\\-.\\/?=&%]*$/.test(body.next) ? body.next : '/')";

module.exports = {
  'GET /login': {
    type: 'view',
    public: true,
    layout: 'mainLayout',
    inject: { pageContent: 'authLayout', formContent: 'loginForm' },
  },
  'GET /register': {
    type: 'view',
    public: true,
    layout: 'mainLayout',
    inject: { pageContent: 'authLayout', formContent: 'registerForm' },
    steps: registrationOff,
  },
  'POST /auth/login': {
    type: 'action',
    public: true,
    reads: ['user'],
    steps: [
      // a deactivated account (staff screen) cannot log in
      { set: 'context.userRecord', to: 'data.user.items.find(u => u.login === body.login && u.active !== false)' },
      {
        if: "context.userRecord && typeof body.password === 'string' && require('bcrypt').compareSync(body.password, context.userRecord.passwordHash)",
        then: [{ 'auth:login': 'context.userRecord' }, { 'client:redirect': `({ url: ${afterLogin}, full: true })` }],
        // a full load (an SPA render would give the focused wrong password back): the password field
        // is empty and the login typed is rendered back from the URL (?login=)
        else: [
          {
            'client:redirect': `({ url: '/login?error=1' + (typeof body.login === 'string' && body.login ? '&login=' + encodeURIComponent(body.login.slice(0, 64)) : '') + (typeof body.next === 'string' && body.next ? '&next=' + encodeURIComponent(body.next) : ''), full: true })`,
          },
        ],
      },
    ],
  },
  'POST /auth/register': {
    type: 'action',
    public: true,
    reads: ['user'],
    writes: ['user'],
    steps: [
      ...registrationOff,
      refuseIf(`!(${filled('name')} && ${filled('login')} && ${filled('password')})`, t.errors.registerMissing),
      refuseIf('!/^\\S{2,32}$/.test(body.login.trim())', t.errors.registerLogin, {}, { field: 'login' }),
      { if: 'data.user.items.some(u => u.login === body.login.trim())', then: [{ 'client:redirect': "'/register?error=1'" }] },
      { set: 'context.hash', to: "require('bcrypt').hashSync(body.password, 10)" },
      {
        set: 'data.user.items',
        to: `data.user.items.concat([{ login: body.login.trim(), name: body.name.trim(), role: ${JSON.stringify(t.roles.cashier)}, passwordHash: context.hash }])`,
      },
      { 'client:redirect': "'/login?registered=true'" },
    ],
  },
  // The till's logout button posts (a state change carries the CSRF token); the original's GET route
  // stays for clients written against it.
  'POST /auth/logout': {
    type: 'action',
    public: true,
    steps: [{ 'auth:logout': true }, { 'client:redirect': "({ url: '/login', full: true })" }],
  },
  'GET /auth/logout': {
    type: 'action',
    public: true,
    steps: [{ 'auth:logout': true }, { 'client:redirect': "({ url: '/login', full: true })" }],
  },
};
