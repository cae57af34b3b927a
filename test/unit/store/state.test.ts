// What readers see: initialState, faithful values, copies, migrations, computed, aliases and scopes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, stat, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { captureLog, openStore, tempDir, update } from './helpers.js';
import { UnknownConnectorError } from '../../../server/store/index.js';

type Receipt = { items: Array<Record<string, unknown>>; total?: unknown; note?: unknown };

test('initialState is used when nothing is stored, including its items, for every kind', async (t) => {
  const dir = await tempDir(t);
  const initialState = { items: [{ id: 1, name: 'tea' }], total: 0, title: 'shop' };
  const store = await openStore(t, dir, {
    lowdb: { type: 'lowdb', initialState },
    memory: { type: 'memory', initialState },
    journal: { type: 'journal', initialState: { items: [{ sale: 1 }, { sale: 2 }] } },
  });
  assert.deepEqual(await store.read('lowdb', 'global'), initialState);
  assert.deepEqual(await store.read('memory', 'global'), initialState);
  assert.deepEqual(await store.read('journal', 'global'), { items: [{ sale: 1 }, { sale: 2 }], count: 2 });
  // A connector without initialState starts as an empty object.
  const other = await openStore(t, await tempDir(t), { plain: { type: 'lowdb' } });
  assert.deepEqual(await other.read('plain', 'global'), {});
});

test('null, 0, empty string and false are stored faithfully, nested and as the whole state', async (t) => {
  const dir = await tempDir(t);
  const connectors = {
    meta: { type: 'lowdb' as const, initialState: { total: 5 } },
    zero: { type: 'lowdb' as const, initialState: { x: 1 } },
    nothing: { type: 'lowdb' as const, initialState: { x: 1 } },
    empty: { type: 'lowdb' as const, initialState: { x: 1 } },
    no: { type: 'lowdb' as const, initialState: { x: 1 } },
  };
  const store = await openStore(t, dir, connectors);
  const values = { total: 0, note: '', paid: false, customer: null, items: [0, '', false, null] };
  for (const name of Object.keys(connectors)) await store.read(name, 'global');
  await store.commit([
    { name: 'meta', scopeKey: 'global', state: values },
    { name: 'zero', scopeKey: 'global', state: 0 },
    { name: 'nothing', scopeKey: 'global', state: null },
    { name: 'empty', scopeKey: 'global', state: '' },
    { name: 'no', scopeKey: 'global', state: false },
  ]);
  assert.deepEqual(await store.read('meta', 'global'), values);
  assert.equal(await store.read('zero', 'global'), 0);
  await store.close();

  const reopened = await openStore(t, dir, connectors);
  assert.deepEqual(await reopened.read('meta', 'global'), values);
  assert.equal(await reopened.read('zero', 'global'), 0);
  assert.equal(await reopened.read('nothing', 'global'), null);
  assert.equal(await reopened.read('empty', 'global'), '');
  assert.equal(await reopened.read('no', 'global'), false);
  assert.equal(JSON.parse(await readFile(join(dir, 'nothing.json'), 'utf8')), null);
});

test('reads and commits are deep copies: callers may mutate what they hold', async (t) => {
  const dir = await tempDir(t);
  const initialState = { items: [{ id: 1, qty: 1 }] };
  const store = await openStore(t, dir, { receipt: { type: 'lowdb', initialState }, mem: { type: 'memory', initialState } });
  for (const name of ['receipt', 'mem']) {
    const first = (await store.read(name, 'global')) as Receipt;
    first.items[0].qty = 99;
    first.items.push({ id: 2 });
    assert.deepEqual(await store.read(name, 'global'), initialState, `${name}: mutating a read changed the store`);

    const next = { items: [{ id: 3, qty: 3 }] };
    await store.commit([{ name, scopeKey: 'global', state: next }]);
    next.items[0].qty = 1000;
    assert.deepEqual(await store.read(name, 'global'), { items: [{ id: 3, qty: 3 }] }, `${name}: mutating a committed object changed the store`);
  }
  assert.deepEqual(initialState, { items: [{ id: 1, qty: 1 }] }, 'the manifest initialState was mutated');
});

test('migrations back-fill missing fields on load and are persisted once', async (t) => {
  const dir = await tempDir(t);
  await writeFile(
    join(dir, 'products.json'),
    JSON.stringify({ items: [{ id: 1 }, { id: 2, active: false, tags: ['x'] }, 'not a record'], title: 'kept' }),
  );
  const connectors = {
    products: {
      type: 'lowdb' as const,
      migrations: [
        { if_not_exists: 'active', set: { active: true } },
        { if_not_exists: 'tags', set: { tags: [], stock: 0 } },
      ],
    },
  };
  const log = captureLog();
  const store = await openStore(t, dir, connectors, log);
  const expected = {
    items: [{ id: 1, active: true, tags: [], stock: 0 }, { id: 2, active: false, tags: ['x'] }, 'not a record'],
    title: 'kept',
  };
  assert.deepEqual(await store.read('products', 'global'), expected);
  await store.flush();
  assert.deepEqual(JSON.parse(await readFile(join(dir, 'products.json'), 'utf8')), expected, 'the migrated state was not saved');
  assert.match(log.text('info'), /connector "products": migrations added missing fields; saved once/);
  await store.close();

  const { mtimeMs } = await stat(join(dir, 'products.json'));
  const again = captureLog();
  const reopened = await openStore(t, dir, connectors, again);
  assert.deepEqual(await reopened.read('products', 'global'), expected);
  assert.doesNotMatch(again.text(), /migrations/, 'an already migrated state was saved again');
  assert.equal((await stat(join(dir, 'products.json'))).mtimeMs, mtimeMs);
  // Each back-filled record has its own copy of the value.
  const state = (await reopened.read('products', 'global')) as { items: Array<{ tags: unknown[] }> };
  assert.notEqual(state.items[0].tags, (await reopened.read('products', 'global') as typeof state).items[0].tags);
});

test('computed rules apply on read and are never persisted by a read', async (t) => {
  const dir = await tempDir(t);
  const store = await openStore(t, dir, {
    receipt: {
      type: 'lowdb',
      initialState: { items: [{ price: '1.5' }, { price: 2 }, { price: 2 }, {}], discount: 1 },
      computed: [
        { target: 'total', formula: 'sum(items, "price")', format: 'toFixed(2)' },
        { target: 'lines', formula: "count('items')" },
        { target: 'discount', format: 'toFixed(2)' },
        { target: 'missing', formula: 'sum(nothing, price)' },
        { target: 'bad', formula: 'process.exit(1)', defaultValue: 'n/a' },
        { target: 'fallback', defaultValue: 7 },
      ],
    },
  });
  const state = (await store.read('receipt', 'global')) as Record<string, unknown>;
  assert.equal(state.total, '5.50');
  assert.equal(state.lines, 4);
  assert.equal(state.discount, '1.00');
  assert.equal(state.missing, 0);
  assert.equal(state.bad, 'n/a');
  assert.equal(state.fallback, 7);
  await store.flush();
  await assert.rejects(readFile(join(dir, 'receipt.json')), { code: 'ENOENT' }, 'a read wrote the file');

  // Committing what was read stores real values only: formula targets are recomputed on every read.
  await store.commit([{ name: 'receipt', scopeKey: 'global', state }]);
  await store.flush();
  const stored = JSON.parse(await readFile(join(dir, 'receipt.json'), 'utf8')) as Record<string, unknown>;
  assert.deepEqual(Object.keys(stored).sort(), ['discount', 'fallback', 'items']);
  assert.equal(((await store.read('receipt', 'global')) as Record<string, unknown>).total, '5.50');
});

test('a journal with computed rules can commit what it read', async (t) => {
  const store = await openStore(t, await tempDir(t), {
    sales: { type: 'journal', computed: [{ target: 'sold', formula: 'count(items)' }, { target: 'label', defaultValue: 'sales' }] },
  });
  const state = (await store.read('sales', 'global')) as { items: unknown[]; [key: string]: unknown };
  assert.deepEqual({ ...state }, { items: [], count: 0, sold: 0, label: 'sales' });
  state.items.push({ sale: 1 });
  await store.commit([{ name: 'sales', scopeKey: 'global', state }]);
  assert.deepEqual(await store.read('sales', 'global'), { items: [{ sale: 1 }], count: 1, sold: 1, label: 'sales' });
});

test('aliases run on their kind with a one-line notice per connector', async (t) => {
  const dir = await tempDir(t);
  const log = captureLog();
  const store = await openStore(
    t,
    dir,
    {
      receipt: { type: 'wise-json', initialState: { items: [] } },
      settings: { type: 'json' },
      session: { type: 'in-memory' },
      plain: { type: 'lowdb' },
    },
    log,
  );
  assert.equal(log.text(), [
    'connector "receipt": type "wise-json" runs on lowdb (same behaviour, one JSON file)',
    'connector "settings": type "json" runs on lowdb (same behaviour, one JSON file)',
  ].join('\n'));
  assert.deepEqual(store.info('receipt'), { name: 'receipt', type: 'lowdb', scope: 'global', persistent: true });
  assert.deepEqual(store.info('session'), { name: 'session', type: 'memory', scope: 'global', persistent: false });
  assert.deepEqual(store.names(), ['receipt', 'settings', 'session', 'plain']);

  await update(store, 'receipt', 'global', (state: Receipt) => void state.items.push({ id: 1 }));
  await store.flush();
  assert.deepEqual(JSON.parse(await readFile(join(dir, 'receipt.json'), 'utf8')), { items: [{ id: 1 }] });
  await store.read('receipt', 'global');
  assert.equal(log.lines.length, 2, 'the notice was repeated');
  assert.throws(() => store.info('nope'), UnknownConnectorError);
  await assert.rejects(store.read('nope', 'global'), /unknown connector "nope" \(known: receipt, settings, session, plain\)/);
});

test('scoped connectors keep one state per key, persisted per key; global ones ignore the key', async (t) => {
  const dir = await tempDir(t);
  const connectors = {
    receipt: { type: 'lowdb' as const, scope: 'terminal' as const, initialState: { items: [] } },
    search: { type: 'memory' as const, scope: 'user' as const, initialState: { q: '' } },
    shop: { type: 'lowdb' as const, initialState: { name: 'A' } },
  };
  const store = await openStore(t, dir, connectors);
  await update(store, 'receipt', 'till-1', (state: Receipt) => void state.items.push({ id: 'one' }));
  await update(store, 'receipt', 'till/2', (state: Receipt) => void state.items.push({ id: 'two' }));
  await update(store, 'search', 'ann', () => ({ q: 'milk' }));
  await update(store, 'shop', 'till-1', () => ({ name: 'B' }));

  assert.deepEqual(await store.read('receipt', 'till-1'), { items: [{ id: 'one' }] });
  assert.deepEqual(await store.read('receipt', 'till/2'), { items: [{ id: 'two' }] });
  assert.deepEqual(await store.read('receipt', 'till-3'), { items: [] });
  assert.deepEqual(await store.read('search', 'ann'), { q: 'milk' });
  assert.deepEqual(await store.read('search', 'bob'), { q: '' });
  assert.deepEqual(await store.read('shop', 'till-2'), { name: 'B' }, 'a global connector differed per key');
  await assert.rejects(store.read('receipt', ''), /keeps one state per terminal/);

  await store.flush();
  assert.deepEqual(JSON.parse(await readFile(join(dir, 'receipt', 'till-1.json'), 'utf8')), { items: [{ id: 'one' }] });
  assert.deepEqual(JSON.parse(await readFile(join(dir, 'receipt', 'till%2F2.json'), 'utf8')), { items: [{ id: 'two' }] });
  assert.deepEqual(JSON.parse(await readFile(join(dir, 'shop.json'), 'utf8')), { name: 'B' });
  await store.close();

  const reopened = await openStore(t, dir, connectors);
  assert.deepEqual(await reopened.read('receipt', 'till/2'), { items: [{ id: 'two' }] });
  assert.deepEqual(await reopened.read('receipt', 'till-1'), { items: [{ id: 'one' }] });
  assert.deepEqual(await reopened.read('search', 'ann'), { q: '' }, 'memory state survived a restart');
});

test('a damaged scoped file is reported when that scope is first read', async (t) => {
  const dir = await tempDir(t);
  await mkdir(join(dir, 'receipt'));
  await writeFile(join(dir, 'receipt', 'till-1.json'), '{"items": [');
  const store = await openStore(t, dir, { receipt: { type: 'lowdb', scope: 'terminal' } });
  await assert.rejects(store.read('receipt', 'till-1'), /till-1\.json is damaged .*no good copy was found/);
  assert.deepEqual(await store.read('receipt', 'till-2'), {});
});
