'use strict';
// What the scanner field holds (context.code, trimmed, not empty), before any lookup:
//  - "0,512*<code>": a weight typed by the cashier for a weighed product → context.typedGrams, and the code
//    after the "*" is what is looked up;
//  - a scale label (EAN-13 with a scale prefix, manifest/settings.js scaleLabels) → context.label, used when
//    no product has the code as its own barcode (app/lib/scale-label.js).
// A typed weight that is not one, or 0, is refused beside the scanner field (nothing is written).
const money = require('../lib/money.js');
const scale = require('../lib/scale-label.js');
const { refusal } = require('../lib/product-form.js');
const { fill } = require('../lib/text.js');
const settings = require('../../manifest/settings.js');
const t = require('../../manifest/strings.js');

const layout = scale.checkLayout(settings.scaleLabels);

module.exports = function readScanCode(context) {
  const vars = context.context;
  let code = String(vars.code ?? '');
  vars.typedGrams = null;
  const star = code.indexOf('*');
  if (star > 0) {
    const typed = code.slice(0, star).trim();
    const grams = money.parseWeight(typed);
    if (grams === null) throw refusal('code', fill(t.scale.badWeight, { text: typed.slice(0, 12) }));
    if (grams === 0) throw refusal('code', t.scale.zeroTyped);
    vars.typedGrams = grams;
    code = code.slice(star + 1).trim();
  }
  vars.code = code;
  vars.label = scale.parseLabel(code, layout);
};
