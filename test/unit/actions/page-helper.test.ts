// page(list, { page, size, match }) and keyed() over list-valued fields: the helpers the catalogue of a
// 50,000-product shop is searched and paged with, without copying the stored list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createDraft } from 'immer';
import { compileExpression } from '../../../server/actions/expression.js';
import { scopeFromObject } from '../../../server/actions/expression/scope.js';
import { markPrivateDraft } from '../../../server/store/item-index.js';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const products = deepFreeze(
  Array.from({ length: 50_000 }, (_, n) => ({ id: n + 1, name: n % 10 === 0 ? `Молоко ${n}` : `Хлеб ${n}`, barcodes: [`46${n}`, `20${n}`] })),
);

function run(source: string, vars: Record<string, unknown>): unknown {
  return compileExpression(source).evaluate(scopeFromObject(vars));
}

type Page = { items: Array<{ id: number; name: string }>; page: number; pages: number; total: number; size: number };

test('page() gives one page of the matching items, the page count and the total', () => {
  const result = run("page(data.items, { page: query.page, size: 20, match: p => p.name.startsWith('Молоко') })", {
    data: { items: products },
    query: { page: '3' },
  }) as Page;
  assert.equal(result.total, 5000);
  assert.equal(result.pages, 250);
  assert.equal(result.page, 3);
  assert.equal(result.size, 20);
  assert.deepEqual(
    result.items.map((p) => p.id),
    Array.from({ length: 20 }, (_, k) => (40 + k) * 10 + 1),
  );
});

test('page() without match pages the whole list; a page past the end or nonsense shows a real page', () => {
  const all = run('page(data.items, { size: 1000 })', { data: { items: products } }) as Page;
  assert.equal(all.size, 500, 'a page is at most 500 items');
  assert.equal(all.pages, 100);
  assert.equal(all.items[0].id, 1);
  const past = run('page(data.items, { page: 999, size: 100 })', { data: { items: products } }) as Page;
  assert.equal(past.page, 500);
  assert.equal(past.items.at(-1)?.id, 50_000);
  const nonsense = run("page(data.items, { page: 'abc' })", { data: { items: products } }) as Page;
  assert.equal(nonsense.page, 1);
  assert.equal(nonsense.items.length, 20);
  const none = run("page(data.items, { match: p => p.name === 'нет' })", { data: { items: products } }) as Page;
  assert.deepEqual([none.total, none.pages, none.page, none.items.length], [0, 1, 1, 0]);
});

test('page() over an untouched draft of a stored list reads the stored list and copies nothing', () => {
  const draft = createDraft({ items: products });
  markPrivateDraft(draft);
  const result = run("page(data.items, { match: p => p.id > 49990 })", { data: draft }) as Page;
  assert.equal(result.total, 10);
  assert.equal(result.items[0].name, 'Молоко 49990');
  // the list's draft was never copied: the draft still stands for the stored list unchanged
  const state = (draft.items as unknown as Record<symbol, { modified_: boolean; copy_: unknown }>)[Symbol.for('immer-state')];
  assert.equal(state.copy_ ?? null, null);
});

test('page() refuses what is not a list, a match that is not a function', () => {
  assert.throws(() => run('page(data.x, {})', { data: { x: 5 } }), /not an array/);
  assert.throws(() => run("page(data.items, { match: 'Молоко' })", { data: { items: products } }), /match must be a function/);
});

test('keyed() finds an item by any value of a list-valued field, from the index', () => {
  const byCode = (code: string) => run("keyed(data.items, 'barcodes').get(query.code)", { data: { items: products }, query: { code } }) as { id: number } | undefined;
  assert.equal(byCode('4612345')?.id, 12346);
  assert.equal(byCode('2012345')?.id, 12346);
  assert.equal(byCode('99999999'), undefined);
  // a list built by the expression is walked, with the same answer
  const built = run("keyed(data.items.slice(0, 10), 'barcodes').get('205')", { data: { items: products } }) as { id: number };
  assert.equal(built.id, 6);
});

test('page() searches fields case-insensitively (ё = е), lists of values included, then applies match', () => {
  const shelf = deepFreeze([
    { id: 1, name: 'Мёд липовый', codes: ['4600000000015'], archived: false },
    { id: 2, name: 'МЕДОВИК', codes: ['CODE-77'], archived: true },
    { id: 3, name: 'Чай', codes: ['96385074'], archived: false },
  ]);
  const ids = (source: string, vars: Record<string, unknown> = {}) =>
    (run(source, { data: { items: shelf }, ...vars }) as Page).items.map((p) => p.id);
  assert.deepEqual(ids("page(data.items, { search: { text: query.q, fields: ['name', 'codes'] } })", { query: { q: ' мед ' } }), [1, 2]);
  assert.deepEqual(ids("page(data.items, { search: { text: 'code-7', fields: ['name', 'codes'] } })"), [2]);
  assert.deepEqual(ids("page(data.items, { search: { text: 'мед', fields: ['name'] }, match: p => !p.archived })"), [1]);
  assert.deepEqual(ids("page(data.items, { search: { text: '', fields: ['name'] } })"), [1, 2, 3], 'an empty search shows everything');
  // the same answer on a list that is not stored (built by the expression)
  assert.deepEqual(ids("page(data.items.slice(), { search: { text: '9638', fields: ['codes'] } })"), [3]);
  assert.throws(() => run("page(data.items, { search: 'мед' })", { data: { items: shelf } }), /search is \{ text, fields/);
});

test('search: a value repeated across the fields is found, also by a needle spanning two of the parts', () => {
  // the barcode is also the first of the barcodes: the kept search text holds it once
  const items = deepFreeze([
    { id: 1, name: 'Кефир', barcode: '4601', barcodes: ['4601', '2001'] },
    { id: 2, name: 'Сыр', barcode: '4602', barcodes: ['4602'] },
  ]);
  const search = (text: string) =>
    (run("page(data.items, { search: { text: query.text, fields: ['name', 'barcodes', 'barcode'] } })", { data: { items }, query: { text } }) as Page).items.map((p) => p.id);
  assert.deepEqual(search('4601'), [1]);
  assert.deepEqual(search('2001'), [1]);
  assert.deepEqual(search('сыр'), [2]);
  // the whole text of item 2 is "сыр␁4602␁4602": a needle over the repeated part still finds it
  assert.deepEqual(search('4602\u00014602'), [2]);
  assert.deepEqual(search('2001\u00014601'), [1]);
  assert.deepEqual(search('кефир\u00014601'), [1]);
  assert.deepEqual(search('4601\u00014601'), []);
  // and the cached texts, kept after that search, still answer the plain needles
  assert.deepEqual(search('460'), [1, 2]);
});
