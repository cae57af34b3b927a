// Атомная касса — the point-of-sale of Serverokey POS, written only as this manifest, the templates
// in app/components and a few action files in app/actions. It keeps the original example's
// behaviour, route keys, body fields, channel and event names (compatibility.md §11), and adds barcode
// scanning, per-terminal receipts, payments with a sales journal, shifts with X/Z reports, receipt
// printing, a customer display and a manager's dashboard. Texts: manifest/strings.js.
const t = require('./manifest/strings.js');
const settings = require('./manifest/settings.js');
const { connectors } = require('./manifest/connectors.js');
const components = require('./manifest/components.js');

/** @type {import('../../server/manifest/types').Manifest} */
module.exports = {
  globals: { appName: t.appName, appVersion: '4.0.0', t, shop: settings.shop, printer: settings.printer, selfRegistration: settings.selfRegistration },
  sockets: {
    // the original's channel: windows (and the customer display) of the same terminal re-render
    // the receipt when it changes; the terminal-scoped receipt never reaches another terminal
    // the new receipt is rendered once per terminal and pushed with the event, so windows swap it in
    // without a round trip (the soft-refresh action stays for clients that ignore pushed fragments)
    'receipt-updates': { watch: 'receipt', emit: { event: 'receipt-changed', payload: 'receipt', render: 'receipt' } },
    // the customer display listens on its own channel so it receives its own rendered fragment
    'display-updates': { watch: 'receipt', emit: { event: 'receipt-changed', payload: 'receipt', render: 'customerDisplay' } },
    // the manager's dashboard follows every completed sale
    'sales-feed': {
      watch: 'daily',
      emit: { event: 'sales-changed', payload: ['day', 'count', 'total'] },
      auth: { roles: [t.roles.manager] },
    },
  },
  auth: {
    userConnector: 'user',
    identityField: 'login',
    passwordField: 'passwordHash',
    roleField: 'role',
    protectByDefault: true,
    // only a manager opens the terminals page (pairing code, revoking LAN devices)
    terminalsRoles: [t.roles.manager],
  },
  launch: {
    mode: 'native',
    window: { title: t.appName, width: 1280, height: 820 },
    customerDisplay: { path: '/display' },
    print: { path: `/print/receipt?sale=last&width=${settings.printer.widthMm}`, widthMm: settings.printer.widthMm },
    // a shop of a chain (started with SERVEROKEY_CHAIN_URL): the catalogue and prices come from head office
    chain: { catalogue: 'positions' },
  },
  connectors,
  components,
  routes: {
    ...require('./manifest/routes/auth.js'),
    ...require('./manifest/routes/pages.js'),
    ...require('./manifest/routes/receipt.js'),
    ...require('./manifest/routes/sale.js'),
    ...require('./manifest/routes/shift.js'),
    ...require('./manifest/routes/export.js'),
    ...require('./manifest/routes/catalogue.js'),
    ...require('./manifest/routes/catalogue-csv.js'),
    ...require('./manifest/routes/staff.js'),
    ...require('./manifest/routes/cash.js'),
    ...require('./manifest/routes/history.js'),
    ...require('./manifest/routes/stock.js'),
    ...require('./manifest/routes/returns.js'),
  },
  exports: require('./manifest/exports.js'),
};
