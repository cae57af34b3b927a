// page()'s kept search texts in one UTF-8 buffer (actions/expression/search-texts.ts): the positions found
// are exactly those whose text includes() the needle, also after a new version of the list is derived.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { byteSearchable, SearchTexts } from '../../../server/actions/expression/search-texts.js';

function found(texts: SearchTexts, needle: string): number[] {
  const out: number[] = [];
  texts.eachHolding(needle, (position) => out.push(position));
  return out;
}

const holding = (list: string[], needle: string) => list.flatMap((text, position) => (text.includes(needle) ? [position] : []));

const words = ['x\uD800y', 'молоко сорт 4\u00014600000000042', 'груши\u00014600000000059', '', 'ёж 🍏 яблоко', 'кофе\u0001кофе', 'abc', 'ab', 'b'];

test('every needle finds the texts that include it: Cyrillic, emoji, the first and the last text, empty texts, several hits in one text', () => {
  const texts = SearchTexts.build(words.length, (position) => words[position]);
  assert.equal(texts.count, words.length);
  for (const needle of ['молоко', 'м', 'сорт 4', '460', '42', '0059', 'груши\u0001', '🍏', 'ёж 🍏', 'кофе', 'ab', 'b', 'bc', 'c', 'нет', 'о', 'xy', 'x', 'y']) {
    assert.ok(byteSearchable(needle));
    assert.deepEqual(found(texts, needle), holding(words, needle), `needle ${JSON.stringify(needle)}`);
  }
  // a needle never spans two texts: "abc" then "ab" is not "cab"
  assert.deepEqual(found(texts, 'cab'), []);
});

test('needles the bytes cannot answer for: NUL, U+FFFD and lone surrogates', () => {
  for (const needle of ['a\0b', '\uFFFD', 'x\uD83Dy', '\uDC00']) assert.equal(byteSearchable(needle), false, JSON.stringify(needle));
  assert.equal(byteSearchable('🍏'), true, 'a surrogate pair is a character');
});

test('a derived version: changed items made again, the others copied; grown and shrunk lists', () => {
  const first = Array.from({ length: 1000 }, (_, n) => `товар ${n}\u0001${46_000 + n}`);
  const texts = SearchTexts.build(first.length, (position) => first[position]);
  const after = [...first];
  after[0] = 'новинка 0';
  after[500] = 'товар 500 новинка';
  after[999] = 'новинка 999';
  after.push('новинка 1000', 'товар 1001');
  const derived = texts.derive(after.length, [999, 0, 500, 1000, 1001, 0], (position) => after[position]);
  assert.ok(derived);
  assert.equal(derived.count, after.length);
  for (const needle of ['новинка', 'товар 5', '46999', '46000', '4650', 'товар 1001', '1']) {
    assert.deepEqual(found(derived, needle), holding(after, needle), `needle ${needle}`);
  }
  // the old version is unchanged
  assert.deepEqual(found(texts, 'новинка'), []);
  // an item past the old end that is not among the changed: its text is not known
  assert.equal(texts.derive(1002, [1000], (position) => after[position]), null);
  // shrunk: the list's first 10 items, one of them changed
  const shorter = first.slice(0, 10);
  shorter[3] = 'другой';
  const shrunk = texts.derive(10, [3, 700], (position) => shorter[position]);
  assert.ok(shrunk);
  for (const needle of ['товар', 'другой', '46003', '46009', '4601']) assert.deepEqual(found(shrunk, needle), holding(shorter, needle), `needle ${needle}`);
  // nothing changed
  const same = texts.derive(first.length, [], (position) => first[position]);
  assert.deepEqual(found(same!, '4612'), holding(first, '4612'));
});

test('a text holding NUL itself: the texts are encoded one by one and still found apart', () => {
  const list = ['a\0b', 'ab', 'b\0a', 'сыр'];
  const texts = SearchTexts.build(list.length, (position) => list[position]);
  for (const needle of ['a', 'b', 'ab', 'сыр', 'ыр']) assert.deepEqual(found(texts, needle), holding(list, needle), `needle ${needle}`);
  const empty = SearchTexts.build(0, () => '');
  assert.deepEqual(found(empty, 'a'), []);
});
