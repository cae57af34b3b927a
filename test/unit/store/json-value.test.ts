// copyAsJson with a known stored state: what the commit left untouched (the very frozen objects) is kept,
// everything else is copied and checked as before.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyAsJson } from '../../../server/store/json-value.js';

const frozen = <T>(value: T): T => Object.freeze(value);

test('frozen parts identical to the stored state are kept; new and changed parts are copied; never the root', () => {
  const old1 = frozen({ n: 1, lines: frozen([frozen({ sku: 'tea' })]) });
  const old2 = frozen({ n: 2, lines: frozen([]) });
  const stored = frozen({ items: frozen([old1, old2]), count: 2 });
  const added = { n: 3, lines: [{ sku: 'milk' }] };
  const next = { items: [old1, old2, added], count: 2 };
  const copy = copyAsJson(next, 'journal "sales"', 'state', stored) as { items: unknown[]; count: number };
  assert.notEqual(copy, next);
  assert.notEqual(copy.items, next.items);
  assert.equal(copy.items[0], old1);
  assert.equal(copy.items[1], old2);
  assert.notEqual(copy.items[2], added);
  assert.deepEqual(copy.items[2], added);
  // the root is always a copy of its own, even when it is the stored state itself
  assert.notEqual(copyAsJson(stored, 'x', 'state', stored), stored);
  // an unfrozen object at the same place is copied (it may change later), and what JSON cannot hold is refused
  const loose = { n: 1, lines: [] };
  assert.notEqual((copyAsJson({ items: [loose] }, 'x', 'state', { items: [loose] }) as { items: unknown[] }).items[0], loose);
  assert.throws(() => copyAsJson({ items: [old1, { n: Number.NaN }] }, 'journal "sales"', 'state', stored), /NaN/);
});
