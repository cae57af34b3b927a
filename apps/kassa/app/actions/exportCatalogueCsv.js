'use strict';
// GET /catalogue/export.csv: the catalogue as the CSV file's text (app/lib/catalogue-csv.js).
const { exportCsv } = require('../lib/catalogue-csv.js');
const { asStored } = require('../lib/stored.js');

module.exports = function exportCatalogueCsv(context) {
  context.context.csv = exportCsv(asStored(context.data.positions.items));
};
