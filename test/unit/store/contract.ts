// The Store contract, as one suite run against every backend (lowdb files, PostgreSQL): what readers see,
// all-or-nothing commits, locks, journals, scopes, migrations, computed fields and peek. Backend-specific
// behaviour (files on disk, the write-ahead log, tables) is tested next to each backend.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import type { ConnectorConfig } from '../../../server/manifest/types.js';
import type { JournalState, Logger, Store } from '../../../server/store/index.js';
import { InvalidChangeError, UnknownConnectorError } from '../../../server/store/index.js';
import { captureLog, update } from './helpers.js';

/** Where one test's data lives: a data folder, or a database. */
export type Place = string;

export interface StoreBackend {
  name: string;
  /** set when the backend cannot run here (the reason is the skip message) */
  skip?: string;
  /** a fresh, empty place for one test's data */
  fresh(t: TestContext): Promise<Place>;
  /** opens a store on `place`; the test closes it at its end */
  open(t: TestContext, place: Place, connectors: Record<string, ConnectorConfig>, log?: Logger): Promise<Store>;
}

type Receipt = { items: Array<Record<string, unknown>>; total?: unknown; note?: unknown; title?: string };
type List = { items: unknown[] };

export function storeContract(backend: StoreBackend): void {
  const it = (name: string, fn: (t: TestContext) => Promise<void>) => test(`${backend.name}: ${name}`, { skip: backend.skip }, fn);
  const open = (t: TestContext, place: Place, connectors: Record<string, ConnectorConfig>, log?: Logger) => backend.open(t, place, connectors, log);
  const fresh = async (t: TestContext, connectors: Record<string, ConnectorConfig>, log?: Logger) => open(t, await backend.fresh(t), connectors, log);

  it('initialState is used when nothing is stored, including its items, for every kind', async (t) => {
    const initialState = { items: [{ id: 1, name: 'tea' }], total: 0, title: 'shop' };
    const store = await fresh(t, {
      stored: { type: 'lowdb', initialState },
      memory: { type: 'memory', initialState },
      journal: { type: 'journal', initialState: { items: [{ sale: 1 }, { sale: 2 }] } },
      plain: { type: 'lowdb' },
    });
    assert.deepEqual(await store.read('stored', 'global'), initialState);
    assert.deepEqual(await store.read('memory', 'global'), initialState);
    assert.deepEqual(await store.read('journal', 'global'), { items: [{ sale: 1 }, { sale: 2 }], count: 2 });
    assert.deepEqual(await store.read('plain', 'global'), {});
  });

  it('null, 0, empty string and false are stored faithfully, nested and as the whole state', async (t) => {
    const place = await backend.fresh(t);
    const connectors = {
      meta: { type: 'lowdb' as const, initialState: { total: 5 } },
      zero: { type: 'lowdb' as const, initialState: { x: 1 } },
      nothing: { type: 'lowdb' as const, initialState: { x: 1 } },
      empty: { type: 'lowdb' as const, initialState: { x: 1 } },
      no: { type: 'lowdb' as const, initialState: { x: 1 } },
    };
    const store = await open(t, place, connectors);
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

    const reopened = await open(t, place, connectors);
    assert.deepEqual(await reopened.read('meta', 'global'), values);
    assert.equal(await reopened.read('zero', 'global'), 0);
    assert.equal(await reopened.read('nothing', 'global'), null);
    assert.equal(await reopened.read('empty', 'global'), '');
    assert.equal(await reopened.read('no', 'global'), false);
  });

  it('a state keeps its keys in order and its items as they were, through a reopen', async (t) => {
    const place = await backend.fresh(t);
    const connectors = { list: { type: 'lowdb' as const, initialState: { title: 'a', items: [] as unknown[], z: 1 } } };
    const store = await open(t, place, connectors);
    await update<List>(store, 'list', 'global', (state) => {
      state.items.push({ b: 1, a: 2 }, [1, { c: null }], 'text', 3.25);
    });
    // shrink, edit in the middle, then grow again: the stored rows follow
    await update<List>(store, 'list', 'global', (state) => {
      state.items.splice(1, 1);
      state.items[0] = { b: 2, a: 2 };
    });
    await update<List>(store, 'list', 'global', (state) => void state.items.push({ last: true }));
    await store.close();
    const reopened = await open(t, place, connectors);
    const state = (await reopened.read('list', 'global')) as List;
    assert.deepEqual(state, { title: 'a', items: [{ b: 2, a: 2 }, 'text', 3.25, { last: true }], z: 1 });
    assert.deepEqual(Object.keys(state), ['title', 'items', 'z']);
    assert.deepEqual(Object.keys(state.items[0] as object), ['b', 'a']);
    // a state that stops having an items array, and one that gets it back
    await update(reopened, 'list', 'global', () => ({ items: 'none' }));
    await update(reopened, 'list', 'global', () => ({ items: [1, 2] }));
    await reopened.close();
    const again = await open(t, place, connectors);
    assert.deepEqual(await again.read('list', 'global'), { items: [1, 2] });
  });

  it('reads and commits are deep copies: callers may mutate what they hold', async (t) => {
    const initialState = { items: [{ id: 1, qty: 1 }] };
    const store = await fresh(t, { receipt: { type: 'lowdb', initialState }, mem: { type: 'memory', initialState } });
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

  it('migrations back-fill missing fields on load and are persisted once', async (t) => {
    const place = await backend.fresh(t);
    const plain = { products: { type: 'lowdb' as const } };
    const seed = await open(t, place, plain);
    await update(seed, 'products', 'global', () => ({ items: [{ id: 1 }, { id: 2, active: false, tags: ['x'] }, 'not a record'], title: 'kept' }));
    await seed.close();
    const connectors = {
      products: {
        type: 'lowdb' as const,
        migrations: [
          { if_not_exists: 'active', set: { active: true } },
          { if_not_exists: 'tags', set: { tags: [], stock: 0 } },
        ],
      },
    };
    const expected = {
      items: [{ id: 1, active: true, tags: [], stock: 0 }, { id: 2, active: false, tags: ['x'] }, 'not a record'],
      title: 'kept',
    };
    const log = captureLog();
    const store = await open(t, place, connectors, log);
    assert.deepEqual(await store.read('products', 'global'), expected);
    assert.match(log.text('info'), /connector "products": migrations added missing fields; saved once/);
    await store.close();
    // without the rules: what is stored is the migrated state
    const stored = await open(t, place, plain);
    assert.deepEqual(await stored.read('products', 'global'), expected, 'the migrated state was not saved');
    await stored.close();
    const again = captureLog();
    const reopened = await open(t, place, connectors, again);
    assert.deepEqual(await reopened.read('products', 'global'), expected);
    assert.doesNotMatch(again.text(), /migrations/, 'an already migrated state was saved again');
  });

  it('computed rules apply on read and are never stored', async (t) => {
    const place = await backend.fresh(t);
    const initialState = { items: [{ price: '1.5' }, { price: 2 }, { price: 2 }, {}], discount: 1 };
    const store = await open(t, place, {
      receipt: {
        type: 'lowdb',
        initialState,
        computed: [
          { target: 'total', formula: 'sum(items, "price")', format: 'toFixed(2)' },
          { target: 'lines', formula: "count('items')" },
          { target: 'discount', format: 'toFixed(2)' },
          { target: 'bad', formula: 'process.exit(1)', defaultValue: 'n/a' },
          { target: 'fallback', defaultValue: 7 },
        ],
      },
    });
    const state = (await store.read('receipt', 'global')) as Record<string, unknown>;
    assert.equal(state.total, '5.50');
    assert.equal(state.lines, 4);
    assert.equal(state.discount, '1.00');
    assert.equal(state.bad, 'n/a');
    assert.equal(state.fallback, 7);
    await store.commit([{ name: 'receipt', scopeKey: 'global', state }]);
    assert.equal(((await store.read('receipt', 'global')) as Record<string, unknown>).total, '5.50');
    await store.close();
    // read without the rules: formula targets were not stored, format and default targets hold real values
    const bare = await open(t, place, { receipt: { type: 'lowdb', initialState } });
    assert.deepEqual(Object.keys((await bare.read('receipt', 'global')) as object).sort(), ['discount', 'fallback', 'items']);
  });

  it('a journal with computed rules can commit what it read', async (t) => {
    const store = await fresh(t, {
      sales: { type: 'journal', computed: [{ target: 'sold', formula: 'count(items)' }, { target: 'label', defaultValue: 'sales' }] },
    });
    const state = (await store.read('sales', 'global')) as { items: unknown[]; [key: string]: unknown };
    assert.deepEqual({ ...state }, { items: [], count: 0, sold: 0, label: 'sales' });
    state.items.push({ sale: 1 });
    await store.commit([{ name: 'sales', scopeKey: 'global', state }]);
    assert.deepEqual(await store.read('sales', 'global'), { items: [{ sale: 1 }], count: 1, sold: 1, label: 'sales' });
  });

  it('journals append records, count them, show the last N, and survive a reopen', async (t) => {
    const place = await backend.fresh(t);
    const connectors = { sales: { type: 'journal' as const, view: { last: 3 } }, log: { type: 'journal' as const, view: { last: 0 } } };
    const store = await open(t, place, connectors);
    assert.deepEqual(await store.read('sales', 'global'), { items: [], count: 0 });
    for (let sale = 1; sale <= 5; sale++) {
      await update(store, 'sales', 'global', (state: JournalState) => void state.items.push({ sale, total: sale * 1.5 }));
    }
    await update(store, 'sales', 'global', (state: JournalState) => void state.items.push({ sale: 6 }, { sale: 7 }));
    assert.deepEqual(await store.read('sales', 'global'), { items: [{ sale: 5, total: 7.5 }, { sale: 6 }, { sale: 7 }], count: 7 });
    await update(store, 'sales', 'global', () => {});
    await update(store, 'log', 'global', (state: JournalState) => void state.items.push({ event: 'open' }));
    assert.deepEqual(await store.read('log', 'global'), { items: [], count: 1 });
    await store.close();

    const reopened = await open(t, place, connectors);
    assert.deepEqual(await reopened.read('sales', 'global'), { items: [{ sale: 5, total: 7.5 }, { sale: 6 }, { sale: 7 }], count: 7 });
    await update(reopened, 'sales', 'global', (state: JournalState) => void state.items.push({ sale: 8 }));
    assert.deepEqual(await reopened.read('sales', 'global'), { items: [{ sale: 6 }, { sale: 7 }, { sale: 8 }], count: 8 });
    assert.deepEqual(await reopened.read('log', 'global'), { items: [], count: 1 });
    await reopened.close();
    const wider = await open(t, place, { sales: { type: 'journal', view: { last: 100 } } });
    assert.deepEqual(((await wider.read('sales', 'global')) as JournalState).items.map((record) => (record as { sale: number }).sale), [1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('journal records are immutable: editing, removing or adding other keys is refused', async (t) => {
    const store = await fresh(t, { sales: { type: 'journal', initialState: { items: [{ sale: 1 }, { sale: 2 }] } } });
    const read = async () => (await store.read('sales', 'global')) as JournalState;
    const commit = (state: unknown) => store.commit([{ name: 'sales', scopeKey: 'global', state }]);
    const edited = await read();
    (edited.items[1] as { sale: number }).sale = 20;
    await assert.rejects(commit(edited), /journal "sales": records are immutable; record 2 \(items\[1\]\) was changed/);
    const removed = await read();
    removed.items.shift();
    removed.items.push({ sale: 3 });
    await assert.rejects(commit(removed), /records are immutable; record 1 \(items\[0\]\) was changed/);
    const shorter = await read();
    shorter.items.pop();
    await assert.rejects(commit(shorter), /records are immutable and cannot be removed/);
    await assert.rejects(commit({ ...(await read()), total: 5 }), /journal "sales" holds only records; "total" cannot be stored/);
    await assert.rejects(commit([]), /the state must be \{ items: \[\.\.\.\] \}/);
    assert.deepEqual(await read(), { items: [{ sale: 1 }, { sale: 2 }], count: 2 });
  });

  it('a commit with one invalid change throws and changes nothing', async (t) => {
    const place = await backend.fresh(t);
    const connectors = {
      receipt: { type: 'lowdb' as const, initialState: { items: [] as unknown[] } },
      stock: { type: 'lowdb' as const, initialState: { tea: 10 } },
      sales: { type: 'journal' as const },
    };
    const store = await open(t, place, connectors);
    for (const name of Object.keys(connectors)) await store.read(name, 'global');
    await store.commit([
      { name: 'receipt', scopeKey: 'global', state: { items: [{ id: 'tea' }] } },
      { name: 'stock', scopeKey: 'global', state: { tea: 9 } },
      { name: 'sales', scopeKey: 'global', state: { items: [{ sale: 1 }] } },
    ]);
    const valid = { name: 'receipt', scopeKey: 'global', state: { items: [] } };
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    const invalid: Array<[unknown, RegExp]> = [
      [{ tea: NaN }, /connector "stock": state\.tea is NaN/],
      [{ tea: 1, when: new Date(0) }, /state\.when is a Date.*toISOString/],
      [{ tea: 1, fn: () => 1 }, /state\.fn is a function/],
      [cyclic, /state\.self(\.self)? refers to itself/],
      [undefined, /connector "stock": state is undefined/],
    ];
    for (const [state, message] of invalid) {
      await assert.rejects(store.commit([valid, { name: 'stock', scopeKey: 'global', state }]), (error: Error) => {
        assert.ok(error instanceof InvalidChangeError, `${error.name}: ${error.message}`);
        assert.match(error.message, message);
        return true;
      });
    }
    await assert.rejects(store.commit([valid, valid]), /connector "receipt" appears twice in one commit/);
    await assert.rejects(store.commit([valid, { name: 'nope', scopeKey: 'global', state: {} }]), /unknown connector "nope"/);
    await store.flush();
    assert.deepEqual(await store.read('receipt', 'global'), { items: [{ id: 'tea' }] });
    assert.deepEqual(await store.read('stock', 'global'), { tea: 9 });
    await store.close();
    const reopened = await open(t, place, connectors);
    assert.deepEqual(await reopened.read('receipt', 'global'), { items: [{ id: 'tea' }] });
    assert.deepEqual(await reopened.read('stock', 'global'), { tea: 9 });
    assert.deepEqual(await reopened.read('sales', 'global'), { items: [{ sale: 1 }], count: 1 });
  });

  it('a persistent connector cannot be committed before it was read', async (t) => {
    const store = await fresh(t, { receipt: { type: 'lowdb', scope: 'terminal' }, mem: { type: 'memory', scope: 'terminal' } });
    await assert.rejects(
      store.commit([{ name: 'receipt', scopeKey: 't1', state: {} }]),
      /connector "receipt" \(terminal "t1"\) was committed before it was read/,
    );
    await store.commit([{ name: 'mem', scopeKey: 't1', state: { ok: true } }]);
    assert.deepEqual(await store.read('mem', 't1'), { ok: true });
  });

  it('unknown connectors are refused by name', async (t) => {
    const store = await fresh(t, { receipt: { type: 'lowdb' }, session: { type: 'memory' } });
    assert.throws(() => store.info('nope'), UnknownConnectorError);
    await assert.rejects(store.read('nope', 'global'), /unknown connector "nope" \(known: receipt, session\)/);
    assert.deepEqual(store.names(), ['receipt', 'session']);
    assert.equal(store.info('session').persistent, false);
    assert.equal(store.info('receipt').persistent, true);
  });

  it('scoped connectors keep one state per key; global ones ignore the key; memory does not survive a reopen', async (t) => {
    const place = await backend.fresh(t);
    const connectors = {
      receipt: { type: 'lowdb' as const, scope: 'terminal' as const, initialState: { items: [] } },
      search: { type: 'memory' as const, scope: 'user' as const, initialState: { q: '' } },
      shop: { type: 'lowdb' as const, initialState: { name: 'A' } },
      shifts: { type: 'journal' as const, scope: 'terminal' as const },
    };
    const store = await open(t, place, connectors);
    await update(store, 'receipt', 'till-1', (state: Receipt) => void state.items.push({ id: 'one' }));
    await update(store, 'receipt', 'till/2', (state: Receipt) => void state.items.push({ id: 'two' }));
    await update(store, 'search', 'ann', () => ({ q: 'milk' }));
    await update(store, 'shop', 'till-1', () => ({ name: 'B' }));
    await update(store, 'shifts', 'till 1', (state: JournalState) => void state.items.push({ open: 1 }));
    assert.deepEqual(await store.read('receipt', 'till-1'), { items: [{ id: 'one' }] });
    assert.deepEqual(await store.read('receipt', 'till/2'), { items: [{ id: 'two' }] });
    assert.deepEqual(await store.read('receipt', 'till-3'), { items: [] });
    assert.deepEqual(await store.read('search', 'ann'), { q: 'milk' });
    assert.deepEqual(await store.read('search', 'bob'), { q: '' });
    assert.deepEqual(await store.read('shop', 'till-2'), { name: 'B' }, 'a global connector differed per key');
    await assert.rejects(store.read('receipt', ''), /keeps one state per terminal/);
    await store.close();

    const reopened = await open(t, place, connectors);
    assert.deepEqual(await reopened.read('receipt', 'till/2'), { items: [{ id: 'two' }] });
    assert.deepEqual(await reopened.read('receipt', 'till-1'), { items: [{ id: 'one' }] });
    assert.deepEqual(await reopened.read('shifts', 'till 1'), { items: [{ open: 1 }], count: 1 });
    assert.deepEqual(await reopened.read('shifts', 'till-2'), { items: [], count: 0 });
    assert.deepEqual(await reopened.read('shop', 'global'), { name: 'B' });
    assert.deepEqual(await reopened.read('search', 'ann'), { q: '' }, 'memory state survived a restart');
  });

  it('8 concurrent callers x 50 read-modify-write commits end with exactly 400, also for a store opened without a close', async (t) => {
    const place = await backend.fresh(t);
    type Counter = { items: Array<{ id: string; quantity: number }> };
    const connectors = { receipt: { type: 'lowdb' as const, initialState: { items: [{ id: 'tea', quantity: 0 }] } } };
    const store = await open(t, place, connectors);
    const caller = async () => {
      for (let round = 0; round < 50; round++) {
        await update(store, 'receipt', 'global', (state: Counter) => {
          state.items[0].quantity += 1;
        });
      }
    };
    await Promise.all(Array.from({ length: 8 }, caller));
    assert.equal(((await store.read('receipt', 'global')) as Counter).items[0].quantity, 400);
    // every commit promise has resolved: a store opened now (what a restart after a crash does) finds it
    const afterCrash = await open(t, place, connectors);
    assert.equal(((await afterCrash.read('receipt', 'global')) as Counter).items[0].quantity, 400);
  });

  it('locks on several connectors taken in any order do not deadlock and exclude each other', async (t) => {
    const store = await fresh(t, { a: { type: 'lowdb', initialState: { n: 0 } }, b: { type: 'lowdb', initialState: { n: 0 } } });
    let inside = 0;
    let most = 0;
    const worker = async (targets: Array<{ name: string; scopeKey: string }>) => {
      for (let round = 0; round < 20; round++) {
        const release = await store.lock(targets);
        inside++;
        most = Math.max(most, inside);
        const a = (await store.read('a', 'global')) as { n: number };
        const b = (await store.read('b', 'global')) as { n: number };
        await new Promise((resolve) => setImmediate(resolve));
        const durable = store.commit([
          { name: 'a', scopeKey: 'global', state: { n: a.n + 1 } },
          { name: 'b', scopeKey: 'global', state: { n: b.n + 1 } },
        ]);
        inside--;
        release();
        await durable;
      }
    };
    const ab = [{ name: 'a', scopeKey: 'global' }, { name: 'b', scopeKey: 'global' }];
    const ba = [{ name: 'b', scopeKey: 'x' }, { name: 'a', scopeKey: 'y' }, { name: 'b', scopeKey: 'global' }];
    await Promise.all([worker(ab), worker(ba), worker(ab), worker(ba)]);
    assert.equal(most, 1, 'two callers held the same lock at once');
    assert.deepEqual(await store.read('a', 'global'), { n: 80 });
    assert.deepEqual(await store.read('b', 'global'), { n: 80 });
  });

  it('concurrent multi-connector commits keep every connector in step', async (t) => {
    const place = await backend.fresh(t);
    const connectors = {
      receipt: { type: 'lowdb' as const, initialState: { items: [] as unknown[] } },
      stock: { type: 'lowdb' as const, initialState: { tea: 10 } },
      sales: { type: 'journal' as const },
    };
    const store = await open(t, place, connectors);
    const sale = async (index: number) => {
      const release = await store.lock([{ name: 'stock', scopeKey: 'global' }, { name: 'sales', scopeKey: 'global' }, { name: 'receipt', scopeKey: 'global' }]);
      let durable: Promise<void>;
      try {
        const stock = (await store.read('stock', 'global')) as { tea: number };
        const sales = (await store.read('sales', 'global')) as { items: unknown[] };
        sales.items.push({ sale: index });
        const changes = [
          { name: 'stock', scopeKey: 'global', state: { tea: stock.tea - 1 } },
          { name: 'sales', scopeKey: 'global', state: sales },
        ];
        if (index % 3 === 0) changes.pop();
        if (index % 5 === 0) changes.push({ name: 'receipt', scopeKey: 'global', state: { items: [{ last: index }] } });
        durable = store.commit(changes);
      } finally {
        release();
      }
      await durable;
    };
    await Promise.all(Array.from({ length: 30 }, (_, index) => sale(index + 1)));
    await store.close();
    const reopened = await open(t, place, connectors);
    assert.deepEqual(await reopened.read('stock', 'global'), { tea: -20 });
    assert.equal(((await reopened.read('sales', 'global')) as { count: number }).count, 20);
    assert.deepEqual(await reopened.read('receipt', 'global'), { items: [{ last: 30 }] });
  });

  it('a commit is visible to a writer\'s read at once, to readers once durable; reads take no lock', async (t) => {
    const store = await fresh(t, { receipt: { type: 'lowdb', initialState: { n: 0 } } });
    await store.read('receipt', 'global');
    const release = await store.lock([{ name: 'receipt', scopeKey: 'global' }]);
    const durable = store.commit([{ name: 'receipt', scopeKey: 'global', state: { n: 1 } }]);
    assert.deepEqual(await store.read('receipt', 'global'), { n: 1 }, 'a read waited for the lock or for durability');
    assert.deepEqual(store.peek('receipt', 'global', { latest: true }), { n: 1 });
    release();
    await durable;
    assert.deepEqual(store.peek('receipt', 'global'), { n: 1 });
    assert.deepEqual(await store.read('receipt', 'global', { durable: true }), { n: 1 });
  });

  it('peek hands out the same frozen state without copying; read stays a mutable copy', async (t) => {
    const store = await fresh(t, { receipt: { type: 'lowdb', initialState: { items: [{ id: 1, qty: 1 }], title: 'shop' } } });
    const first = store.peek('receipt', 'global') as Receipt;
    assert.deepEqual(first, { items: [{ id: 1, qty: 1 }], title: 'shop' });
    assert.equal(store.peek('receipt', 'global'), first, 'peek copied the state');
    assert.ok(Object.isFrozen(first) && Object.isFrozen(first.items) && Object.isFrozen(first.items[0]));
    assert.throws(() => {
      first.title = 'changed';
    }, TypeError);
    const read = (await store.read('receipt', 'global')) as Receipt;
    assert.notEqual(read, first);
    read.items.push({ id: 2 });
    assert.deepEqual(store.peek('receipt', 'global'), { items: [{ id: 1, qty: 1 }], title: 'shop' });
    await update<Receipt>(store, 'receipt', 'global', (state) => void state.items.push({ id: 2, qty: 3 }));
    const after = store.peek('receipt', 'global') as Receipt;
    assert.notEqual(after, first, 'peek kept the old identity after a commit');
    assert.deepEqual(after.items, [{ id: 1, qty: 1 }, { id: 2, qty: 3 }]);
    assert.deepEqual(first.items, [{ id: 1, qty: 1 }], 'the old peeked state changed');
  });

  it('peek shows a commit once it is durable; { latest: true } at once; computed fields included', async (t) => {
    const store = await fresh(t, {
      counter: { type: 'lowdb', initialState: { n: 0 } },
      receipt: { type: 'lowdb', initialState: { items: [{ qty: 2 }, { qty: 3 }] }, computed: [{ target: 'total', formula: 'sum(items, "qty")' }] },
    });
    await store.read('counter', 'global');
    const durable = store.commit([{ name: 'counter', scopeKey: 'global', state: { n: 1 } }]);
    assert.deepEqual(store.peek('counter', 'global'), { n: 0 }, 'readers saw a change that may still be refused');
    assert.deepEqual(store.peek('counter', 'global', { latest: true }), { n: 1 });
    await durable;
    assert.deepEqual(store.peek('counter', 'global'), { n: 1 });
    assert.equal((store.peek('receipt', 'global') as Receipt).total, 5);
    await update<Receipt>(store, 'receipt', 'global', (state) => void state.items.push({ qty: 10 }));
    assert.equal((store.peek('receipt', 'global') as Receipt).total, 15);
  });

  it('a scoped state is undefined for peek until read loads it, and scopes stay apart', async (t) => {
    const store = await fresh(t, { cart: { type: 'lowdb', scope: 'terminal', initialState: { items: [] } } });
    assert.equal(store.peek('cart', 'terminal-a'), undefined);
    await store.read('cart', 'terminal-a');
    assert.deepEqual(store.peek('cart', 'terminal-a'), { items: [] });
    assert.equal(store.peek('cart', 'terminal-b'), undefined);
    await update<Receipt>(store, 'cart', 'terminal-a', (state) => void state.items.push({ id: 1 }));
    await store.read('cart', 'terminal-b');
    assert.deepEqual(store.peek('cart', 'terminal-a'), { items: [{ id: 1 }] });
    assert.deepEqual(store.peek('cart', 'terminal-b'), { items: [] });
  });

  it('status is ok while writing works', async (t) => {
    const store = await fresh(t, { a: { type: 'lowdb' } });
    assert.deepEqual(store.status(), { ok: true });
  });

  // --- journal queries (journal:read): the same answers from the file index and from SQL -------------

  const salesIndex = ['day', 'cashier.login', 'method', 'total', 'number', 'tags'];
  /** record n (1-based) of the query tests: three days, two cashiers, cash and card, totals 10·n */
  const saleRecord = (n: number) => ({
    number: n,
    day: `2026-12-0${1 + Math.floor((n - 1) / 10)}`,
    cashier: { login: n % 2 === 0 ? 'anna' : 'boris' },
    method: n % 3 === 0 ? 'card' : 'cash',
    total: n * 10,
    tags: n % 5 === 0 ? ['promo', 'big'] : [],
  });
  const appendSales = async (store: Store, name: string, scopeKey: string, from: number, to: number) => {
    await update<{ items: unknown[] }>(store, name, scopeKey, (state) => {
      for (let n = from; n <= to; n++) state.items.push(saleRecord(n));
    });
  };
  const numbers = (page: { items: unknown[] }) => page.items.map((item) => (item as { number: number }).number);

  it('journal queries: filters by indexed fields, pages newest first, beyond view.last', async (t) => {
    const store = await fresh(t, { sales: { type: 'journal', view: { last: 2 }, index: salesIndex } });
    await store.read('sales', 'global');
    await appendSales(store, 'sales', 'global', 1, 12);
    await appendSales(store, 'sales', 'global', 13, 30);
    const q = (query: Parameters<Store['queryJournal']>[2]) => store.queryJournal('sales', 'global', query);

    const all = await q({ size: 7 });
    assert.deepEqual({ ...all, items: numbers(all) }, { items: [30, 29, 28, 27, 26, 25, 24], page: 1, pages: 5, total: 30, size: 7 });
    assert.deepEqual(numbers(await q({ size: 7, page: 2 })), [23, 22, 21, 20, 19, 18, 17]);
    assert.deepEqual(numbers(await q({ size: 7, page: 99 })), [2, 1], 'a page past the end shows the last one');
    assert.deepEqual(numbers(await q({ size: 4, order: 'oldest' })), [1, 2, 3, 4]);
    const day = await q({ where: { day: '2026-12-02' }, size: 100 });
    assert.deepEqual(numbers(day), [20, 19, 18, 17, 16, 15, 14, 13, 12, 11]);
    assert.equal(day.total, 10);
    assert.deepEqual(numbers(await q({ where: { number: '17' } })), [17], 'a number equals its text');
    assert.deepEqual(numbers(await q({ where: { number: 17 } })), [17]);
    assert.deepEqual(
      numbers(await q({ where: { day: '2026-12-03', 'cashier.login': 'anna', method: 'card' } })),
      [30, 24],
      'every condition holds',
    );
    assert.deepEqual(numbers(await q({ where: { method: ['card'], 'cashier.login': ['anna', 'nobody'] }, order: 'oldest' })), [6, 12, 18, 24, 30]);
    assert.deepEqual(numbers(await q({ where: { total: { from: '95', to: 130 } }, order: 'oldest' })), [10, 11, 12, 13]);
    assert.deepEqual(numbers(await q({ where: { total: { from: 285 } } })), [30, 29]);
    assert.deepEqual(numbers(await q({ where: { total: { from: 'a lot' } } })), [], 'a bound that is no number matches no number');
    assert.deepEqual(numbers(await q({ where: { day: { from: '2026-12-02', to: '2026-12-02' }, method: 'card' } })), [18, 15, 12]);
    assert.deepEqual(numbers(await q({ where: { day: { to: '2026-12-01' }, total: { to: 20 } } })), [2, 1]);
    assert.deepEqual(numbers(await q({ where: { tags: 'promo' } })), [30, 25, 20, 15, 10, 5], 'a list holds each of its values');
    assert.deepEqual(numbers(await q({ where: { tags: { from: 'big', to: 'big' }, day: '2026-12-01' } })), [10, 5]);
    const none = await q({ where: { day: '2027-01-01' } });
    assert.deepEqual({ ...none, items: numbers(none) }, { items: [], page: 1, pages: 1, total: 0, size: 20 });
    assert.equal((await q({ where: { day: '', method: null, number: undefined, total: { from: '', to: null } } })).total, 30, 'empty values filter nothing');
    await assert.rejects(q({ where: { terminal: 'a' } }), /not indexed by "terminal".*add "terminal" to connectors\.sales\.index/);
    await assert.rejects(q({ where: { number: { from: 1, upto: 2 } } }), /a range is \{ from, to \}/);
    await assert.rejects(q({ order: 'sideways' as 'newest' }), /order is "newest" or "oldest"/);
    assert.equal((await q({ size: 10_000 })).size, 500);
  });

  it('journal queries see records just committed and after a reopen, per scope', async (t) => {
    const place = await backend.fresh(t);
    const connectors = { sales: { type: 'journal' as const, scope: 'terminal' as const, view: { last: 1 }, index: ['day', 'number'] }, stock: { type: 'lowdb' as const, initialState: {} } };
    const store = await open(t, place, connectors);
    await store.read('sales', 'a');
    await store.read('sales', 'b');
    await appendSales(store, 'sales', 'a', 1, 5);
    assert.deepEqual(numbers(await store.queryJournal('sales', 'a', { where: { day: '2026-12-01' } })), [5, 4, 3, 2, 1]);
    // one record at a time, each queried at once (in the file store: before its checkpoint)
    for (let n = 6; n <= 12; n++) {
      await appendSales(store, 'sales', 'a', n, n);
      assert.deepEqual(numbers(await store.queryJournal('sales', 'a', { where: { number: n } })), [n]);
    }
    await appendSales(store, 'sales', 'b', 100, 101);
    assert.deepEqual(numbers(await store.queryJournal('sales', 'a', { where: { day: '2026-12-02' } })), [12, 11]);
    assert.deepEqual(numbers(await store.queryJournal('sales', 'b', {})), [101, 100]);
    await assert.rejects(store.queryJournal('stock', 'global', {}), /connector "stock" is .*not a journal/);
    await store.close();

    const reopened = await open(t, place, connectors);
    await reopened.read('sales', 'a');
    assert.deepEqual(numbers(await reopened.queryJournal('sales', 'a', { where: { day: '2026-12-01' }, size: 3, page: 2 })), [7, 6, 5]);
    await appendSales(reopened, 'sales', 'a', 13, 13);
    assert.deepEqual(numbers(await reopened.queryJournal('sales', 'a', { size: 2 })), [13, 12]);
    assert.equal((await reopened.queryJournal('sales', 'a', {})).total, 13);
  });
}
