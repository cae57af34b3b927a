// The catalogue as a CSV file (a manager's screen, /catalogue/csv): download the whole catalogue, and import
// a file in two steps: "Проверить файл" checks every line and lists each bad one with its reasons, writing
// nothing to the catalogue; "Загрузить в каталог" then writes all the checked lines in one action (one
// transaction: all or none), after checking them once more against the catalogue as it is then. The file's
// text waits between the two in the terminal's catalogueImport (memory, never stored). The browser reads
// the chosen file into a form field (catalogue-csv-page.html); app/lib/catalogue-csv.js does the rest.
const t = require('../strings.js');
const { refuseIf } = require('../expr.js');

const manager = { roles: [t.roles.manager] };
// in a shop of a chain products and prices are head office's: the file can be downloaded, not imported
const headOfficeOnly = refuseIf('chain', t.chainCatalogue.readOnly, {}, { status: 409 });

module.exports = {
  'GET /catalogue/csv': {
    type: 'view',
    layout: 'mainLayout',
    auth: manager,
    title: t.catalogueCsv.title,
    inject: { pageContent: 'catalogueCsvPage', catalogueCsvPreview: 'catalogueCsvPreview' },
  },

  // the whole catalogue (archived products too) as catalogue.csv
  'GET /catalogue/export.csv': {
    type: 'view',
    layout: 'mainLayout',
    reads: ['positions'],
    auth: manager,
    steps: [{ run: 'exportCatalogueCsv' }],
    download: { body: 'context.csv', fileName: t.catalogueCsv.fileName, contentType: 'text/csv; charset=utf-8' },
  },

  'POST /action/catalogue/csv/preview': {
    type: 'action',
    // the file's text: up to 20,000 lines of a catalogue (app/lib/catalogue-csv.js MAX_ROWS)
    bodyLimitMb: 8,
    reads: ['positions', 'catalogueImport'],
    writes: ['catalogueImport'],
    auth: manager,
    update: 'catalogueCsvPreview',
    steps: [headOfficeOnly, { run: 'previewCatalogueCsv' }],
  },

  'POST /action/catalogue/csv/apply': {
    type: 'action',
    reads: ['positions', 'priceHistory', 'catalogueImport'],
    writes: ['positions', 'priceHistory', 'catalogueImport'],
    auth: manager,
    update: 'catalogueCsvPreview',
    steps: [headOfficeOnly, { run: 'applyCatalogueCsv' }],
  },
};
