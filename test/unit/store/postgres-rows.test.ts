// Big item collections on PostgreSQL: a host's copy is a cache kept up to date row by row. A write of one
// product of 50,000 on one host costs every other host one row read (not the 50,000), and their keyed
// lookups and pages answer from the copy, reading nothing. Counted by the store's own read counters.
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createStore, type Store } from '../../../server/store/index.js';
import { PostgresStore } from '../../../server/store/postgres/index.js';
import type { ConnectorConfig } from '../../../server/manifest/types.js';
import type { PageOf } from '../../../server/actions/expression/globals.js';
import { GLOBAL_VALUES } from '../../../server/actions/expression/globals.js';
import { captureLog, update } from './helpers.js';
import { fieldIndex } from '../../../server/store/item-index.js';
import { postgresSkipReason, queryDatabase as query, startPostgres, type PostgresCluster } from '../../helpers/postgres.js';

const skip = postgresSkipReason();
let cluster: PostgresCluster | undefined;
before(async () => {
  if (!skip) cluster = await startPostgres();
});
after(() => cluster?.destroy());

const PRODUCTS = 50_000;
type Product = { id: number; barcode: string; name: string; stock: number };
type Catalogue = { title: string; items: Product[] };

const keyed = GLOBAL_VALUES.get('keyed') as (list: unknown, field: string) => { get(value: unknown): unknown };
const page = GLOBAL_VALUES.get('page') as (list: unknown, options: unknown) => PageOf;

function catalogue(): ConnectorConfig {
  const items = Array.from({ length: PRODUCTS }, (_, id) => ({ id, barcode: `46${String(id).padStart(11, '0')}`, name: `Товар ${id}`, stock: 10 }));
  return { type: 'lowdb', initialState: { title: 'catalogue', items } };
}

async function open(t: TestContext, database: string, connectors: Record<string, ConnectorConfig>): Promise<PostgresStore> {
  const store: Store = await createStore({ connectors, dataDir: '/nonexistent', log: captureLog(), database });
  t.after(() => store.close());
  assert.ok(store instanceof PostgresStore);
  return store;
}

/** Resolves with the next commit another host made that this store has taken in. */
function nextRemoteCommit(store: Store): Promise<void> {
  return new Promise((resolve) => {
    const stop = store.onRemoteCommit!(() => {
      stop();
      resolve();
    });
  });
}

test('a 50,000-item connector: a write of one item costs another host one row; its keyed lookup and page read no row', { skip, timeout: 120_000 }, async (t) => {
  const database = await cluster!.createDatabase();
  const a = await open(t, database, { products: catalogue() });
  const b = await open(t, database, { products: catalogue() });
  // each host read the catalogue once, when it started
  assert.deepEqual(b.reads, { itemRows: PRODUCTS, wholeLoads: 1, rowLoads: 0 });
  const before = { ...b.reads };
  const oldItems = (b.peek('products', 'global') as Catalogue).items;
  const untouched = oldItems[7];
  keyed(oldItems, 'barcode').get('4600000000007'); // host B's index of its copy

  // host A sells one unit of product 31337
  let heard = nextRemoteCommit(b);
  await update<Catalogue>(a, 'products', 'global', (state) => {
    state.items[31337].stock -= 1;
  });
  await heard;
  assert.deepEqual(b.reads, { itemRows: before.itemRows + 1, wholeLoads: 1, rowLoads: 1 }, 'host B read more than the one changed row');

  // host B's keyed lookup and page answer from its copy: the change is there, nothing more is read
  const items = (b.peek('products', 'global') as Catalogue).items;
  assert.equal(items.length, PRODUCTS);
  assert.equal(items[7], untouched, 'an unchanged item was replaced instead of shared');
  assert.equal(fieldIndex(items, 'barcode'), fieldIndex(oldItems, 'barcode'), 'the barcode index was built again, not carried over');
  assert.equal((keyed(items, 'barcode').get('4600000031337') as Product).stock, 9);
  const found = page(items, { page: 1, size: 20, search: { text: 'товар 3133', fields: ['name'] } });
  assert.equal(found.total, 11); // 3133 and 31330…31339
  assert.deepEqual(found.items.map((item) => (item as Product).id), [3133, ...Array.from({ length: 10 }, (_, i) => 31330 + i)]);
  assert.equal((found.items.find((item) => (item as Product).id === 31337) as Product).stock, 9);
  assert.equal(b.reads.itemRows, before.itemRows + 1, 'the lookup or the page read rows');

  // an added product: one row; a product removed from the middle: the rows after it, which shift
  heard = nextRemoteCommit(b);
  await update<Catalogue>(a, 'products', 'global', (state) => void state.items.push({ id: PRODUCTS, barcode: 'new', name: 'Новый', stock: 1 }));
  await heard;
  assert.equal(b.reads.itemRows, before.itemRows + 2);
  assert.equal((keyed((b.peek('products', 'global') as Catalogue).items, 'barcode').get('new') as Product).id, PRODUCTS);
  heard = nextRemoteCommit(b);
  await update<Catalogue>(a, 'products', 'global', (state) => void state.items.splice(PRODUCTS - 5, 1));
  await heard;
  assert.equal(b.reads.itemRows, before.itemRows + 2 + 5);
  assert.equal(b.reads.wholeLoads, 1);
  assert.deepEqual(
    (b.peek('products', 'global') as Catalogue).items.slice(-3).map((item) => item.id),
    [PRODUCTS - 2, PRODUCTS - 1, PRODUCTS],
  );

  // host B writes on top of what it took in row by row: what is stored is exactly its copy
  await update<Catalogue>(b, 'products', 'global', (state) => {
    state.items[0].stock = 0;
  });
  const stored = await query<{ n: number; stock: number }>(
    database,
    `SELECT count(*)::int AS n, sum((item->>'stock')::int)::int AS stock FROM serverokey_items WHERE connector = 'products'`,
  );
  const copy = (b.peek('products', 'global') as Catalogue).items;
  assert.deepEqual(stored, [{ n: copy.length, stock: copy.reduce((sum, item) => sum + item.stock, 0) }]);
  assert.deepEqual(await a.read('products', 'global'), await b.read('products', 'global'));
});

test('a host that locks a state another host is changing reads only the rows written since its copy', { skip, timeout: 60_000 }, async (t) => {
  const database = await cluster!.createDatabase();
  const small = { type: 'lowdb' as const, initialState: { items: Array.from({ length: 1000 }, (_, id) => ({ id, stock: 5 })) } };
  const a = await open(t, database, { products: small });
  const b = await open(t, database, { products: small });
  type Stock = { items: Array<{ id: number; stock: number }> };
  // host B asks for the lock while host A holds it: B's row lock returns A's new version, so B loads in its lock
  // (its notification may be taken in too, also row by row; the lock's copy is the one B builds on)
  const releaseA = await a.lock([{ name: 'products', scopeKey: 'global' }]);
  const stateA = (await a.read('products', 'global')) as Stock;
  const lockedB = b.lock([{ name: 'products', scopeKey: 'global' }]);
  stateA.items[10].stock = 4;
  stateA.items[20].stock = 3;
  const durable = a.commit([{ name: 'products', scopeKey: 'global', state: stateA }]);
  releaseA();
  await durable;
  const releaseB = await lockedB;
  const stateB = (await b.read('products', 'global')) as Stock;
  releaseB();
  assert.deepEqual([stateB.items[10].stock, stateB.items[20].stock], [4, 3]);
  assert.equal(b.reads.wholeLoads, 1, 'host B read the whole state again');
  assert.ok([1002, 1004].includes(b.reads.itemRows), `host B read ${b.reads.itemRows - 1000} rows after starting, not 2 (or 2 twice)`);
});

test('a commit shares the items it did not change with the state it was built on', { skip }, async (t) => {
  const database = await cluster!.createDatabase();
  const store = await open(t, database, { products: { type: 'lowdb', initialState: { items: [{ id: 1 }, { id: 2 }, { id: 3 }] } } });
  const first = (store.peek('products', 'global') as { items: object[] }).items;
  await update<{ items: Array<{ id: number; n?: number }> }>(store, 'products', 'global', (state) => {
    state.items[1].n = 1;
  });
  // update() reads a copy (read() is a deep copy): only a commit built on the store's own objects shares them
  const release = await store.lock([{ name: 'products', scopeKey: 'global' }]);
  const latest = (await store.snapshot('products', 'global', { latest: true })) as { items: object[] };
  const durable = store.commit([{ name: 'products', scopeKey: 'global', state: { items: [latest.items[0], { id: 2, n: 2 }, latest.items[2]] } }]);
  release();
  await durable;
  const after = (store.peek('products', 'global') as { items: object[] }).items;
  assert.equal(after[0], latest.items[0]);
  assert.equal(after[2], latest.items[2]);
  assert.notEqual(after[0], first[0], 'the first commit copied from read(), so its items are its own');
  assert.deepEqual(after[1], { id: 2, n: 2 });
  // a shared item that is not the store's own is still checked: NaN is refused
  const refused = await store.lock([{ name: 'products', scopeKey: 'global' }]);
  try {
    await assert.rejects(Promise.resolve().then(() => store.commit([{ name: 'products', scopeKey: 'global', state: { items: [after[0], { id: 9, n: Number.NaN }] } }])), /state\.items\[1\]\.n is NaN/);
  } finally {
    refused();
  }
});

test('a database of schema version 1 is migrated: its item rows count as written before any copy', { skip }, async (t) => {
  const database = await cluster!.createDatabase();
  const a = await open(t, database, { products: { type: 'lowdb', initialState: { items: [{ id: 1 }] } } });
  await a.close();
  // as the engine of schema version 1 left it
  await query(database, 'DROP INDEX serverokey_items_written; ALTER TABLE serverokey_items DROP COLUMN version; UPDATE serverokey_schema SET version = 1');
  const log = captureLog();
  const store: Store = await createStore({ connectors: { products: { type: 'lowdb' } }, dataDir: '/nonexistent', log, database });
  t.after(() => store.close());
  assert.match(log.text('info'), /migrated the tables in .* from schema version 1 to 2/);
  assert.deepEqual(await query(database, `SELECT position, version::int FROM serverokey_items`), [{ position: 0, version: 0 }]);
  assert.deepEqual(await store.read('products', 'global'), { items: [{ id: 1 }] });
});
