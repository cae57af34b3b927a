'use strict';
// Labels printed by a shop's scales: EAN-13 codes of the "restricted circulation" range (prefix 20–29)
// that carry a product code and the weight in grams instead of a manufacturer's number:
//
//     2 2 | 0 0 0 1 7 | 0 0 5 1 2 | 4      prefix "22", product code 17, weight 512 g, check digit 4
//
// The layout is the shop's scale setting (manifest/settings.js `scaleLabels`): which prefixes are labels,
// how many digits the product code has and how many the weight; prefix + code + weight + the check digit
// are 13 digits. The product code is the product's number in the catalogue (№ on the catalogue screen),
// which is what the scales are programmed with (PLU).
const barcode = require('./barcode.js');

/**
 * Checks a layout and returns it frozen; throws with what is wrong (a mistake in settings stops the
 * till at start rather than misreading every label).
 */
function checkLayout(layout) {
  const { prefixes, codeDigits, weightDigits } = layout ?? {};
  if (!Array.isArray(prefixes) || prefixes.length === 0) throw new TypeError('scaleLabels.prefixes: a list of prefixes such as ["20", "21"]');
  for (const prefix of prefixes) {
    if (typeof prefix !== 'string' || !/^2\d?$/.test(prefix)) throw new TypeError(`scaleLabels.prefixes: "${prefix}" is not a restricted-circulation prefix (2 or 20–29)`);
    const digits = prefix.length + codeDigits + weightDigits + 1;
    if (!Number.isInteger(codeDigits) || !Number.isInteger(weightDigits) || codeDigits < 1 || weightDigits < 3 || digits !== 13) {
      throw new TypeError(`scaleLabels: prefix "${prefix}" + ${codeDigits} code digits + ${weightDigits} weight digits + 1 check digit must make 13 digits`);
    }
  }
  return Object.freeze({ prefixes: Object.freeze([...prefixes]), codeDigits, weightDigits });
}

/**
 * What a scanned code says as a scale label:
 *   null                                         — not a scale label (read it as an ordinary barcode);
 *   { ok: false, code, reason: 'checkDigit', expected }
 *   { ok: false, code, reason: 'zeroWeight', productCode }
 *   { ok: true, code, productCode, grams }
 */
function parseLabel(text, layout) {
  const code = String(text ?? '').trim();
  if (!/^\d{13}$/.test(code)) return null;
  const prefix = layout.prefixes.find((p) => code.startsWith(p));
  if (prefix === undefined) return null;
  const expected = barcode.checkDigit(code.slice(0, 12));
  if (expected !== Number(code[12])) return { ok: false, code, reason: 'checkDigit', expected };
  const codeStart = prefix.length;
  const weightStart = codeStart + layout.codeDigits;
  const productCode = Number(code.slice(codeStart, weightStart));
  const grams = Number(code.slice(weightStart, weightStart + layout.weightDigits));
  if (grams === 0) return { ok: false, code, reason: 'zeroWeight', productCode };
  return { ok: true, code, productCode, grams };
}

/** The label a scale would print (tests, the demo): the check digit computed. */
function makeLabel(prefix, productCode, grams, layout) {
  const body = prefix + String(productCode).padStart(layout.codeDigits, '0') + String(grams).padStart(layout.weightDigits, '0');
  if (body.length !== 12) throw new RangeError(`the product code ${productCode} or weight ${grams} does not fit the layout`);
  return body + barcode.checkDigit(body);
}

module.exports = { checkLayout, parseLabel, makeLabel };
