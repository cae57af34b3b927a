// Actions run on copy-on-write drafts of the stored states: a change to a connector the route only reads
// stays in the request (never saved; dev mode warns), untouched items stay the same objects, touched ones are
// new, and lookups in a large stored list by one field use its index and give what a walk would give.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bench } from '../../fixtures/steps-app/harness.mjs';

const products = Array.from({ length: 3000 }, (_, n) => ({ id: n + 1, barcode: String(4600000000000 + n), name: `Товар ${n + 1}`, stock: 10 }));

function app(debug: boolean) {
  return {
    debug,
    connectors: {
      products: { type: 'lowdb' as const, keys: ['id', 'barcode'], initialState: { items: products } },
      receipt: { type: 'lowdb' as const, initialState: { first: null, items: [] as unknown[] } },
    },
    handlers: {
      // sorts the catalogue in place for its own use, as original handlers do, and marks an item
      sortForDisplay(context: any) {
        context.data.products.items.sort((a: { id: number }, b: { id: number }) => b.id - a.id);
        context.data.products.items[0].name = 'changed by a handler';
        context.data.products.note = 'private';
        context.data.receipt.first = context.data.products.items[0].id;
      },
    },
    routes: {
      'POST /peek-sorted': { type: 'action' as const, reads: ['products', 'receipt'], writes: ['receipt'], steps: [{ run: 'sortForDisplay' }] },
      'POST /sell': {
        type: 'action' as const,
        reads: ['products'],
        writes: ['products'],
        steps: [
          { set: 'context.product', to: 'data.products.items.find(p => p.barcode === body.code)' },
          { set: 'context.product.stock', to: 'context.product.stock - 1' },
        ],
      },
      'POST /add-line': {
        type: 'action' as const,
        reads: ['products', 'receipt'],
        writes: ['receipt'],
        steps: [
          { set: 'context.byKey', to: "keyed(data.products.items, 'barcode').get(body.code)" },
          { set: 'context.byFind', to: 'data.products.items.find(p => p.id == body.id)' },
          { set: 'data.receipt.items', to: 'data.receipt.items.concat([{ ...context.byKey, quantity: 1 }, { ...context.byFind, quantity: 2 }])' },
          // a change to an item looked up in a connector this route only reads: private to the request
          { set: 'context.byFind.name', to: "'renamed here only'" },
        ],
      },
    },
  };
}

test('a handler that changes a connector the route only reads changes nothing stored, and dev mode warns once', async (t) => {
  const b = await bench(t, app(true));
  const before = b.store.peek('products', 'global');
  const outcome = await b.run('POST /peek-sorted');
  assert.equal(outcome.vars.data.receipt.first, 3000, 'the handler did not see its own sorted list');
  assert.equal(outcome.vars.data.products.items[0].name, 'changed by a handler', 'the answer does not show the private change');
  assert.equal(b.store.peek('products', 'global'), before, 'the stored catalogue changed');
  const stored = (await b.read('products')) as { items: Array<{ id: number; name: string }>; note?: string };
  assert.equal(stored.items[0].id, 1);
  assert.equal(stored.items[2999].name, 'Товар 3000');
  assert.equal(stored.note, undefined);
  assert.equal(((await b.read('receipt')) as { first: number }).first, 3000, 'the written connector was not saved');
  await b.run('POST /peek-sorted');
  const warnings = b.log.lines.filter((line) => /changed connector "products", which it only reads/.test(line));
  assert.equal(warnings.length, 1, `expected one warning, got: ${b.log.lines.join('\n')}`);

  const quiet = await bench(t, app(false));
  await quiet.run('POST /peek-sorted');
  assert.equal(quiet.log.lines.filter((line) => /only reads/.test(line)).length, 0, 'warned outside dev mode');
});

test('copy-on-write: a sale keeps untouched products the same objects and makes the touched one new', async (t) => {
  const b = await bench(t, app(false));
  const before = b.store.peek('products', 'global') as { items: Array<{ stock: number }> };
  await b.run('POST /sell', { code: '4600000001234' });
  const after = b.store.peek('products', 'global') as { items: Array<{ stock: number }> };
  assert.notEqual(after, before);
  assert.notEqual(after.items[1234], before.items[1234], 'the touched product was changed in place');
  assert.equal(after.items[1234].stock, 9);
  assert.equal(before.items[1234].stock, 10, 'the old state changed');
  let same = 0;
  for (let i = 0; i < after.items.length; i++) if (after.items[i] === before.items[i]) same++;
  assert.equal(same, 2999, 'untouched products were copied');
});

test('lookups by one field in a stored list answer from its index, exactly as the walk would; their changes stay private', async (t) => {
  const b = await bench(t, app(false));
  const outcome = await b.run('POST /add-line', { code: '4600000000041', id: '7' });
  const lines = outcome.vars.data.receipt.items as Array<{ id: number; quantity: number; name: string }>;
  assert.deepEqual(
    lines.map((line) => [line.id, line.quantity, line.name]),
    [
      [42, 1, 'Товар 42'],
      [7, 2, 'Товар 7'],
    ],
  );
  assert.equal((b.store.peek('products', 'global') as { items: Array<{ name: string }> }).items[6].name, 'Товар 7', 'a private change was stored');
  const missing = await b.run('POST /add-line', { code: 'nope', id: 'nope' });
  assert.deepEqual(
    (missing.vars.data.receipt.items as Array<{ quantity: number }>).slice(2).map((line) => line.quantity),
    [1, 2],
    'an unknown key must find nothing, as the walk does',
  );
});
