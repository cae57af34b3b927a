// Z reports of every shop (by shop and by the day each shift was closed) and the downloads for accountants.
const t = require('../strings.js');
const sql = require('../sql.js');

const everyone = { roles: [t.roles.manager, t.roles.accountant] };
const day = (field) => `/^\\d{4}-\\d{2}-\\d{2}$/.test(String(query.${field} ?? '')) ? query.${field} : ''`;

module.exports = {
  'GET /reports': {
    type: 'view',
    layout: 'mainLayout',
    auth: everyone,
    inject: { pageContent: 'reportsPage' },
    steps: [
      { set: 'context.shop', to: "String(query.shop ?? '').slice(0, 40)" },
      { set: 'context.from', to: day('from') },
      { set: 'context.to', to: day('to') },
      { sql: { query: sql.shops, saveTo: 'context.shops' } },
      { set: 'context.shops', to: 'context.shops.map(s => ({ shop: s.shop, selected: s.shop === context.shop }))' },
      { sql: { query: sql.zReports, params: ['context.shop', 'context.from', 'context.to'], saveTo: 'context.reports' } },
      { set: 'context.full', to: 'context.reports.length === 500' },
    ],
  },
  'GET /export': {
    type: 'view',
    layout: 'mainLayout',
    auth: everyone,
    inject: { pageContent: 'exportPage' },
    steps: [
      { set: 'context.today', to: "new Intl.DateTimeFormat('sv-SE').format(new Date())" },
      // every download the manifest declares (manifest/exports.js)
      { set: 'context.downloads', to: JSON.stringify(Object.entries(require('../exports.js')).map(([name, config]) => ({ name, title: config.title }))) },
    ],
  },
};
