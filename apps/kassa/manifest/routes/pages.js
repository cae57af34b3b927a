// Pages: the till, the customer display, the manager's dashboard and the printable receipt/report.
const t = require('../strings.js');
const { tillListSteps } = require('../till-list.js');

module.exports = {
  'GET /': {
    type: 'view',
    layout: 'mainLayout',
    reads: ['receipt', 'viewState', 'positions', 'shift'],
    inject: { pageContent: 'cashierPage', positionsList: 'positionsList', receipt: 'receipt', numpad: 'numpad' },
    // the product list: one page for the terminal's search (manifest/till-list.js)
    steps: tillListSteps('data.viewState.query'),
  },

  // Bound to the terminal that opens it: shows that terminal's receipt only.
  'GET /display': {
    type: 'view',
    layout: 'displayLayout',
    reads: ['receipt'],
    inject: { pageContent: 'customerDisplay' },
  },

  'GET /dashboard': {
    type: 'view',
    layout: 'mainLayout',
    reads: ['daily'],
    auth: { roles: [t.roles.manager] },
    inject: { pageContent: 'dashboardPage', dashboard: 'dashboard' },
  },
  'POST /action/soft-refresh-dashboard': {
    type: 'action',
    reads: ['daily'],
    auth: { roles: [t.roles.manager] },
    update: 'dashboard',
    steps: [],
  },

  // ?sale=last (the terminal's last sale); ?width=58 for 58 mm paper (80 mm otherwise). A manager
  // reprints any sale as a copy from the history (GET /print/sale, routes/history.js), same layout.
  'GET /print/receipt': {
    type: 'view',
    layout: 'printLayout',
    reads: ['lastSale'],
    inject: { paper: 'saleReceipt', shopHead: 'shopHead' },
    // the sale's number as a QR code on the paper, for a return (app/lib/sale-code.js)
    steps: [{ set: 'context.sale', to: 'data.lastSale.sale' }, { run: 'receiptCode' }],
  },
  'GET /print/shift': {
    type: 'view',
    layout: 'printLayout',
    reads: ['shift'],
    inject: { paper: 'shiftReport' },
  },
};
