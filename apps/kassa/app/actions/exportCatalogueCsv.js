'use strict';
// GET /catalogue/export.csv: the catalogue as the CSV file's text (app/lib/catalogue-csv.js), read as stored
// (context.stored: no draft per product).
const { exportCsv } = require('../lib/catalogue-csv.js');

module.exports = function exportCatalogueCsv(context) {
  context.context.csv = exportCsv(context.stored(context.data.positions.items));
};
