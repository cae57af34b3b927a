// Equal strings of a state read from its file shared (store/shared-strings.ts): the state is the same data
// (strings are values: sharing one is not observable from JavaScript, only in the heap), whatever it holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shareStrings } from '../../../server/store/shared-strings.js';

const product = (n: number) => ({
  id: n,
  name: `Товар номер ${n}`,
  barcode: `46${String(n).padStart(11, '0')}`,
  barcodes: [`46${String(n).padStart(11, '0')}`, `20${String(n).padStart(11, '0')}`, n],
  category: `Категория ${n % 40}`,
  unit: 'шт',
  note: n % 7 === 0 ? null : `длинная заметка ${'x'.repeat(70)} ${n % 3}`,
});

test('a catalogue of 5,000 records read from text: the same data after sharing, in the same field order', () => {
  const text = JSON.stringify({ items: Array.from({ length: 5000 }, (_, n) => product(n)), meta: { version: 3 } });
  const state = JSON.parse(text) as { items: Array<Record<string, unknown>> };
  assert.equal(shareStrings(state), state);
  assert.equal(JSON.stringify(state), text);
  assert.deepEqual(Object.keys(state.items[17]), Object.keys(product(17)));
});

test('odd records: other kinds of items, an own "__proto__" field, frozen and short lists, nested lists', () => {
  const items: unknown[] = Array.from({ length: 1200 }, (_, n) => ({ category: `Категория длинная ${n % 3}`, tags: [`Категория длинная ${n % 3}`, ['inner']] }));
  items.push('a string item', 42, null, [1, 2], { frozen: Object.freeze(['Категория длинная 1']) });
  const text = JSON.stringify({ list: items, small: [{ category: 'Категория длинная 1' }] }).replace('"category"', '"__proto__"');
  const state = JSON.parse(text) as { list: Array<Record<string, unknown>> };
  assert.ok(Object.hasOwn(state.list[0], '__proto__'), 'JSON.parse makes "__proto__" an own field');
  shareStrings(state);
  assert.equal(JSON.stringify(state), text);
  assert.equal(Object.getPrototypeOf(state.list[0]), Object.prototype);
  // a frozen list (a state already in the store) is left as it is
  const frozen = Object.freeze(Array.from({ length: 1500 }, () => Object.freeze({ a: 'x'.repeat(20) })));
  assert.doesNotThrow(() => shareStrings({ items: frozen }));
  // and so is a frozen record in a list that is not
  const mixed = [...frozen, { a: 'x'.repeat(20) }];
  assert.doesNotThrow(() => shareStrings({ items: mixed }));
});
