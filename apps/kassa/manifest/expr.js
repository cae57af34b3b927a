// Builds step expressions from the texts in strings.js, so no step spells out a message itself.
const quote = (text) => JSON.stringify(String(text));

/**
 * A text with `{name}` placeholders as an expression:
 * message('Купон {code} применён', { code: 'context.code' }) → "Купон " + String(context.code) + " применён"
 */
function message(text, values = {}) {
  const parts = String(text).split(/\{(\w+)\}/);
  const terms = [];
  parts.forEach((part, index) => {
    if (index % 2 === 0) {
      if (part !== '') terms.push(quote(part));
    } else {
      terms.push(Object.hasOwn(values, part) ? `String(${values[part]})` : quote(`{${part}}`));
    }
  });
  return terms.length > 0 ? terms.join(' + ') : "''";
}

/** A `fail` step: refuses the action with the message (nothing is written). */
function refuse(text, values, options = {}) {
  return { fail: message(text, values), status: options.status ?? 422, ...(options.field ? { field: options.field } : {}) };
}

/** A `fail` step taken only when `condition` holds. */
function refuseIf(condition, text, values, options) {
  return { if: condition, then: [refuse(text, values, options)] };
}

module.exports = { quote, message, refuse, refuseIf };
