'use strict';
// The weight typed into a weighed line's field (F4, in kilograms: "0,512") → context.grams; anything else,
// or 0, is refused beside the field (removing the line is Del or ×, never a weight of 0).
const money = require('../lib/money.js');
const { refusal } = require('../lib/product-form.js');
const { fill } = require('../lib/text.js');
const t = require('../../manifest/strings.js');

module.exports = function readTypedWeight(context, body) {
  const typed = String(body?.qty ?? '').trim();
  const grams = money.parseWeight(typed);
  if (grams === null) throw refusal('qty', fill(t.scale.badWeight, { text: typed.slice(0, 12) }));
  if (grams === 0) throw refusal('qty', t.scale.zeroTyped);
  context.context.grams = grams;
};
