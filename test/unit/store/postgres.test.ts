// What only the PostgreSQL store has: start-up refusals with their reason (never the password), the
// schema version, items kept as rows (a commit rewrites only the rows that changed), journals as rows.
import { after, before, test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { createStore, type Store } from '../../../server/store/index.js';
import type { ConnectorConfig } from '../../../server/manifest/types.js';
import { captureLog, update } from './helpers.js';
import { journalWhere } from '../../../server/store/postgres/postgres-store.js';
import { conditionsOf } from '../../../server/store/journal-query.js';
import { postgresSkipReason, queryDatabase as query, startPostgres, type PostgresCluster } from '../../helpers/postgres.js';

const skip = postgresSkipReason();
let cluster: PostgresCluster | undefined;
before(async () => {
  if (!skip) cluster = await startPostgres();
});
after(() => cluster?.destroy());

async function open(t: TestContext, database: string, connectors: Record<string, ConnectorConfig>, log = captureLog()): Promise<Store> {
  const store = await createStore({ connectors, dataDir: '/nonexistent', log, database });
  t.after(() => store.close());
  return store;
}

test('a wrong password or an unreachable server stops start-up with the reason, never the password', { skip }, async () => {
  const good = new URL(cluster!.url());
  const wrong = new URL(good);
  wrong.password = 'not-the-password-42';
  await assert.rejects(createStore({ connectors: { a: { type: 'lowdb' } }, dataDir: '/nonexistent', log: captureLog(), database: wrong.toString() }), (error: Error) => {
    assert.match(error.message, /cannot connect to PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/postgres: password authentication failed/);
    assert.doesNotMatch(error.message, /not-the-password-42/);
    return true;
  });
  const closed = new URL(good);
  closed.port = '1';
  await assert.rejects(
    createStore({ connectors: { a: { type: 'lowdb' } }, dataDir: '/nonexistent', log: captureLog(), database: closed.toString() }),
    (error: Error) => /cannot connect to PostgreSQL at postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/postgres: .*ECONNREFUSED/.test(error.message) && !error.message.includes(good.password),
  );
  await assert.rejects(
    createStore({ connectors: { a: { type: 'lowdb' } }, dataDir: '/nonexistent', log: captureLog(), database: 'mysql://x@y/z' }),
    /the database URL must start with postgres:\/\//,
  );
});

test('the tables are created with a schema version; a database of a newer version is refused', { skip }, async (t) => {
  const database = await cluster!.createDatabase();
  const log = captureLog();
  const store = await open(t, database, { a: { type: 'lowdb' } }, log);
  assert.match(log.text('info'), /created the engine's tables in postgres:\/\/postgres:\*\*\*@.* \(schema version 2\)/);
  await store.close();
  const tables = (await query<{ tablename: string }>(database, "SELECT tablename FROM pg_tables WHERE tablename LIKE 'serverokey_%' ORDER BY 1")).map((row) => row.tablename);
  assert.deepEqual(tables, ['serverokey_items', 'serverokey_journal', 'serverokey_schema', 'serverokey_secrets', 'serverokey_state', 'serverokey_terminals']);
  assert.deepEqual(await query(database, 'SELECT version FROM serverokey_schema'), [{ version: 2 }]);

  const again = captureLog();
  await open(t, database, { a: { type: 'lowdb' } }, again);
  assert.doesNotMatch(again.text(), /created|migrated/);

  await query(database, 'UPDATE serverokey_schema SET version = 99');
  await assert.rejects(open(t, database, { a: { type: 'lowdb' } }), /schema version 99, written by a newer engine \(this one knows version 2\)/);
});

test('items are rows: a commit rewrites only the rows that changed', { skip }, async (t) => {
  const database = await cluster!.createDatabase();
  const products = Array.from({ length: 1000 }, (_, index) => ({ id: index, name: `product ${index}`, stock: 10 }));
  const store = await open(t, database, { products: { type: 'lowdb', initialState: { title: 'catalogue', items: products } } });
  const rows = () => query<{ position: number; xmin: string; item: { stock: number } }>(database, `SELECT position, xmin::text, item FROM serverokey_items WHERE connector = 'products' ORDER BY position`);
  const before = await rows();
  assert.equal(before.length, 1000);
  assert.deepEqual(await query(database, `SELECT state::text FROM serverokey_state WHERE connector = 'products'`), [{ state: '{"title":"catalogue","items":null}' }]);

  type Catalogue = { items: Array<{ id: number; stock: number; name: string }> };
  await update<Catalogue>(store, 'products', 'global', (state) => {
    state.items[500].stock -= 1;
  });
  await update<Catalogue>(store, 'products', 'global', (state) => void state.items.push({ id: 1000, name: 'new', stock: 1 }));
  const after = await rows();
  assert.equal(after.length, 1001);
  const rewritten = after.filter((row, index) => before[index]?.xmin !== row.xmin).map((row) => row.position);
  assert.deepEqual(rewritten, [500, 1000], 'more rows than the changed ones were written');
  assert.equal(after[500].item.stock, 9);

  await update<Catalogue>(store, 'products', 'global', (state) => void state.items.splice(998, 3));
  assert.equal((await rows()).length, 998);
});

test('journal records are rows, numbered from 0; readers load only the last view.last of them', { skip }, async (t) => {
  const database = await cluster!.createDatabase();
  const store = await open(t, database, { sales: { type: 'journal', view: { last: 2 } } });
  for (let sale = 1; sale <= 5; sale++) await update<{ items: unknown[] }>(store, 'sales', 'global', (state) => void state.items.push({ sale }));
  const records = await query<{ seq: string; record: { sale: number } }>(database, `SELECT seq, record FROM serverokey_journal WHERE connector = 'sales' ORDER BY seq`);
  assert.deepEqual(records.map((row) => [Number(row.seq), row.record.sale]), [[0, 1], [1, 2], [2, 3], [3, 4], [4, 5]]);
  assert.deepEqual(await query(database, `SELECT count::int FROM serverokey_state WHERE connector = 'sales'`), [{ count: 5 }]);
  assert.deepEqual(await store.read('sales', 'global'), { items: [{ sale: 4 }, { sale: 5 }], count: 5 });
});

test('a journal\'s index fields become expression indexes that journal:read queries use', { skip }, async (t) => {
  const database = await cluster!.createDatabase();
  const log = captureLog();
  const connectors: Record<string, ConnectorConfig> = { sales: { type: 'journal', index: ['day', 'cashier.login'] } };
  const store = await open(t, database, connectors, log);
  assert.match(log.text('info'), /indexed the journal rows by day, cashier\.login/);
  const indexes = await query<{ indexdef: string }>(database, "SELECT indexdef FROM pg_indexes WHERE indexname LIKE 'serverokey_journal_f_%' ORDER BY indexdef");
  assert.equal(indexes.length, 2);
  assert.ok(indexes.some((index) => index.indexdef.includes(`'{cashier,login}'`) && index.indexdef.includes('COLLATE "C"')), JSON.stringify(indexes));
  await store.read('sales', 'global');
  await update<{ items: unknown[] }>(store, 'sales', 'global', (state) => {
    for (let n = 0; n < 3000; n++) state.items.push({ n, day: `2026-12-${String(1 + (n % 30)).padStart(2, '0')}`, cashier: { login: n % 2 ? 'a' : 'b' }, tags: [] });
  });
  await query(database, 'ANALYZE serverokey_journal');
  // the plan of the same WHERE journal:read sends: the day's rows come from the index, not a scan of the journal
  const day = await store.queryJournal('sales', 'global', { where: { day: '2026-12-07' }, size: 5 });
  assert.equal(day.total, 100);
  const { sql, params } = journalWhere(conditionsOf({ day: '2026-12-07' }, ['day'], 'sales'), ['sales', 'global', 3000]);
  const plan = await query<{ 'QUERY PLAN': string }>(database, `EXPLAIN SELECT j.record FROM serverokey_journal j WHERE ${sql}`, params);
  assert.match(plan.map((row) => row['QUERY PLAN']).join('\n'), /Bitmap Index Scan on serverokey_journal_f_/);
  const again = captureLog();
  await open(t, database, connectors, again);
  assert.doesNotMatch(again.text('info'), /indexed the journal rows/, 'created once');
});

test('another store on the same database sees a commit once notified, with who caused it', { skip }, async (t) => {
  const database = await cluster!.createDatabase();
  const connectors = { receipt: { type: 'lowdb' as const, initialState: { items: [] as unknown[] } }, cart: { type: 'lowdb' as const, scope: 'terminal' as const } };
  const a = await open(t, database, connectors);
  const b = await open(t, database, connectors);
  const heard = new Promise<unknown>((resolve) => b.onRemoteCommit!((commit) => resolve(commit)));
  await a.read('receipt', 'global');
  const release = await a.lock([{ name: 'receipt', scopeKey: 'global' }]);
  const durable = a.commit([{ name: 'receipt', scopeKey: 'global', state: { items: [{ n: 1 }] } }], { origin: { socketId: 's1', terminalId: 't1' } });
  release();
  await durable;
  assert.deepEqual(await heard, { changes: [{ name: 'receipt', scopeKey: 'global' }], origin: { socketId: 's1', terminalId: 't1' } });
  assert.deepEqual(b.peek('receipt', 'global'), { items: [{ n: 1 }] });
});

test('an app that mixes: its postgres connectors in the database, the others in the data folder', { skip }, async (t) => {
  const { mkdtemp, readFile, rm } = await import('node:fs/promises');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dataDir = await mkdtemp(join(tmpdir(), 'store-mixed-'));
  t.after(() => rm(dataDir, { recursive: true, force: true }));
  const connectors: Record<string, ConnectorConfig> = {
    catalogue: { type: 'postgres', initialState: { items: [] } },
    settings: { type: 'lowdb', initialState: { shop: 'A' } },
  };
  await assert.rejects(
    createStore({ connectors, dataDir, log: captureLog() }),
    /connector "catalogue" has type "postgres": give the database with --database postgres:\/\/… or SERVEROKEY_DATABASE_URL/,
  );
  const database = await cluster!.createDatabase();
  const store = await createStore({ connectors, dataDir, log: captureLog(), database });
  t.after(() => store.close());
  assert.deepEqual(store.names(), ['catalogue', 'settings']);
  assert.equal(store.shared, undefined, 'a store that keeps files is not shared between hosts');
  const release = await store.lock([{ name: 'settings', scopeKey: 'global' }, { name: 'catalogue', scopeKey: 'global' }]);
  await store.read('catalogue', 'global');
  await store.read('settings', 'global');
  const durable = store.commit([
    { name: 'catalogue', scopeKey: 'global', state: { items: [{ id: 1 }] } },
    { name: 'settings', scopeKey: 'global', state: { shop: 'B' } },
  ]);
  release();
  await durable;
  await store.close();
  assert.deepEqual(JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8')), { shop: 'B' });
  assert.deepEqual(await query(database, `SELECT item FROM serverokey_items WHERE connector = 'catalogue'`), [{ item: { id: 1 } }]);
  assert.deepEqual(await query(database, `SELECT count(*)::int AS n FROM serverokey_state WHERE connector = 'settings'`), [{ n: 0 }]);
});

test('freshen: a state another host stored a moment ago (its notification not here yet) is read as stored', { skip }, async (t) => {
  const database = await cluster!.createDatabase();
  const store = await open(t, database, { counter: { type: 'lowdb', initialState: { n: 0 } }, items: { type: 'lowdb', initialState: { items: [] } } });
  assert.deepEqual(await store.read('counter', 'global'), { n: 0 });
  await store.read('items', 'global');
  // another host's commit as the database holds it, without a NOTIFY: nothing tells this host
  await query(database, `UPDATE serverokey_state SET state = '{"n": 7}'::json, version = version + 1 WHERE connector = 'counter' AND scope_key = 'global'`);
  assert.deepEqual(store.peek('counter', 'global'), { n: 0 }, 'the copy is the old one until asked');
  await store.freshen!([{ name: 'counter', scopeKey: 'global' }, { name: 'items', scopeKey: 'global' }, { name: 'counter', scopeKey: 'global' }]);
  assert.deepEqual(store.peek('counter', 'global'), { n: 7 });
  assert.deepEqual(await store.read('counter', 'global'), { n: 7 });
  assert.deepEqual(store.peek('items', 'global'), { items: [] }, 'an unchanged state stays as it was');

  // the database unreachable: the copy is read as held, at once
  await cluster!.stop();
  t.after(() => cluster!.start());
  await assert.rejects(update(store, 'counter', 'global', () => ({ n: 8 })));
  await store.freshen!([{ name: 'counter', scopeKey: 'global' }]);
  assert.deepEqual(store.peek('counter', 'global'), { n: 7 });
});
