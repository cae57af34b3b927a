// Shop settings the till's rules read (amounts in kopecks). The original example's numbers.
module.exports = {
  /** every new receipt starts with this discount (the original's loyalty discount) */
  defaultDiscountPercent: 10,
  /** a coupon replaces the default discount; the bonus adds to whatever discount is set */
  coupons: [
    { code: 'SALE15', percent: 15 },
    { code: 'BIGSALE50', percent: 50 },
  ],
  bonus: { percent: 5, minTotal: 30000 },
  maxQuantity: 999,
  /** receipts a terminal may keep aside at once (отложенные чеки) */
  maxParkedReceipts: 5,
  /**
   * Open self-registration (the original's "Регистрация нового кассира" on the login page). Off: anyone at a
   * till could make themselves a cashier; the manager creates accounts on the staff screen (/staff).
   */
  selfRegistration: false,
  /** stock (routes/stock.js): a product at or below this many on hand is on the low-stock list */
  stock: { lowThreshold: 5, demoOnHand: 50 },
  /**
   * the VAT rate of a receipt line that carries none (a line put on a receipt before products had their own
   * rate); every product has its own rate in the catalogue (app/lib/vat.js)
   */
  vat: { percent: 20 },
  /**
   * Labels of the shop's scales (weighed goods, unit кг): EAN-13 starting with one of `prefixes`, then the
   * product's number in `codeDigits` digits, the weight in grams in `weightDigits` digits, and the check
   * digit (prefix + code + weight + 1 = 13 digits). Set it as the scales are programmed, e.g.
   * { prefixes: ['22'], codeDigits: 6, weightDigits: 4 }. Read by app/lib/scale-label.js.
   */
  scaleLabels: { prefixes: ['20', '21', '22', '23', '24', '25', '26', '27', '28', '29'], codeDigits: 5, weightDigits: 5 },
  /** receipt printer paper: 80 or 58 mm rolls (the printed layout and the desktop's silent print) */
  printer: { widthMm: 80 },
  /** what receipts and the customer display print at the top */
  shop: {
    name: 'Магазин «Атом»',
    company: 'ООО «Атом»',
    address: 'г. Москва, ул. Примерная, д. 1',
    inn: '7700000000',
  },
};
