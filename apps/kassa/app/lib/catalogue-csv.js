'use strict';
// The catalogue as a CSV file a Russian-locale spreadsheet opens as it is: UTF-8 with a BOM, ";" between
// fields, Russian column titles, prices in rubles with a decimal comma (89,90). Parsing and writing are
// csv-parse / csv-stringify (quotes, separators and line breaks inside fields are theirs to get right).
//
// An import is checked whole before anything is written: every line gets every fault it has (the product
// form's checks of app/lib/product-form.js — name, barcodes with their check digits, price 0.01 …
// 10,000,000.00 ₽, VAT, unit, category — plus a barcode twice in the file or held by another product, named,
// a number that is no product, a line with the wrong number of fields). Applying writes every line or none.
//   № empty → a new product (the next free numbers); № of a product → that product is changed.
const { parse } = require('csv-parse/sync');
const { stringify } = require('csv-stringify/sync');
const money = require('./money.js');
const form = require('./product-form.js');
const { fill } = require('./text.js');
const t = require('../../manifest/strings.js');

const csv = t.catalogueCsv;
const errors = csv.errors;
const COLUMNS = ['id', 'name', 'barcodes', 'price', 'vat', 'unit', 'category', 'archived'];
const REQUIRED = ['name', 'barcodes', 'price', 'vat', 'unit'];
const MAX_ROWS = 20_000;
const VAT_LABELS = Object.fromEntries(t.products.vatRates.map((rate) => [rate.code, rate.label]));

const codesOf = (product) => (product.barcodes || [product.barcode]).filter(Boolean);
/** calls `visit` with each barcode of a product, allocating nothing (50,000 products are walked per check) */
function eachCode(product, visit) {
  const list = product.barcodes;
  if (list && list.length > 0) for (let k = 0; k < list.length; k++) visit(list[k]);
  else if (product.barcode) visit(product.barcode);
}
const rubles = (kopecks) => money.format(kopecks).replace('.', ',');
const normal = (text) => String(text ?? '').trim().toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ');

/** The whole catalogue (archived products too) as the CSV file's text. */
function exportCsv(products) {
  const rows = [COLUMNS.map((key) => csv.columns[key])];
  for (const p of products) {
    rows.push([
      String(p.id),
      p.name,
      codesOf(p).join(' '),
      rubles(p.price),
      VAT_LABELS[p.vat ?? 'none'] ?? String(p.vat),
      p.unit || 'шт',
      p.category || '',
      p.archived === true ? csv.yes : csv.no,
    ]);
  }
  return stringify(rows, { delimiter: ';', bom: true, record_delimiter: '\r\n' });
}

/** "20 %", "20%", "20", "без НДС" → a rate code, or null. */
function vatCode(text) {
  const compact = normal(text).replace(/\s/g, '').replace(/%$/, '');
  if (compact === 'безндс' || compact === 'none') return 'none';
  return form.VAT_CODES.includes(compact) ? compact : null;
}

function unitOf(text) {
  const unit = normal(text).replace(/\.$/, '');
  return form.UNITS.includes(unit) ? unit : null;
}

function archivedOf(text) {
  const value = normal(text);
  if (value === '' || value === normal(csv.no)) return false;
  if (value === normal(csv.yes)) return true;
  return null;
}

const PARSE_REASONS = { CSV_QUOTE_NOT_CLOSED: 'кавычка не закрыта', CSV_INVALID_CLOSING_QUOTE: 'после закрывающей кавычки лишние символы' };

/** The file's records with the line each starts on; throws { fatal } for a file that is not CSV. */
function recordsOf(text) {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0];
  const delimiter = firstLine.includes(';') || !firstLine.includes(',') ? ';' : ',';
  try {
    return parse(text, { delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, info: true });
  } catch (error) {
    const reason = `${t.catalogueCsv.line.toLowerCase()} ${error.lines ?? '?'}: ${PARSE_REASONS[error.code] ?? error.message}`;
    throw Object.assign(new Error(reason), { fatal: fill(errors.unreadable, { reason }) });
  }
}

/**
 * Checks a file against the catalogue (its products as stored). Returns
 *   { fatal } — the file as a whole cannot be read (empty, not CSV, no header, too long), or
 *   { rows: [{ line, id, product, archived, action: 'add'|'change'|'same' }], bad: [{ line, reasons }], counts }.
 */
function checkImport(text, products) {
  const source = String(text ?? '');
  if (source.replace(/^\uFEFF/, '').trim() === '') return { fatal: errors.empty };
  if (source.includes('\uFFFD')) return { fatal: fill(errors.unreadable, { reason: 'файл не в UTF-8 — сохраните его как «CSV UTF-8»' }) };
  let records;
  try {
    records = recordsOf(source);
  } catch (error) {
    if (error.fatal) return { fatal: error.fatal };
    throw error;
  }
  const [header, ...body] = records;
  const titles = header.record.map(normal);
  const at = Object.fromEntries(COLUMNS.map((key) => [key, titles.indexOf(normal(csv.columns[key]))]));
  const missing = REQUIRED.filter((key) => at[key] < 0).map((key) => `«${csv.columns[key]}»`);
  if (missing.length > 0) return { fatal: fill(errors.headers, { missing: missing.join(', ') }) };
  if (body.length > MAX_ROWS) return { fatal: errors.tooBig };

  const byId = new Map();
  const byCode = new Map();
  for (const p of products) {
    byId.set(p.id, p);
    eachCode(p, (code) => byCode.set(code, p));
  }
  const idLines = new Map();
  const codeLines = new Map();
  const rows = [];
  const bad = [];
  for (const { record, info } of body) {
    const line = info.lines;
    const cell = (key) => (at[key] >= 0 ? record[at[key]] ?? '' : '');
    if (record.length !== header.record.length) {
      bad.push({ line, reasons: [fill(errors.columns, { count: record.length, expected: header.record.length })] });
      continue;
    }
    const reasons = [];
    let id = null;
    const idText = cell('id').trim();
    if (idText !== '') {
      if (!/^\d{1,9}$/.test(idText)) reasons.push(fill(errors.id, { text: idText.slice(0, 20) }));
      else if (!byId.has(Number(idText))) reasons.push(fill(errors.unknownId, { id: idText }));
      else if (idLines.has(Number(idText))) reasons.push(fill(errors.idTwice, { id: idText, line: idLines.get(Number(idText)) }));
      else {
        id = Number(idText);
        idLines.set(id, line);
      }
    }
    const vat = vatCode(cell('vat'));
    const unit = unitOf(cell('unit'));
    const archived = archivedOf(cell('archived'));
    const checked = form.checkProduct({ name: cell('name'), barcodes: cell('barcodes'), price: cell('price'), vat: vat ?? '', unit: unit ?? '', category: cell('category') });
    for (const [field, message] of Object.entries(checked.fields)) {
      if (field === 'vat') reasons.push(fill(errors.vat, { text: cell('vat').trim().slice(0, 20) }));
      else if (field === 'unit') reasons.push(fill(errors.unit, { text: cell('unit').trim().slice(0, 20) }));
      else reasons.push(message);
    }
    if (archived === null) reasons.push(fill(errors.archived, { text: cell('archived').trim().slice(0, 20) }));
    if (!checked.fields.barcodes) {
      for (const code of form.readBarcodes(cell('barcodes'))) {
        if (codeLines.has(code)) reasons.push(fill(errors.barcodeInFile, { code, line: codeLines.get(code) }));
        else codeLines.set(code, line);
        const holder = byCode.get(code);
        // held by another product than the one this line changes (not judged when the line's № is itself wrong)
        if (holder && holder.id !== id && !(id === null && idText !== '')) {
          reasons.push(fill(t.products.errors.barcodeTaken, { code, name: holder.name, id: holder.id }));
        }
      }
    }
    if (reasons.length > 0) {
      bad.push({ line, reasons });
      continue;
    }
    const product = checked.product;
    let action = 'add';
    if (id !== null) {
      const old = byId.get(id);
      const same =
        old.name === product.name &&
        codesOf(old).join(' ') === product.barcodes.join(' ') &&
        old.price === product.price &&
        (old.vat ?? 'none') === product.vat &&
        (old.unit || 'шт') === product.unit &&
        (old.category || '') === product.category &&
        (old.archived === true) === archived;
      action = same ? 'same' : 'change';
    }
    rows.push({ line, id, product, archived, action });
  }
  const count = (action) => rows.filter((row) => row.action === action).length;
  return { rows, bad, counts: { rows: body.length, added: count('add'), changed: count('change'), same: count('same'), bad: bad.length } };
}

/**
 * Writes checked rows (checkImport without faults) into `positions` (the catalogue's items, changed in
 * place) and the price changes into `priceHistory`. New products get the next free numbers.
 * `stored` is the same list as stored, when `positions` is an action's copy-on-write draft of it.
 */
function applyImport(rows, positions, priceHistory, by, when, stored = positions) {
  // the numbers are found in the stored list (`stored`: the catalogue as read, never a draft), and only the
  // products that change are touched in `positions` (what the action writes)
  const indexOf = new Map();
  let nextId = 1;
  for (let index = 0; index < stored.length; index++) {
    const id = stored[index].id;
    indexOf.set(id, index);
    if (id >= nextId) nextId = id + 1;
  }
  let added = 0;
  let changed = 0;
  for (const { id, product, archived, action } of rows) {
    if (action === 'same') continue;
    const fields = { name: product.name, barcode: product.barcodes[0], barcodes: product.barcodes, price: product.price, vat: product.vat, unit: product.unit, category: product.category, archived };
    const old = id === null ? null : positions[indexOf.get(id)];
    const productId = old ? old.id : nextId++;
    const oldPrice = old ? old.price : null;
    if (old) {
      Object.assign(old, fields);
      changed += 1;
    } else {
      positions.push({ id: productId, ...fields });
      added += 1;
    }
    if (oldPrice !== product.price) {
      priceHistory.push({ at: when.at, atText: when.text, productId, name: product.name, oldPrice, newPrice: product.price, by });
    }
  }
  return { added, changed };
}

module.exports = { COLUMNS, MAX_ROWS, exportCsv, checkImport, applyImport, vatCode };
