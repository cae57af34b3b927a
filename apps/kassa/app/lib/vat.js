'use strict';
// VAT (НДС) of a receipt. Prices include VAT; each product carries its rate (catalogue: без НДС, 0, 10,
// 20, 22 %). The one rule, in integer kopecks:
//
//  1. The receipt's discount is shared out over its lines in proportion to their sums (largest remainder:
//     each line gets floor(discount × sum / total), the kopecks left go one each to the lines with the
//     largest cut-off fractions, earlier lines first on a tie), so the lines' paid amounts add up to the
//     amount due exactly.
//  2. A line's VAT is the VAT contained in what is paid for it: paid × rate / (100 + rate), rounded half-up
//     to a kopeck (money.includedVat). "без НДС" lines carry none.
//  3. The receipt's VAT per rate is the sum of its lines' VAT (what the lines print adds up to the total).
const money = require('./money.js');
const t = require('../../manifest/strings.js');

const LABELS = Object.fromEntries(t.products.vatRates.map((rate) => [rate.code, rate.label]));

/** A rate code ('none', '0', '10', '20', '22') → its percent, or null for "без НДС". */
function percentOf(code) {
  if (code === 'none') return null;
  const percent = Number(code);
  if (!(code in LABELS) || !Number.isInteger(percent)) throw new RangeError(`unknown VAT rate "${code}"`);
  return percent;
}

/** Shares `discount` over `sums` (kopecks) in proportion, largest remainder: the shares add up to it. */
function shareDiscount(sums, discount) {
  const total = money.sum(sums);
  if (discount === 0 || total === 0) return sums.map(() => 0);
  if (discount > total) throw new RangeError(`a discount of ${discount} is more than the total ${total}`);
  const shares = sums.map((sum) => Math.floor((discount * sum) / total));
  let left = discount - money.sum(shares);
  const byFraction = sums
    .map((sum, index) => ({ index, fraction: (discount * sum) % total }))
    .sort((a, b) => b.fraction - a.fraction || a.index - b.index);
  for (const { index } of byFraction) {
    if (left === 0) break;
    shares[index] += 1;
    left -= 1;
  }
  return shares;
}

/**
 * lines: [{ sum, vat }] (vat: a rate code), discount: the receipt's discount in kopecks →
 * { lines: [{ paid, vat, vatLabel, vatAmount }], rates: [{ code, label, paid, amount, none }] } (only the
 * rates present: 0, 10, 20, 22 %, then без НДС).
 */
function receiptVat(lines, discount) {
  const shares = shareDiscount(lines.map((line) => line.sum), discount);
  const out = lines.map((line, index) => {
    const code = String(line.vat);
    const percent = percentOf(code);
    const paid = line.sum - shares[index];
    return { paid, vat: code, vatLabel: LABELS[code], vatAmount: percent === null ? 0 : money.includedVat(paid, percent) };
  });
  const rates = [];
  for (const code of ['0', '10', '20', '22', 'none'].filter((c) => c in LABELS)) {
    const mine = out.filter((line) => line.vat === code);
    if (mine.length === 0) continue;
    rates.push({ code, label: LABELS[code], paid: money.sum(mine.map((l) => l.paid)), amount: money.sum(mine.map((l) => l.vatAmount)), none: code === 'none' });
  }
  return { lines: out, rates };
}

module.exports = { LABELS, percentOf, shareDiscount, receiptVat };
