// The journal index's per-field layout (store/journal-field-index.ts): codes in the narrowest typed array,
// a hash table of codes instead of a Map, the first and last record per value instead of record lists.
// Every answer is checked against the query rules applied to each record (journal-query.ts `meets`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JournalFieldIndex } from '../../../server/store/journal-field-index.js';
import { conditionsOf, meets, valueTexts } from '../../../server/store/journal-query.js';

/** The records an index selects for a where value of field "f": its stretch, checked record by record. */
function selected(index: JournalFieldIndex, where: unknown): number[] {
  const [condition] = conditionsOf({ f: where }, ['f'], 'j');
  const { hits, from, to } = index.match(condition);
  const out: number[] = [];
  for (let n = from; n <= to; n++) if (index.holds(n, hits)) out.push(n);
  return out;
}

/**
 * The same, by the rules alone, record by record. Values with one text are one value, compared in a range
 * as the first of them stored (a number 10 after a text "10" compares as text), as the index always did.
 */
function expected(values: unknown[], where: unknown): number[] {
  const [condition] = conditionsOf({ f: where }, ['f'], 'j');
  const first = new Map<string, unknown>();
  const asFirst = (one: unknown) => {
    const [text] = valueTexts(one);
    if (text === undefined) return one;
    if (!first.has(text)) first.set(text, one);
    return first.get(text);
  };
  const stored = values.map((value) => (Array.isArray(value) ? value.map(asFirst) : asFirst(value)));
  return stored.flatMap((value, n) => (meets(value, condition) ? [n] : []));
}

function indexOf(values: unknown[]): JournalFieldIndex {
  const index = new JournalFieldIndex();
  values.forEach((value, n) => index.add(n, value));
  return index;
}

test('a unique value that repeats later: found in both records, its stretch spans them', () => {
  const values = [1, 2, 3, 4, 2, 'x', 'y', 'x'];
  const index = indexOf(values);
  assert.deepEqual(selected(index, 2), [1, 4]);
  assert.deepEqual(selected(index, 'x'), [5, 7]);
  assert.deepEqual(selected(index, 4), [3]);
  assert.deepEqual(index.match(conditionsOf({ f: 2 }, ['f'], 'j')[0]), { hits: index.match(conditionsOf({ f: 2 }, ['f'], 'j')[0]).hits, from: 1, to: 4 });
  assert.equal(index.distinct, 6);
});

test('equality is by text: 17 and "17" are one value, "17.0" is another; absent values select nothing', () => {
  const values = [17, '17', '17.0', 17.5, true, 'true', null, undefined, { a: 1 }, 0, -0, '0'];
  const index = indexOf(values);
  for (const where of [17, '17', '17.0', 17.5, '17.5', true, 'true', 0, '0', '-0', 'missing', ['17', 'true'], [0, 17.5]]) {
    assert.deepEqual(selected(index, where), expected(values, where), `where ${JSON.stringify(where)}`);
  }
  const none = index.match(conditionsOf({ f: 'missing' }, ['f'], 'j')[0]);
  assert.ok(none.from > none.to, 'no stretch when nothing holds the value');
});

test('ranges compare numbers as numbers and text as text, with the value as first stored', () => {
  const values = [5, '10', 10, 'b', 'a', 100, '2026-12-01', '2026-12-02', 7.5, [3, 'c'], false];
  const index = indexOf(values);
  for (const where of [{ from: 5, to: 10 }, { from: '5' }, { to: 7.5 }, { from: 'a', to: 'b' }, { from: '2026-12-01', to: '2026-12-01' }, { from: 'x' }, { to: 'c' }, { from: 3, to: 3 }]) {
    assert.deepEqual(selected(index, where), expected(values, where), `where ${JSON.stringify(where)}`);
  }
  // the number 10 after the text "10": one value, compared as first stored (text, and "10" < "9")
  assert.deepEqual(selected(index, { from: 9, to: 11 }), []);
});

test('a record holding a list is found by each of its values, once, also in a range', () => {
  const values = [['card', 'cash'], 'cash', ['cash', 'cash'], [], ['bonus'], [null, 'card']];
  const index = indexOf(values);
  for (const where of ['card', 'cash', 'bonus', ['card', 'cash'], { from: 'c', to: 'cz' }]) {
    assert.deepEqual(selected(index, where), expected(values, where), `where ${JSON.stringify(where)}`);
  }
});

test('70,000 distinct values among repeats: the codes widen past 1 and 2 bytes, the hash table grows, answers stay the same', () => {
  const values: unknown[] = [];
  for (let n = 0; n < 140_000; n++) values.push(n % 2 === 0 ? n / 2 : `day-${(n >> 1) % 300}`);
  const index = indexOf(values);
  assert.equal(index.distinct, 70_000 + 300);
  for (const where of [0, 1, 255, 256, 65_533, 65_534, 65_535, 69_999, 70_000, 'day-1', 'day-299', '12345', ['day-7', 4]]) {
    assert.deepEqual(selected(index, where), expected(values, where), `where ${JSON.stringify(where)}`);
  }
  assert.deepEqual(selected(index, { from: 65_530, to: 65_540 }), expected(values, { from: 65_530, to: 65_540 }));
  assert.deepEqual(selected(index, { from: 'day-298' }), expected(values, { from: 'day-298' }));
});

test('mixed random records: every kind of condition matches the rules', () => {
  let seed = 7;
  const random = () => ((seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0) / 2 ** 32);
  const pick = (list = true): unknown => {
    const r = random();
    if (r < 0.3) return Math.floor(random() * 50);
    if (r < 0.5) return String(Math.floor(random() * 50));
    if (r < 0.6) return random() < 0.5;
    if (r < 0.7) return null;
    if (r < 0.8 && list) return [pick(false), pick(false)];
    return `v${Math.floor(random() * 2000)}`;
  };
  const values = Array.from({ length: 5000 }, pick);
  const index = indexOf(values);
  const wheres: unknown[] = [7, '7', true, 'false', 'v17', ['v1', 3, 'true'], { from: 10, to: 20 }, { from: '10', to: '20' }, { from: 'v1', to: 'v2' }, { to: 3 }, { from: 'v1999' }];
  for (const where of wheres) assert.deepEqual(selected(index, where), expected(values, where), `where ${JSON.stringify(where)}`);
});
