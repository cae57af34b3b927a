'use strict';
// Barcodes a product may carry. Retail codes are checked by their check digit (GS1: the digits from the
// right are weighted 3, 1, 3, 1, …; the check digit brings the weighted sum to a multiple of 10):
//   EAN-13 (13 digits), EAN-8 (8 digits), UPC-A (12 digits).
// Anything else is a shop's internal code: 3–32 letters, digits or "-". Codes of 1–6 digits are refused
// (the till reads them as product numbers), and so are 8, 12 or 13 digits with a wrong check digit
// (a mistyped retail code must not become an "internal" one).

const RETAIL = { 8: 'EAN-8', 12: 'UPC-A', 13: 'EAN-13' };

/** The check digit for the digits before it (a string of digits). */
function checkDigit(body) {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = body.charCodeAt(body.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * What a typed or scanned code is: { ok: true, code, kind } with kind 'EAN-13' | 'EAN-8' | 'UPC-A' |
 * 'internal', or { ok: false, code, reason } with reason 'empty' | 'checkDigit' | 'shortNumber' |
 * 'characters' | 'length', and for a wrong check digit the one expected.
 */
function classify(text) {
  const code = String(text ?? '').trim();
  if (code === '') return { ok: false, code, reason: 'empty' };
  if (/^\d+$/.test(code)) {
    const kind = RETAIL[code.length];
    if (kind) {
      const expected = checkDigit(code.slice(0, -1));
      if (expected !== Number(code[code.length - 1])) return { ok: false, code, reason: 'checkDigit', kind, expected };
      return { ok: true, code, kind };
    }
    if (code.length <= 6) return { ok: false, code, reason: 'shortNumber' };
  }
  if (!/^[A-Za-z0-9-]+$/.test(code)) return { ok: false, code, reason: 'characters' };
  if (code.length < 3 || code.length > 32) return { ok: false, code, reason: 'length' };
  return { ok: true, code, kind: 'internal' };
}

/** Several codes typed in one field: separated by commas, semicolons, spaces or new lines. */
function splitCodes(text) {
  return String(text ?? '')
    .split(/[\s,;]+/)
    .map((part) => part.trim())
    .filter(Boolean);
}

module.exports = { checkDigit, classify, splitCodes };
