'use strict';
// Stock on hand per product (the `stock` connector: { id, onHand } rows, keyed by id). Sales take away,
// returns and goods receipts (приход) add; selling below zero is allowed (shops sell before the paperwork)
// and flagged. Quantities are pieces or kilograms, kept to 3 decimals (grams) so sums stay exact.
//
// The rows a change touches are looked up by the route's steps through the catalogue index
// (keyed(data.stock.items, 'id')), never by walking 50,000 rows here.
const { fill } = require('./text.js');
const { refusal } = require('./product-form.js');
const t = require('../../manifest/strings.js');
const settings = require('../../manifest/settings.js');

const errors = t.stock.errors;
const MAX_QUANTITY = 100000;
const MAX_LINES = 500;

/** A quantity to 3 decimals (0.1 + 0.2 → 0.3, never 0.30000000000000004). */
function round(quantity) {
  return Math.round(quantity * 1000) / 1000;
}

/** What a row says is on hand; a product without a row has none. */
function onHandOf(row) {
  return row && typeof row.onHand === 'number' ? row.onHand : 0;
}

/**
 * What `quantity` of a receipt or sale line takes from (or gives back to) the stock: pieces, or for a weighed
 * line (one line per weighing, quantity 1, its weight in grams) kilograms: 0.512 for a 512 g label.
 */
function unitsOf(line, quantity = line.quantity) {
  return typeof line.grams === 'number' ? round((quantity * line.grams) / 1000) : quantity;
}

/** Below zero after selling `quantity` more of what `onHand` says (the line is flagged). */
function isShort(onHand, quantity) {
  return round(onHand - quantity) < 0;
}

/** At or below the low-stock threshold (settings.stock.lowThreshold), negatives included. */
function isLow(onHand, threshold = settings.stock.lowThreshold) {
  return onHand <= threshold;
}

/**
 * Applies changes [{ id, delta }] to the stock rows. `found` holds the rows the route looked up for the
 * same products (any order, missing ones absent or null); a product without a row gets one, once, even
 * when it is on several changes. Returns the new quantity on hand by product id.
 */
function applyChanges(items, found, changes) {
  const rows = new Map();
  for (const row of found || []) if (row) rows.set(row.id, row);
  const totals = new Map();
  for (const { id, delta } of changes) totals.set(id, round((totals.get(id) ?? 0) + delta));
  const after = new Map();
  for (const [id, delta] of totals) {
    const row = rows.get(id);
    if (row) {
      row.onHand = round(onHandOf(row) + delta);
      after.set(id, row.onHand);
    } else {
      items.push({ id, onHand: delta });
      after.set(id, delta);
    }
  }
  return after;
}

/** A typed quantity ("12", "0,5", "1.250") → a number, or null when it is not a positive amount in range. */
function readQuantity(text) {
  const typed = String(text ?? '').trim().replace(',', '.');
  if (!/^\d{1,6}(\.\d{1,3})?$/.test(typed)) return null;
  const quantity = round(Number(typed));
  return quantity > 0 && quantity <= MAX_QUANTITY ? quantity : null;
}

/**
 * The goods receipt form → { supplier, document, lines: [{ row, code, quantity }] }, or a refusal naming
 * its field. Lines are "code quantity", one a line; which product a code names is for the route to find.
 */
function readGoodsReceipt(body) {
  const form = body && typeof body === 'object' ? body : {};
  const supplier = String(form.supplier ?? '').trim().replace(/\s+/g, ' ');
  if (supplier === '' || supplier.length > 120) throw refusal('supplier', errors.supplier);
  const document = String(form.document ?? '').trim().replace(/\s+/g, ' ');
  if (document === '' || document.length > 40) throw refusal('document', errors.document);
  const rows = String(form.lines ?? '').split(/\r?\n/).map((line) => line.trim());
  const lines = [];
  rows.forEach((text, index) => {
    if (text === '') return;
    const row = index + 1;
    const parts = text.split(/[\s;\t]+/);
    if (parts.length !== 2) throw refusal('lines', fill(errors.lineFormat, { row, text: text.slice(0, 40) }));
    const quantity = readQuantity(parts[1]);
    if (quantity === null) throw refusal('lines', fill(errors.quantity, { row, text: parts[1].slice(0, 20) }));
    lines.push({ row, code: parts[0].slice(0, 40), quantity });
  });
  if (lines.length === 0) throw refusal('lines', errors.linesEmpty);
  if (lines.length > MAX_LINES) throw refusal('lines', errors.linesMany);
  return { supplier, document, lines };
}

/**
 * The receipt's lines with their products (`products[i]` is the product of `lines[i]`, looked up by the
 * route), each checked: an unknown code, or a fraction of a piece, is refused naming its row.
 */
function matchProducts(lines, products) {
  return lines.map((line, index) => {
    const product = products[index];
    if (!product) throw refusal('lines', fill(errors.unknown, { row: line.row, code: line.code }));
    if ((product.unit || 'шт') === 'шт' && !Number.isInteger(line.quantity)) {
      throw refusal('lines', fill(errors.whole, { row: line.row, name: product.name }));
    }
    return { id: product.id, name: product.name, quantity: line.quantity };
  });
}

module.exports = { round, unitsOf, onHandOf, isShort, isLow, applyChanges, readQuantity, readGoodsReceipt, matchProducts, MAX_QUANTITY };
