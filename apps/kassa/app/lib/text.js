'use strict';
// Fills the `{name}` placeholders of a text from manifest/strings.js.
function fill(text, values) {
  return String(text).replace(/\{(\w+)\}/g, (whole, name) => (Object.hasOwn(values, name) ? String(values[name]) : whole));
}

module.exports = { fill };
