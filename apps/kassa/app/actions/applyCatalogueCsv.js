'use strict';
// "Загрузить в каталог": the file checked by the preview, checked again against the catalogue as it is now
// (another manager may have changed it meanwhile), then every line written in this one action — the engine
// commits the catalogue, the price history and the cleared preview together, or nothing.
const clock = require('../lib/clock.js');
const { checkImport, applyImport } = require('../lib/catalogue-csv.js');
const { fill } = require('../lib/text.js');
const t = require('../../manifest/strings.js');

const conflict = (message) => Object.assign(new Error(message), { status: 409 });

module.exports = function applyCatalogueCsv(context) {
  const { data, user } = context;
  const pending = data.catalogueImport;
  if (!pending || !pending.text) throw conflict(t.catalogueCsv.errors.noPreview);
  // the check reads the catalogue as stored (context.stored); only the products the file changes are touched in the draft
  const stored = context.stored(data.positions.items);
  const checked = checkImport(pending.text, stored);
  if (checked.fatal || checked.bad.length > 0) throw conflict(t.catalogueCsv.errors.stale);
  const by = user?.name ?? user?.login ?? '';
  const result = applyImport(checked.rows, data.positions.items, data.priceHistory.items, by, clock.stamp(), stored);
  data.catalogueImport = { text: '', fileName: '', lines: 0 };
  context.context.applied = { message: fill(t.catalogueCsv.applied, result) };
};
