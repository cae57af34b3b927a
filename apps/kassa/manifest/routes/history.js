// The manager's sales history: every sale of the `sales` journal, filtered by day, terminal, cashier,
// payment method, amount and receipt number, 50 a page, newest first; open a sale, reprint it at 80 or
// 58 mm marked «КОПИЯ» (the till's own receipt layout), export a date range as CSV (the engine's
// /__export/sales). The journal keeps only its last 200 sales in memory: the list is read with the
// engine's journal:read step over the journal's index (connectors.js), so a day's page of 100,000 sales
// reads 50 records. Cashiers never see these routes (403).
const t = require('../strings.js');
const { refuseIf } = require('../expr.js');

const manager = { roles: [t.roles.manager] };
const PAGE_SIZE = 50;
const methods = JSON.stringify(t.history.methods);

/** The list for the filters in the query string (GET) or the form's body (the search action). */
const listSteps = (fromBody) => [
  { set: 'context.fromBody', to: String(fromBody) },
  { run: 'historyFilters' },
  {
    'journal:read': {
      journal: 'sales',
      where: {
        day: 'context.where.day',
        'terminal.name': 'context.where.terminal',
        'cashier.login': 'context.where.cashier',
        'payment.method': 'context.where.method',
        finalTotal: { from: 'context.where.min', to: 'context.where.max' },
        number: 'context.where.number',
      },
      page: 'context.page',
      size: PAGE_SIZE,
      saveTo: 'context.history',
    },
  },
  { set: 'context.prevPage', to: 'context.history.page > 1 ? context.history.page - 1 : 0' },
  { set: 'context.nextPage', to: 'context.history.page < context.history.pages ? context.history.page + 1 : 0' },
  // only the page's rows are shaped for the screen
  {
    set: 'context.rows',
    to:
      'context.history.items.map((s, i) => ({ id: s.id, number: s.number, time: s.timeText, terminal: s.terminal ? s.terminal.name : "", ' +
      `cashier: s.cashier ? s.cashier.name : "", method: ${methods}[s.payment && s.payment.method] || "", itemCount: s.itemCount, finalTotal: s.finalTotal, ` +
      "href: '/history/sale?id=' + encodeURIComponent(s.id) + '&back=' + encodeURIComponent(context.listUrl), hotkey: i < 9 ? 'Alt+' + (i + 1) : '' }))",
  },
  // the cashier filter offers everyone on the staff list (login and name only)
  { set: 'context.cashiers', to: 'data.user.items.map(u => ({ login: u.login, name: u.name, selected: u.login === context.form.cashier }))' },
  { set: 'context.methods', to: `Object.entries(${methods}).map(([code, label]) => ({ code, label, selected: code === context.form.method }))` },
];

/** The sale named by ?id= into context.sale, or 404. */
const findSale = [
  { set: 'context.id', to: "String(query.id ?? '').slice(0, 200)" },
  refuseIf("context.id === ''", t.history.errors.notFound, { id: 'context.id' }, { status: 404 }),
  { 'journal:read': { journal: 'sales', where: { id: 'context.id' }, size: 1, saveTo: 'context.found' } },
  { set: 'context.sale', to: 'context.found.items[0]' },
  refuseIf('!context.sale', t.history.errors.notFound, { id: 'context.id.slice(0, 40)' }, { status: 404 }),
];

module.exports = {
  'GET /history': {
    type: 'view',
    layout: 'mainLayout',
    reads: ['user'],
    auth: manager,
    title: t.titles.history,
    inject: { pageContent: 'historyPage', historyList: 'historyList' },
    steps: listSteps(false),
  },

  // the filter form (as you change it) and the paging: the list only
  'POST /action/history/search': {
    type: 'action',
    reads: ['user'],
    auth: manager,
    update: 'historyList',
    steps: listSteps(true),
  },

  // one sale, with its reprint buttons; ?back= is the list it was opened from
  'GET /history/sale': {
    type: 'view',
    layout: 'mainLayout',
    auth: manager,
    title: t.titles.historySale,
    inject: { pageContent: 'historySale' },
    steps: [
      ...findSale,
      { set: 'context.back', to: "String(query.back ?? '').startsWith('/history?') ? query.back : '/history'" },
      { set: 'context.method', to: `${methods}[context.sale.payment && context.sale.payment.method] || ''` },
      { set: 'context.printId', to: 'encodeURIComponent(context.sale.id)' },
    ],
  },

  // the reprint: the till's receipt layout, marked as a copy; ?width=58 for 58 mm paper
  'GET /print/sale': {
    type: 'view',
    layout: 'printLayout',
    auth: manager,
    inject: { paper: 'saleReceipt', shopHead: 'shopHead' },
    steps: [...findSale, { set: 'context.copy', to: 'true' }],
  },
};
