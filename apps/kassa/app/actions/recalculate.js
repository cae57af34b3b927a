'use strict';
// Recomputes a receipt from its lines. Amounts are kopecks; the rules (exact sums, weighed lines and
// percentage discounts rounded half-up to a kopeck) are written down in app/lib/money.js.
// Parity with the original (compatibility.md §11.8): bread 4550 + cheese 25075 × 2 → total 54700;
// 10 % → discount 5470, due 49230; SALE15 → 8205 / 46495; with the bonus, 20 % → 10940 / 43760.
const money = require('../lib/money.js');
const stock = require('../lib/stock.js');

module.exports = function recalculate(context) {
  const receipt = context.data.receipt;
  // every change of the receipt goes through here: the pay form names the revision it shows
  receipt.revision = (receipt.revision || 0) + 1;
  // context.onHand (one per line) when the route read the stock: lines selling below zero are flagged; other
  // changes (a coupon, the bonus) keep the flags as they were
  const onHand = context.context && Array.isArray(context.context.onHand) ? context.context.onHand : null;
  receipt.items.forEach((line, index) => {
    // a weighed line (кг) costs price per kg × its grams, rounded half-up to a kopeck (money.weighedSum)
    if (line.unit === 'кг') {
      line.quantity = 1;
      line.sum = money.weighedSum(line.price, line.grams);
      line.weightText = money.formatWeight(line.grams);
      line.weighed = true;
    } else {
      line.sum = money.lineSum(line.price, line.quantity);
    }
    line.current = line.id === receipt.currentId;
    if (onHand) {
      line.onHand = onHand[index];
      line.short = stock.isShort(onHand[index], stock.unitsOf(line));
    }
  });
  // a weighed line counts as one item
  receipt.itemCount = receipt.items.reduce((count, line) => count + line.quantity, 0);
  receipt.total = money.sum(receipt.items.map((line) => line.sum));
  const { discount, due } = money.applyDiscount(receipt.total, receipt.discountPercent);
  receipt.discount = discount;
  receipt.finalTotal = due;
  if (!receipt.items.some((line) => line.id === receipt.currentId)) {
    receipt.currentId = receipt.items.length > 0 ? receipt.items[receipt.items.length - 1].id : null;
    for (const line of receipt.items) line.current = line.id === receipt.currentId;
  }
};
