// The manager's staff screen: create cashiers and managers, reset a password, deactivate an account (or
// bring it back). Passwords are bcrypt hashes; a reset or a deactivation ends the person's logins on every
// terminal at once (the engine's auth:endSessions step), and a deactivated account cannot log in.
// Cashiers never see these routes (403).
const t = require('../strings.js');
const { message, refuseIf } = require('../expr.js');

const manager = { roles: [t.roles.manager] };
const people = 'data.user.items';

/** The account named by body.login into context.person, or 404. */
const findPerson = [
  { set: 'context.login', to: "String(body.login ?? '').trim()" },
  { set: 'context.person', to: `${people}.find(u => u.login === context.login)` },
  refuseIf('!context.person', t.staff.errors.unknown, { login: 'context.login.slice(0, 32)' }, { status: 404 }),
];

/** What the list shows: never a password hash. */
const listSteps = [
  {
    set: 'context.staff',
    to: `${people}.map(u => ({ login: u.login, name: u.name, role: u.role, active: u.active !== false, isMe: u.login === user.login, isManager: u.role === ${JSON.stringify(t.roles.manager)}, hasPin: !!u.pinHash }))`,
  },
  { set: 'context.roles', to: JSON.stringify([t.roles.cashier, t.roles.manager]) },
];

const staffAction = (steps, writes = ['user']) => ({
  type: 'action',
  reads: ['user'],
  writes,
  auth: manager,
  update: 'staffList',
  steps: [...steps, ...listSteps],
});

module.exports = {
  'GET /staff': {
    type: 'view',
    layout: 'mainLayout',
    reads: ['user'],
    auth: manager,
    title: t.titles.staff,
    inject: { pageContent: 'staffPage', staffList: 'staffList' },
    steps: listSteps,
  },

  'POST /action/staff/create': staffAction([
    { run: 'readStaffForm' },
    refuseIf(`${people}.some(u => u.login === context.account.login)`, t.staff.errors.loginTaken, { login: 'context.account.login' }, { field: 'login', status: 409 }),
    { set: people, to: `${people}.concat([context.account])` },
    { set: 'context.notice', to: message(t.staff.created, { login: 'context.account.login' }) },
  ]),

  'POST /action/staff/password': staffAction([
    ...findPerson,
    { run: 'readNewPassword' },
    { set: 'context.person.passwordHash', to: 'context.passwordHash' },
    { 'auth:endSessions': 'context.person.login' },
    { set: 'context.notice', to: message(t.staff.passwordChanged, { login: 'context.person.login' }) },
  ]),

  // a manager's PIN for confirming returns at a till (bcrypt, like passwords; app/actions/setManagerPin.js)
  'POST /action/staff/pin': staffAction([
    ...findPerson,
    { run: 'setManagerPin' },
    { set: 'context.notice', to: message(t.pin.saved, { login: 'context.person.login' }) },
  ]),

  // deactivates an active account (its logins end everywhere), or lets a deactivated one log in again
  'POST /action/staff/active': staffAction([
    ...findPerson,
    refuseIf('context.person.login === user.login', t.staff.errors.self, {}, { status: 409 }),
    { set: 'context.person.active', to: 'context.person.active === false' },
    {
      if: 'context.person.active',
      then: [{ set: 'context.notice', to: message(t.staff.activated, { login: 'context.person.login' }) }],
      else: [
        { 'auth:endSessions': 'context.person.login' },
        { set: 'context.notice', to: message(t.staff.deactivated, { login: 'context.person.login' }) },
      ],
    },
  ]),
};
