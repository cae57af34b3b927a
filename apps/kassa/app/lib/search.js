'use strict';
// Catalogue search, shared by the live filter and Enter in the search field: by name
// (case-insensitive, ё = е), barcode or product number.
const normalise = (text) => String(text).toLowerCase().replace(/ё/g, 'е').trim();

/** The products matching a query (all of them for an empty one). */
function matches(items, query) {
  const q = normalise(query);
  if (!q) return items;
  // archived products are not sold (the manager's catalogue still lists them)
  return items.filter((p) => !p.archived && (normalise(p.name).includes(q) || String(p.barcode).includes(q) || String(p.id) === q));
}

/** The one product a query names: its only match, or the one whose barcode or number it is exactly. */
function single(items, query) {
  const q = normalise(query);
  if (!q) return { product: null, count: 0 };
  const found = matches(items, q);
  if (found.length === 1) return { product: found[0], count: 1 };
  const exact = found.filter((p) => String(p.barcode) === q || String(p.id) === q);
  return { product: exact.length === 1 ? exact[0] : null, count: found.length };
}

module.exports = { normalise, matches, single };
