'use strict';
// Money of the till. The one place that says how amounts are kept and rounded:
//
//  - Every amount is an integer number of kopecks (1 ₽ = 100 kopecks): prices in the catalogue,
//    receipt lines and totals, payments, the sales journal, shift and day totals. No floating-point
//    ruble values are ever stored or added, so 0.10 + 0.20 is 10 + 20 = 30 kopecks, exactly.
//  - A line's sum is price × quantity (integers: exact).
//  - A weighed line (unit кг, weight in whole grams) costs price per kg × grams / 1000, rounded half-up to a
//    whole kopeck:  sum = floor((price × grams + 500) / 1000)
//    so 89.90 ₽/кг × 512 g = 46.0288 → 46.03, 0.10 ₽/кг × 5 g = 0.0005 → 0.00 (half a kopeck goes up:
//    1.00 ₽/кг × 5 g = 0.005 → 0.01). The line is rounded once, on its whole weight.
//  - A receipt's total is the exact sum of its line sums.
//  - A percentage discount is rounded half-up to a whole kopeck:
//        discount = floor((total × percent + 50) / 100)   (percent in whole or hundredths of a percent)
//    so 10 % of 547.00 is 54.70, 15 % of 0.05 is 0.01 (0.0075 → 0.01), 15 % of 0.03 is 0.00 (0.0045).
//    The amount due is total − discount, never negative.
//  - Amounts typed by a person ("500", "500.5", "1 000,50") are read as text, never through a float.
//  - Amounts are formatted only for people: templates use {{#money}}…{{/money}}; messages use format().

const KOPECKS_PER_RUBLE = 100;
/** The largest amount the till accepts: 10 million rubles (far below 2^53 kopecks). */
const MAX_KOPECKS = 10_000_000 * KOPECKS_PER_RUBLE;

function isKopecks(value) {
  return Number.isSafeInteger(value) && value >= 0 && value <= MAX_KOPECKS;
}

function assertKopecks(value, what) {
  if (!isKopecks(value)) throw new TypeError(`${what} must be a whole number of kopecks from 0 to ${MAX_KOPECKS} (got ${value})`);
  return value;
}

/**
 * Reads an amount a person typed: digits with an optional "." or "," and at most two decimals;
 * spaces (also non-breaking) between digit groups are ignored. Returns kopecks, or null when the
 * text is not an amount (negative, three decimals, letters, empty, too large).
 */
function parse(text) {
  if (typeof text === 'number') text = String(text);
  if (typeof text !== 'string') return null;
  const compact = text.replace(/[\s\u00a0\u202f]/g, '');
  const match = /^(\d{1,9})(?:[.,](\d{0,2}))?$/.exec(compact);
  if (!match) return null;
  const rubles = Number(match[1]);
  const kopecks = Number((match[2] ?? '').padEnd(2, '0'));
  const value = rubles * KOPECKS_PER_RUBLE + kopecks;
  return value <= MAX_KOPECKS ? value : null;
}

/** 54700 → "547.00", 5 → "0.05" (the format the templates' money helper prints). */
function format(kopecks) {
  if (!Number.isSafeInteger(kopecks)) throw new TypeError(`not an amount in kopecks: ${kopecks}`);
  const sign = kopecks < 0 ? '-' : '';
  const abs = Math.abs(kopecks);
  const rubles = Math.floor(abs / KOPECKS_PER_RUBLE);
  const rest = String(abs % KOPECKS_PER_RUBLE).padStart(2, '0');
  return `${sign}${rubles}.${rest}`;
}

/** Exact sum of amounts in kopecks. */
function sum(amounts) {
  let total = 0;
  for (const amount of amounts) total += assertKopecks(amount, 'an amount');
  return total;
}

/** price × quantity for a receipt line (quantity: whole pieces). */
function lineSum(price, quantity) {
  assertKopecks(price, 'a price');
  if (!Number.isSafeInteger(quantity) || quantity < 0) throw new TypeError(`a quantity must be a whole number ≥ 0 (got ${quantity})`);
  return price * quantity;
}

/** The largest weight on one receipt line: 999.999 kg, in grams. */
const MAX_GRAMS = 999_999;

/** price per kg × grams / 1000, rounded half-up to a kopeck (the rule above). */
function weighedSum(pricePerKg, grams) {
  assertKopecks(pricePerKg, 'a price');
  if (!Number.isSafeInteger(grams) || grams < 0 || grams > MAX_GRAMS) throw new TypeError(`a weight must be whole grams from 0 to ${MAX_GRAMS} (got ${grams})`);
  return Math.floor((pricePerKg * grams + 500) / 1000);
}

/**
 * A weight a person typed in kilograms ("0.512", "0,5", "1", "1 200" is refused) → grams, or null when the
 * text is not a weight (more than three decimals, letters, negative, above the line's maximum). 0 is 0.
 */
function parseWeight(text) {
  if (typeof text === 'number') text = String(text);
  if (typeof text !== 'string') return null;
  const match = /^(\d{1,3})(?:[.,](\d{0,3}))?$/.exec(text.trim());
  if (!match) return null;
  return Number(match[1]) * 1000 + Number((match[2] ?? '').padEnd(3, '0'));
}

/** Grams → "0.512" (kilograms with three decimals, as scales print them). */
function formatWeight(grams) {
  if (!Number.isSafeInteger(grams) || grams < 0) throw new TypeError(`not a weight in grams: ${grams}`);
  return `${Math.floor(grams / 1000)}.${String(grams % 1000).padStart(3, '0')}`;
}

/**
 * `percent` % of `amount`, rounded half-up to a kopeck. Percent may have up to two decimals
 * (12.5 %); it is turned into hundredths of a percent first so the arithmetic stays in integers.
 */
function percentOf(amount, percent) {
  assertKopecks(amount, 'an amount');
  const hundredths = Math.round(percent * 100);
  if (!Number.isFinite(percent) || hundredths < 0 || hundredths > 10_000) {
    throw new RangeError(`a discount percent must be between 0 and 100 (got ${percent})`);
  }
  return Math.floor((amount * hundredths + 5_000) / 10_000);
}

/** The amount due after a percentage discount: { discount, due }. */
function applyDiscount(total, percent) {
  const discount = Math.min(percentOf(total, percent), total);
  return { discount, due: total - discount };
}

/**
 * The VAT contained in an amount that includes it (20 % → amount × 20 / 120), rounded half-up to a kopeck,
 * in integers (a whole-number rate): floor((2·a·p + (100 + p)) / (2·(100 + p))).
 */
function includedVat(amount, percent) {
  assertKopecks(amount, 'amount');
  const base = 100 + percent;
  return Math.floor((2 * amount * percent + base) / (2 * base));
}

module.exports = { KOPECKS_PER_RUBLE, MAX_KOPECKS, MAX_GRAMS, isKopecks, parse, format, sum, lineSum, weighedSum, parseWeight, formatWeight, percentOf, applyDiscount, includedVat };
