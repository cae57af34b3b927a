'use strict';
// The catalogue's product form, read and checked: what a manager typed becomes a product's fields, or a
// refusal naming the field (the engine answers 422 with { fields: { <field>: message } }, shown beside it).
// Prices are kopecks (money.js); barcodes are checked by barcode.js. Whether a barcode belongs to another
// product is not known here (the route's steps look it up in the catalogue's index).
const money = require('./money.js');
const barcode = require('./barcode.js');
const { fill } = require('./text.js');
const t = require('../../manifest/strings.js');

const errors = t.products.errors;
const VAT_CODES = t.products.vatRates.map((rate) => rate.code);
const UNITS = t.products.units;
const MAX_BARCODES = 10;

/** A refusal the engine answers as 422 with the message beside `field`. */
function refusal(field, message) {
  return Object.assign(new Error(message), { status: 422, fields: { [field]: message } });
}

/**
 * A price typed in rubles ("89.90", "1 000,5") → kopecks; throws a refusal for anything that is not an
 * amount, ≤ 0, or above 10,000,000.00 ₽.
 */
function readPrice(text) {
  const typed = String(text ?? '').trim();
  const compact = typed.replace(/[\s\u00a0\u202f]/g, '');
  if (/^-/.test(compact) && /\d/.test(compact)) throw refusal('price', errors.pricePositive);
  const kopecks = money.parse(typed);
  if (kopecks === null) {
    if (/^\d+(?:[.,]\d{0,2})?$/.test(compact)) throw refusal('price', errors.priceTooBig);
    throw refusal('price', fill(errors.priceFormat, { text: typed.slice(0, 20) }));
  }
  if (kopecks <= 0) throw refusal('price', errors.pricePositive);
  return kopecks;
}

/** The codes typed in the barcodes field, each checked, no code twice. */
function readBarcodes(text) {
  const codes = Array.isArray(text) ? text.map(String) : barcode.splitCodes(text);
  if (codes.length === 0) throw refusal('barcodes', errors.barcodesEmpty);
  if (codes.length > MAX_BARCODES) throw refusal('barcodes', errors.barcodesMany);
  const seen = new Set();
  for (const typed of codes) {
    const result = barcode.classify(typed);
    const code = result.code.slice(0, 40);
    if (!result.ok) {
      const message = {
        checkDigit: errors.barcodeCheckDigit,
        shortNumber: errors.barcodeShort,
        characters: errors.barcodeCharacters,
        length: errors.barcodeLength,
        empty: errors.barcodesEmpty,
      }[result.reason];
      throw refusal('barcodes', fill(message, { code, kind: result.kind ?? '', expected: result.expected ?? '' }));
    }
    if (seen.has(result.code)) throw refusal('barcodes', fill(errors.barcodeTwice, { code }));
    seen.add(result.code);
  }
  return [...seen];
}

/** Each field's reader: the value, or throws a refusal naming the field. */
const READERS = {
  name(text) {
    const name = String(text ?? '').trim().replace(/\s+/g, ' ');
    if (name === '' || name.length > 128) throw refusal('name', errors.name);
    return name;
  },
  barcodes: readBarcodes,
  price: readPrice,
  vat(text) {
    const vat = String(text ?? '');
    if (!VAT_CODES.includes(vat)) throw refusal('vat', errors.vat);
    return vat;
  },
  unit(text) {
    const unit = String(text ?? '');
    if (!UNITS.includes(unit)) throw refusal('unit', errors.unit);
    return unit;
  },
  category(text) {
    const category = String(text ?? '').trim().replace(/\s+/g, ' ');
    if (category.length > 64) throw refusal('category', errors.category);
    return category;
  },
};

/**
 * Every field of a form checked (a CSV line lists all its faults at once): { product, fields } where
 * `fields` maps each bad field to its message and `product` is set only when there are none.
 */
function checkProduct(body) {
  const form = body && typeof body === 'object' ? body : {};
  const product = {};
  const fields = {};
  for (const [field, read] of Object.entries(READERS)) {
    try {
      product[field] = read(form[field]);
    } catch (error) {
      if (!error.fields) throw error;
      fields[field] = error.fields[field];
    }
  }
  return Object.keys(fields).length === 0 ? { product, fields } : { product: null, fields };
}

/** The whole form → { name, barcodes, price, vat, unit, category }, or a refusal of its first bad field. */
function readProduct(body) {
  const { product, fields } = checkProduct(body);
  if (product) return product;
  const [field, message] = Object.entries(fields)[0];
  throw refusal(field, message);
}

module.exports = { readPrice, readBarcodes, readProduct, checkProduct, refusal, VAT_CODES, UNITS };
