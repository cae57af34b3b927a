import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Mustache from 'mustache';
import { formatMinorUnits, money } from '../../../server/render/formatters.js';

describe('money formatter', () => {
  it('formats integer kopecks with two decimals', () => {
    assert.equal(formatMinorUnits('54700'), '547.00');
    assert.equal(formatMinorUnits('5'), '0.05');
    assert.equal(formatMinorUnits('-8205'), '-82.05');
    assert.equal(formatMinorUnits(' 30 '), '0.30');
    assert.equal(formatMinorUnits('123456789012'), '1234567890.12');
  });
  it('leaves anything else alone', () => {
    assert.equal(formatMinorUnits('12.5'), '12.5');
    assert.equal(formatMinorUnits(''), '');
    assert.equal(formatMinorUnits('abc'), 'abc');
  });
  it('works as a section inside loops', () => {
    const out = Mustache.render('{{#items}}[{{#money}}{{price}}{{/money}}]{{/items}} {{#money}}{{total}}{{/money}}', {
      items: [{ price: 4550 }, { price: 10 }],
      total: 4560,
      money,
    });
    assert.equal(out, '[45.50][0.10] 45.60');
  });
});
