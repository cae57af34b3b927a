// Офис сети — head office of a chain of shops, written only as this manifest, the templates in
// app/components and a few action files in app/actions, like the till. It runs on PostgreSQL
// (`serverokey serve apps/hq --database postgres://…`, README "A chain of shops") over the chain's central
// tables, which the shops' tills fill (server/chain/head-office.ts): it reads them with `sql` steps, hears
// every upload through a channel that LISTENs to their trigger, and writes the catalogue and prices there,
// where every shop pulls them from. Its own users and sessions are ordinary connectors (in the database too).
const t = require('./manifest/strings.js');

const everyone = [t.roles.manager, t.roles.accountant];

/** @type {import('../../server/manifest/types').Manifest} */
module.exports = {
  globals: { appName: t.appName, t },
  sockets: {
    // a shop's upload (or its report of what waits) — the trigger on the central tables NOTIFYs this
    'chain-uploads': { listen: 'serverokey_chain_uploads', emit: { event: 'uploads-changed' }, auth: { roles: everyone } },
  },
  auth: {
    userConnector: 'user',
    identityField: 'login',
    passwordField: 'passwordHash',
    roleField: 'role',
    protectByDefault: true,
    terminalsRoles: [t.roles.manager],
  },
  connectors: {
    session: { type: 'lowdb' },
    user: { type: 'lowdb', initialState: { items: require('./manifest/users.js') } },
  },
  components: {
    mainLayout: { template: 'main-layout.html', style: 'main-layout.css' },
    loginForm: { template: 'login-form.html', title: t.auth.loginTitle },
    salesPage: { template: 'sales-page.html', style: 'sales.css', title: t.sales.title },
    salesBoard: { template: 'sales-board.html', style: 'sales.css' },
    cataloguePage: { template: 'catalogue-page.html', style: 'catalogue.css', title: t.catalogue.title },
    catalogueList: { template: 'catalogue-list.html', style: 'catalogue.css' },
    productPage: { template: 'product-page.html', style: 'catalogue.css', title: t.catalogue.title },
    shopPrices: { template: 'shop-prices.html', style: 'catalogue.css' },
    // the till's product fields: head office edits the till's products
    productFields: { template: '../../../kassa/app/components/product-fields.html' },
    reportsPage: { template: 'reports-page.html', style: 'sales.css', title: t.reports.title },
    exportPage: { template: 'export-page.html', style: 'sales.css', title: t.exportPage.title },
    passwordPage: { template: 'password-page.html', title: t.account.title },
  },
  routes: {
    ...require('./manifest/routes/auth.js'),
    ...require('./manifest/routes/sales.js'),
    ...require('./manifest/routes/catalogue.js'),
    ...require('./manifest/routes/reports.js'),
    ...require('./manifest/routes/account.js'),
  },
  exports: require('./manifest/exports.js'),
};
