'use strict';
// Live search of the catalogue: by name (case-insensitive, ё = е), barcode or product number.
const normalise = (text) => String(text).toLowerCase().replace(/ё/g, 'е').trim();

module.exports = function filterPositions(context, body) {
  const query = String(body.query ?? '').slice(0, 100);
  context.data.viewState.query = query;
  const q = normalise(query);
  const all = context.data.positions.items;
  context.data.viewState.filtered = q
    ? all.filter((p) => normalise(p.name).includes(q) || String(p.barcode).includes(q) || String(p.id) === q)
    : all;
};
