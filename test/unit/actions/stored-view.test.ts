// context.stored(value): a handler reads a connector as the store holds it (frozen, no drafts), the state
// before its own action's changes; values the steps built come back as they are; it is not rendered or listed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isDraft } from 'immer';
import { bench } from '../../fixtures/steps-app/harness.mjs';

const products = Array.from({ length: 2000 }, (_, n) => ({ id: n + 1, name: `Товар ${n + 1}`, price: 100 + n }));

function app() {
  return {
    connectors: {
      products: { type: 'lowdb' as const, keys: ['id'], initialState: { items: products } },
      summary: { type: 'lowdb' as const, initialState: { total: 0, seen: null as unknown } },
    },
    handlers: {
      // reads a list it only reads, and one it writes after changing it
      sum(context: any) {
        const items = context.stored(context.data.products.items);
        context.context.itemsWereDraft = isDraft(context.data.products.items);
        context.context.storedIsDraft = isDraft(items);
        context.context.storedFrozen = Object.isFrozen(items) && Object.isFrozen(items[0]);
        context.context.storedItems = items;
        context.data.summary.total = items.reduce((sum: number, p: { price: number }) => sum + p.price, 0);
        context.data.summary.seen = 'now';
        context.context.summaryBefore = context.stored(context.data.summary).seen;
        context.context.built = context.stored({ plain: true });
        context.context.number = context.stored(7);
        context.context.listed = Object.keys(context).includes('stored');
      },
      misuse(context: any) {
        context.stored();
      },
    },
    routes: {
      'POST /sum': { type: 'action' as const, reads: ['products', 'summary'], writes: ['summary'], steps: [{ run: 'sum' }] },
      'POST /misuse': { type: 'action' as const, reads: ['products'], steps: [{ run: 'misuse' }] },
    },
  };
}

test('context.stored gives a handler the stored, frozen value behind a draft, before its own changes', async (t) => {
  const b = await bench(t, app());
  const base = b.store.peek('products', 'global') as { items: unknown[] };
  const outcome = await b.run('POST /sum');
  const context = outcome.vars.context as Record<string, unknown>;
  assert.equal(context.itemsWereDraft, true, 'handlers see drafts of what they read');
  assert.equal(context.storedIsDraft, false);
  assert.equal(context.storedItems, base.items, 'the stored list itself, not a copy');
  assert.equal(context.storedFrozen, true);
  assert.equal(context.summaryBefore, null, 'the state before this action’s own change');
  assert.deepEqual(context.built, { plain: true });
  assert.equal(context.number, 7);
  assert.equal(context.listed, false, 'stored is not one of the listed variables');
  const summary = (await b.read('summary')) as { total: number; seen: string };
  assert.equal(summary.total, products.reduce((sum, p) => sum + p.price, 0));
  assert.equal(summary.seen, 'now');
});

test('context.stored without a value is a handler error naming the call', async (t) => {
  const b = await bench(t, app());
  await assert.rejects(b.run('POST /misuse'), (error: Error & { status?: number }) => {
    assert.equal(error.status, 500);
    assert.match(error.message, /context\.stored\(value\) takes one value/);
    return true;
  });
});
