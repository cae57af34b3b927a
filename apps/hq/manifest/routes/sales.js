// Today's sales per shop, live: the board subscribes to "chain-uploads" (a NOTIFY from the central tables'
// trigger on every upload) and refreshes itself; each shop's last contact and what it still has to send.
const t = require('../strings.js');
const sql = require('../sql.js');

const everyone = { roles: [t.roles.manager, t.roles.accountant] };
/** today as the tills record it (YYYY-MM-DD in local time), or the day asked for */
const dayOf = (source) =>
  `/^\\d{4}-\\d{2}-\\d{2}$/.test(String(${source}.day ?? '')) ? ${source}.day : new Intl.DateTimeFormat('sv-SE').format(new Date())`;

const boardSteps = (source) => [
  { set: 'context.day', to: dayOf(source) },
  { sql: { query: sql.salesToday, params: ['context.day'], saveTo: 'context.shops' } },
  {
    set: 'context.totals',
    to: "context.shops.reduce((sum, s) => ({ sales: sum.sales + s.sales, total: sum.total + s.total, cash: sum.cash + s.cash, card: sum.card + s.card }), { sales: 0, total: 0, cash: 0, card: 0 })",
  },
  {
    set: 'context.shops',
    to: "context.shops.map(s => ({ ...s, contactText: s.last_contact ? new Intl.DateTimeFormat('ru-RU', { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' }).format(new Date(s.last_contact)) : '', waiting: Number(s.backlog ?? 0) }))",
  },
];

module.exports = {
  'GET /': {
    type: 'view',
    layout: 'mainLayout',
    auth: everyone,
    inject: { pageContent: 'salesPage', salesBoard: 'salesBoard' },
    steps: boardSteps('query'),
  },
  // the board again (its socket's refresh; the day travels in the board's hidden field)
  'POST /action/sales/refresh': {
    type: 'action',
    auth: everyone,
    update: 'salesBoard',
    steps: boardSteps('body'),
  },
};
