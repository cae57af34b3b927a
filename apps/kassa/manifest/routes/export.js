// The manager's export page: sales and Z reports by date range, downloaded as CSV (opens in a
// Russian-locale spreadsheet as it is) or JSON lines. The download itself is the engine's
// /__export/<name> (manifest `exports`, manifest/exports.js), which checks the same role.
const t = require('../strings.js');

module.exports = {
  'GET /reports/export': {
    type: 'view',
    layout: 'mainLayout',
    auth: { roles: [t.roles.manager] },
    inject: { pageContent: 'exportPage' },
  },
};
