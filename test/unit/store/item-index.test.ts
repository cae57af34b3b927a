// The index behind `items.find(i => i.f == v)` and keyed(): on any list and value it finds exactly the item
// Array.prototype.find finds (=== and the loose == with its conversions), or declines and lets the walk run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fieldIndex, listDerived, NOT_INDEXED, positionOf } from '../../../server/store/item-index.js';
import { GLOBAL_VALUES, type PageOf } from '../../../server/actions/expression/globals.js';
import { compileExpression } from '../../../server/actions/expression.js';
import { scopeFromObject } from '../../../server/actions/expression/scope.js';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

test('positionOf agrees with find for === and == over lists of mixed field values', () => {
  let seed = 99;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const pool: unknown[] = [0, 1, 2, 3, 10, -1, 1.5, '0', '1', '01', '3', ' 3 ', '', 'abc', 'ABC', true, false, null, undefined, [1], { a: 1 }];
  const pick = () => pool[Math.floor(random() * pool.length)];
  let indexed = 0;
  for (let round = 0; round < 400; round++) {
    const kinds = random();
    const length = 1 + Math.floor(random() * 30);
    const list = deepFreeze(
      Array.from({ length }, () => {
        if (kinds < 0.3) return { f: Math.floor(random() * 8) };
        if (kinds < 0.6) return { f: String(Math.floor(random() * 8)) };
        return random() < 0.9 ? { f: pick() } : pick();
      }),
    );
    for (let k = 0; k < 10; k++) {
      const value = random() < 0.5 ? pick() : random() < 0.5 ? Math.floor(random() * 8) : String(Math.floor(random() * 8));
      for (const strict of [true, false]) {
        // eslint-disable-next-line eqeqeq
        const walked = list.findIndex((item) => item !== null && typeof item === 'object' && (strict ? (item as { f: unknown }).f === value : (item as { f: unknown }).f == value));
        const position = positionOf(list, 'f', value, strict);
        if (position === NOT_INDEXED) continue;
        indexed++;
        assert.equal(position, walked, `${strict ? '===' : '=='} ${JSON.stringify(value)} in ${JSON.stringify(list)}`);
      }
    }
  }
  assert.ok(indexed > 2000, `the index answered only ${indexed} lookups`);
});

test('find by one field on a stored list reads one item once the list is indexed, not the list', () => {
  const items = deepFreeze(Array.from({ length: 10_000 }, (_, n) => ({ id: n, code: `c${n}` })));
  let reads = 0;
  // a frozen proxy reports the list's own items, counting each read of an index
  const counted = new Proxy(items, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver);
    },
  });
  const find = compileExpression('data.items.find(p => p.code === body.code)');
  find.evaluate(scopeFromObject({ data: { items: counted }, body: { code: 'c1' } })); // the first lookup builds the index
  reads = 0;
  const found = find.evaluate(scopeFromObject({ data: { items: counted }, body: { code: 'c9876' } }));
  assert.deepEqual(found, { id: 9876, code: 'c9876' });
  assert.ok(reads <= 1, `find read ${reads} items`);
  const walk = compileExpression('data.items.find(p => p.code === body.code || false)');
  reads = 0;
  walk.evaluate(scopeFromObject({ data: { items: counted }, body: { code: 'c9876' } }));
  assert.ok(reads > 9000, 'a predicate the index cannot answer must walk the list');
});

test('a new version of a stored list keeps the index and search texts of the old one: only its changed items are read', () => {
  const before = deepFreeze(Array.from({ length: 10_000 }, (_, n) => ({ id: n, code: `c${n}`, name: `item ${n}`, stock: 5 })));
  const keyed = GLOBAL_VALUES.get('keyed') as (list: unknown, field: string) => { get(value: unknown): unknown };
  const page = GLOBAL_VALUES.get('page') as (list: unknown, options: unknown) => PageOf;
  const search = { page: 1, size: 20, search: { text: 'renamed', fields: ['name'] } };
  keyed(before, 'code').get('c1'); // built once for the old list
  assert.equal(page(before, search).total, 0);
  // a sale (stock) of item 7 and a rename of item 9, as a store makes the next version: the other items shared
  const target = before.slice() as Array<(typeof before)[number]>;
  target[7] = deepFreeze({ ...before[7], stock: 4 });
  target[9] = deepFreeze({ ...before[9], name: 'renamed 9' });
  let reads = 0;
  const after = new Proxy(Object.freeze(target), {
    get(list, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      return Reflect.get(list, key, receiver);
    },
  });
  listDerived(before, after, [7, 9]);
  assert.equal(fieldIndex(after, 'code'), fieldIndex(before, 'code'), 'the code index was not carried over');
  assert.deepEqual(keyed(after, 'code').get('c7'), { id: 7, code: 'c7', name: 'item 7', stock: 4 });
  const found = page(after, search);
  assert.deepEqual(found.items, [{ id: 9, code: 'c9', name: 'renamed 9', stock: 5 }]);
  // the carry reads the 2 changed items twice (index, texts), the lookup and the page one item each: not the 10,000
  assert.ok(reads <= 6, `carrying over, the lookup and the page read ${reads} items`);

  // a changed key: that index is built again for the new list (never a stale position)
  const moved = Object.freeze([...target.slice(0, 3), deepFreeze({ ...target[3], code: 'c0' }), ...target.slice(4)]);
  listDerived(after, moved, [3]);
  assert.notEqual(fieldIndex(moved, 'code'), fieldIndex(after, 'code'));
  assert.equal((keyed(moved, 'code').get('c3') as unknown) ?? null, null);
  assert.equal((keyed(moved, 'code').get('c0') as { id: number }).id, 0);
});
