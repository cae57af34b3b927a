'use strict';
// Returns (возвраты): what can still be returned of a sale, and what a return gives back.
//
// - What is returnable of a line is what was sold minus what earlier returns of the same sale took back
//   (the `returns` journal: each record names its sale and its lines).
// - The money: a sale's discount is spread over its lines in proportion to their sums, so the lines'
//   paid shares add up to exactly what the customer paid (sale.finalTotal). Returning k of a line's n
//   pieces gives back round(paid × (r + k) / n) − round(paid × r / n), where r were returned before:
//   returning a line piece by piece gives back exactly what a whole return would.
const { fill } = require('./text.js');
const { refusal } = require('./product-form.js');
const stock = require('./stock.js');
const t = require('../../manifest/strings.js');

const errors = t.returns.errors;
const METHODS = ['cash', 'card'];
const KG = 'кг';
const PIECE = 'шт';

/**
 * A sale line's unit: recorded on the line (sales since units were recorded; weighed lines always had it and
 * their grams), else the product's unit today (`units`: Map product id → unit, looked up by the route), else шт.
 */
function unitOf(line, units) {
  if (line.unit === KG || line.unit === PIECE) return line.unit;
  if (typeof line.grams === 'number') return KG;
  return units?.get(line.id) === KG ? KG : PIECE;
}

/** The kopecks each line of the sale was paid with after the discount; they sum to sale.finalTotal. */
function paidShares(sale) {
  const sums = sale.lines.map((line) => line.sum);
  const total = sums.reduce((a, b) => a + b, 0);
  if (total <= 0) return sums.map(() => 0);
  const paid = sale.finalTotal;
  let before = 0;
  let cumulative = 0;
  return sums.map((sum) => {
    cumulative += sum;
    const upTo = Math.round((paid * cumulative) / total);
    const share = upTo - before;
    before = upTo;
    return share;
  });
}

/** Quantities already returned of each line of the sale: Map line id → quantity. */
function returnedQuantities(returns, saleId) {
  const returned = new Map();
  for (const record of returns) {
    if (record.saleId !== saleId) continue;
    for (const line of record.lines) returned.set(line.id, stock.round((returned.get(line.id) ?? 0) + line.quantity));
  }
  return returned;
}

/** The sale's lines with sold, returned, returnable, paid (kopecks) and unit for each (`units`: see unitOf). */
function returnableLines(sale, returns, units) {
  const returned = returnedQuantities(returns, sale.id);
  const shares = paidShares(sale);
  return sale.lines.map((line, index) => {
    const already = returned.get(line.id) ?? 0;
    return {
      id: line.id,
      name: line.name,
      price: line.price,
      unit: unitOf(line, units),
      // a weighed line: its weight, so the stock gets back kilograms (stock.unitsOf)
      ...(typeof line.grams === 'number' ? { grams: line.grams } : {}),
      sold: line.quantity,
      returned: already,
      returnable: Math.max(0, stock.round(line.quantity - already)),
      paid: shares[index],
    };
  });
}

/** The money given back for `quantity` more of a line (from returnableLines). */
function refundFor(line, quantity) {
  const share = (count) => Math.round((line.paid * count) / line.sold);
  return share(stock.round(line.returned + quantity)) - share(line.returned);
}

/** A typed return quantity: '' or 0 is none; otherwise a positive amount (null when unreadable). */
function readReturnQuantity(text) {
  const typed = String(text ?? '').trim();
  if (typed === '' || /^0+([.,]0*)?$/.test(typed)) return 0;
  return stock.readQuantity(typed);
}

/**
 * The return form for a sale → { lines: [{ id, name, price, quantity, sum }], amount, method }, or a
 * refusal beside the field: q_<line id> for a quantity (unreadable, a fraction of a piece line, or above what is returnable),
 * method for the refund method (default: how the sale was paid). `all` returns everything returnable.
 */
function readReturn(body, sale, returns, units) {
  const form = body && typeof body === 'object' ? body : {};
  const lines = returnableLines(sale, returns, units);
  const wantsAll = form.all === '1' || form.all === true || form.all === 'on';
  const chosen = [];
  for (const line of lines) {
    const field = `q_${line.id}`;
    let quantity;
    if (wantsAll) quantity = line.returnable;
    else {
      quantity = readReturnQuantity(form[field]);
      if (quantity === null) throw refusal(field, fill(errors.quantity, { text: String(form[field]).slice(0, 20) }));
      // pieces come back whole; a weighed line (one weighing, quantity 1) may come back in part
      if (line.unit !== KG && !Number.isInteger(quantity)) throw refusal(field, fill(errors.wholePieces, { text: String(form[field]).slice(0, 20) }));
    }
    if (quantity > line.returnable) {
      throw refusal(field, fill(errors.tooMany, { returnable: line.returnable, sold: line.sold, returned: line.returned }));
    }
    if (quantity > 0) chosen.push({ id: line.id, name: line.name, price: line.price, ...(typeof line.grams === 'number' ? { grams: line.grams } : {}), quantity, sum: refundFor(line, quantity) });
  }
  if (chosen.length === 0) {
    const first = lines[0] ? `q_${lines[0].id}` : 'sale';
    throw refusal(first, lines.every((l) => l.returnable === 0) ? t.returns.nothingLeft : errors.nothing);
  }
  const method = form.method === undefined || form.method === '' ? sale.payment.method : String(form.method);
  if (!METHODS.includes(method)) throw refusal('method', errors.method);
  return { lines: chosen, amount: chosen.reduce((sum, line) => sum + line.sum, 0), method };
}

module.exports = { unitOf, paidShares, returnedQuantities, returnableLines, refundFor, readReturnQuantity, readReturn, METHODS };
