'use strict';
// "Проверить файл": checks the whole file against the catalogue and shows every bad line with its reasons.
// Nothing is written to the catalogue; a file without faults waits in catalogueImport for "Загрузить".
// A file that cannot be read at all (empty, not CSV, no header) is refused with the reason (422). The catalogue
// is read as stored (context.stored: the engine's frozen list, no draft per product).
const { checkImport } = require('../lib/catalogue-csv.js');
const { refusal } = require('../lib/product-form.js');
const { fill } = require('../lib/text.js');
const t = require('../../manifest/strings.js');

const MAX_SHOWN_REASONS = 5;

module.exports = function previewCatalogueCsv(context, body) {
  const text = typeof body?.csv === 'string' ? body.csv : '';
  const fileName = String(body?.fileName ?? '').slice(0, 100);
  const checked = checkImport(text, context.stored(context.data.positions.items));
  context.data.catalogueImport = { text: '', fileName: '', lines: 0 };
  if (checked.fatal) throw refusal('csv', checked.fatal);
  const { counts, bad } = checked;
  const writes = counts.added + counts.changed;
  if (bad.length === 0 && writes > 0) context.data.catalogueImport = { text, fileName, lines: counts.rows };
  context.context.preview = {
    fileName,
    summary: fill(t.catalogueCsv.summary, counts),
    badSummary: bad.length > 0 ? fill(t.catalogueCsv.badSummary, { count: bad.length }) : '',
    bad: bad.map(({ line, reasons }) => ({ line, reasons: reasons.slice(0, MAX_SHOWN_REASONS).join('; ') })),
    ready: bad.length === 0 && writes > 0,
  };
};
