// Downloads for accountants (GET /__export/<name>?from=YYYY-MM-DD&to=YYYY-MM-DD): every shop's records from
// the central tables, CSV in UTF-8 with a BOM and ";" (money as 12,50), as the till's own exports.
const t = require('./strings.js');

const c = t.exportPage.columns;
const money = (title, field) => ({ title, field, format: 'money' });
const roles = [t.roles.manager, t.roles.accountant];
// $1, $2: the first and last day asked for (YYYY-MM-DD, or null for an open end)
const range = (day) => `($1::text IS NULL OR ${day} >= $1) AND ($2::text IS NULL OR ${day} <= $2)`;

module.exports = {
  sales: {
    title: t.exportPage.sales,
    roles,
    sql: `SELECT shop, record->>'day' AS day, record->>'timeText' AS time, (record->>'number')::int AS number, (record->>'shift')::int AS shift,
                 record->'terminal'->>'name' AS terminal, record->'cashier'->>'name' AS cashier, (record->>'itemCount')::float8 AS items,
                 (record->>'total')::float8 AS total, (record->>'discount')::float8 AS discount, (record->>'finalTotal')::float8 AS final_total,
                 record->'payment'->>'method' AS method, uid::text AS uid
            FROM serverokey_chain_records
           WHERE journal = 'sales' AND ${range("record->>'day'")}
           ORDER BY shop, seq`,
    columns: [
      { title: c.shop, field: 'shop' },
      { title: c.day, field: 'day' },
      { title: c.time, field: 'time' },
      { title: c.number, field: 'number' },
      { title: c.shift, field: 'shift' },
      { title: c.terminal, field: 'terminal' },
      { title: c.cashier, field: 'cashier' },
      { title: c.items, field: 'items' },
      money(c.total, 'total'),
      money(c.discount, 'discount'),
      money(c.finalTotal, 'final_total'),
      { title: c.method, field: 'method' },
      { title: c.id, field: 'uid' },
    ],
  },
  zReports: {
    title: t.exportPage.zReports,
    roles,
    sql: `SELECT shop, (record->>'number')::int AS shift, record->'terminal'->>'name' AS terminal, record->>'cashier' AS cashier,
                 record->>'openedText' AS opened, record->>'closedText' AS closed, (record->>'salesCount')::int AS sales,
                 (record->>'net')::float8 AS net, (record->>'cash')::float8 AS cash, (record->>'card')::float8 AS card, uid::text AS uid
            FROM serverokey_chain_records
           WHERE journal = 'zReports' AND ${range("left(record->>'closedAt', 10)")}
           ORDER BY shop, seq`,
    columns: [
      { title: c.shop, field: 'shop' },
      { title: c.shift, field: 'shift' },
      { title: c.terminal, field: 'terminal' },
      { title: c.cashier, field: 'cashier' },
      { title: c.opened, field: 'opened' },
      { title: c.closed, field: 'closed' },
      { title: c.salesCount, field: 'sales' },
      money(c.net, 'net'),
      money(c.cash, 'cash'),
      money(c.card, 'card'),
      { title: c.id, field: 'uid' },
    ],
  },
};
