// Event frames travel as pure-ASCII JSON: the same value for any JSON parser, cheaper to decode.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { asciiJson, encodeFrame } from '../../../server/realtime/event-frame.js';

test('every character past ASCII is a \\u escape and the JSON parses back to the same value', () => {
  const value = { name: 'Хлеб «Бородинский»', emoji: 'чай 🍵', control: 'a\u0000b\n', del: '\u007f', lone: '\ud800x', html: '<p class="x">Итого: 1 234,50 ₽</p>' };
  const text = asciiJson(value);
  assert.match(text, /^[\x00-\x7f]*$/);
  assert.ok(text.includes('\\u0425\\u043b\\u0435\\u0431'));
  assert.ok(text.includes('\\ud83c\\udf75'), 'a character outside the BMP is written as its surrogate pair');
  assert.deepEqual(JSON.parse(text), value);
});

test('the frame bytes are that ASCII text, decodable as UTF-8', () => {
  const value = { event: 'receipt-changed', payload: { items: [{ name: 'Молоко 3,2 %' }] } };
  const bytes = encodeFrame(value);
  assert.ok(bytes.every((byte) => byte < 0x80));
  assert.equal(bytes.toString('utf8'), asciiJson(value));
  assert.deepEqual(JSON.parse(bytes.toString('utf8')), value);
});
