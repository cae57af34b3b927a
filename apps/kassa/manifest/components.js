// Components: templates (and scoped styles) in app/components/.
const t = require('./strings.js');

module.exports = {
  mainLayout: { template: 'main-layout.html', style: 'main-layout.css' },
  authLayout: { template: 'auth-layout.html', style: 'auth-layout.css' },
  loginForm: { template: 'login-form.html', title: t.titles.login },
  registerForm: { template: 'register-form.html', title: t.titles.register },
  cashierPage: { template: 'cashier-page.html', style: 'cashier-page.css', title: t.titles.till },
  positionsList: { template: 'positionsList.html', style: 'positionsList.css' },
  receipt: { template: 'receipt.html', style: 'receipt.css' },
  changePreview: { template: 'change-preview.html' },
  numpad: { template: 'numpad.html', style: 'numpad.css' },
  shiftPage: { template: 'shift-page.html', style: 'shift-page.css', title: t.titles.shift },
  shiftReportPage: { template: 'shift-report-page.html', style: 'shift-page.css', title: t.titles.report },
  shiftReport: { template: 'shift-report.html', style: 'shift-report.css' },
  dashboardPage: { template: 'dashboard-page.html', title: t.titles.dashboard },
  dashboard: { template: 'dashboard.html', style: 'dashboard.css' },
  exportPage: { template: 'export-page.html', style: 'export-page.css', title: t.titles.export },
  displayLayout: { template: 'display-layout.html', style: 'display-layout.css' },
  customerDisplay: { template: 'customer-display.html', style: 'customer-display.css' },
  printLayout: { template: 'print-layout.html', style: 'print-layout.css' },
  // the shop's name, company, address and INN at the top of every printed paper (injected as shopHead)
  shopHead: { template: 'shop-head.html', style: 'shop-head.css' },
  saleReceipt: { template: 'sale-receipt.html', style: 'sale-receipt.css' },
  // the slip printed after a return (routes/returns.js, GET /print/return): the receipt's own look, marked as a return
  returnSlip: { template: 'return-slip.html', style: 'sale-receipt.css' },
  // the manager's catalogue (routes/catalogue.js)
  cataloguePage: { template: 'catalogue-page.html', style: 'catalogue.css', title: t.titles.catalogue },
  catalogueList: { template: 'catalogue-list.html', style: 'catalogue.css' },
  catalogueProduct: { template: 'catalogue-product.html', style: 'catalogue.css', title: t.titles.product },
  // the catalogue as a CSV file: export, import with a preview (routes/catalogue-csv.js)
  catalogueCsvPage: { template: 'catalogue-csv-page.html', style: 'catalogue.css', title: t.catalogueCsv.title },
  catalogueCsvPreview: { template: 'catalogue-csv-preview.html', style: 'catalogue.css' },
  // a product's fields, also head office's product form (apps/hq)
  productFields: { template: 'product-fields.html' },
  // cash in / cash out on the shift page (routes/cash.js)
  shiftCash: { template: 'shift-cash.html', style: 'shift-cash.css' },
  // the manager's staff screen (routes/staff.js)
  staffPage: { template: 'staff-page.html', style: 'staff.css', title: t.titles.staff },
  staffList: { template: 'staff-list.html', style: 'staff.css' },
  // the manager's sales history (routes/history.js)
  historyPage: { template: 'history-page.html', style: 'history.css', title: t.titles.history },
  historyList: { template: 'history-list.html', style: 'catalogue.css' },
  historySale: { template: 'history-sale.html', style: 'history.css', title: t.titles.historySale },
  // stock and goods receipts (routes/stock.js), returns (routes/returns.js)
  stockPage: { template: 'stock-page.html', style: 'stock.css', title: t.titles.stock },
  returnsPage: { template: 'returns-page.html', style: 'returns.css', title: t.titles.returns },
};
