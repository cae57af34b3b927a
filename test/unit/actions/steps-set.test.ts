// `set` and expression values inside steps: dotted paths, array indexes, live references, the
// original's edge cases (Appendix A: action-engine, action-engine-edge-cases) and D21 falsy writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ActionError } from '../../../server/actions/errors.js';
import { bench, failure } from '../../fixtures/steps-app/harness.mjs';

const cart = { type: 'lowdb' as const, initialState: { items: [{ id: 'a', qty: 1 }, { id: 'b', qty: 2 }], total: 0, tags: ['x'] } };

test('set: numbers as-is, strings as expressions, array concat, new nested objects, array indexes', async (t) => {
  const b = await bench(t, {
    connectors: { cart },
    routes: {
      'POST /a': {
        type: 'action',
        reads: ['cart'],
        writes: ['cart'],
        steps: [
          { set: 'data.cart.total', to: 15 },
          { set: 'data.cart.ten', to: '10' },
          { set: 'data.cart.label', to: "'text'" },
          { set: 'data.cart.tags', to: "data.cart.tags.concat(['y', 'z'])" },
          { set: 'data.cart.deep.a.b', to: 'data.cart.total * 2' },
          { set: 'data.cart.items.1.qty', to: 'data.cart.items[1].qty + 5' },
          { set: 'data.cart.items.0', to: "({ id: 'c', qty: 7 })" },
          { set: 'data.cart.flag', to: false },
          { set: 'data.cart.obj', to: { literal: 'object' } },
        ],
      },
    },
  });
  const out = await b.run('POST /a');
  const expected = {
    items: [{ id: 'c', qty: 7 }, { id: 'b', qty: 7 }],
    total: 15,
    tags: ['x', 'y', 'z'],
    ten: 10,
    label: 'text',
    deep: { a: { b: 30 } },
    flag: false,
    obj: { literal: 'object' },
  };
  assert.deepEqual(out.vars.data.cart, expected);
  assert.deepEqual(await b.read('cart'), expected);
  assert.deepEqual(JSON.parse(await b.file('cart')), expected);
  assert.deepEqual(out.changes.map((c) => c.name), ['cart']);
});

test('set: any root may be written; context is scratch and never stored', async (t) => {
  const b = await bench(t, {
    connectors: { cart },
    routes: {
      'POST /a': {
        type: 'action',
        reads: ['cart'],
        steps: [
          { set: 'context.tmp', to: 21 },
          { set: 'context.more.nested', to: 'context.tmp * 2' },
          { set: 'body.extra', to: "'added'" },
          { set: 'user.name', to: "'anon'" },
          { set: 'scratch.x', to: 1 },
        ],
      },
    },
  });
  const out = await b.run('POST /a', { given: 1 });
  assert.deepEqual(out.vars.context, { tmp: 21, more: { nested: 42 } });
  assert.deepEqual(out.vars.body, { given: 1, extra: 'added' });
  assert.deepEqual(out.vars.user, { name: 'anon' });
  assert.deepEqual(out.vars.scratch, { x: 1 });
  assert.deepEqual(out.changes, [], 'an action without writes stores nothing');
});

test('set through a live reference found by an expression mutates the item inside data (kassa relies on it)', async (t) => {
  const b = await bench(t, {
    connectors: { cart },
    routes: {
      'POST /a': {
        type: 'action',
        reads: ['cart'],
        writes: ['cart'],
        steps: [
          { set: 'context.found', to: 'data.cart.items.find(i => i.id === body.id)' },
          { set: 'context.found.qty', to: 'context.found.qty + 10' },
        ],
      },
    },
  });
  await b.run('POST /a', { id: 'b' });
  assert.deepEqual((await b.read('cart')).items, [{ id: 'a', qty: 1 }, { id: 'b', qty: 12 }]);
});

test('set on a property of a primitive fails the step with its path and stores nothing', async (t) => {
  const b = await bench(t, {
    connectors: { cart },
    routes: {
      'POST /a': {
        type: 'action',
        reads: ['cart'],
        writes: ['cart'],
        steps: [{ set: 'data.cart.total', to: 5 }, { set: 'data.cart.total.cents', to: 1 }],
      },
    },
  });
  const before = await b.file('cart').catch(() => null);
  const error = await failure(b.run('POST /a'));
  assert.ok(error instanceof ActionError);
  assert.equal(error.status, 500);
  assert.equal(error.details.step, 'routes["POST /a"].steps[1].set');
  assert.match(error.message, /data\.cart\.total" is a number/);
  assert.equal((await b.read('cart')).total, 0);
  assert.equal(await b.file('cart').catch(() => null), before);
});

test('set refuses prototype paths and non-string paths', async (t) => {
  const b = await bench(t, {
    routes: {
      'POST /proto': { type: 'action', steps: [{ set: 'context.__proto__.polluted', to: 1 }] },
      'POST /ctor': { type: 'action', steps: [{ set: 'context.x.constructor', to: 1 }] },
      'POST /empty': { type: 'action', steps: [{ set: 'context..x', to: 1 }] },
      'POST /nonstring': { type: 'action', steps: [{ set: 42, to: 1 } as never] },
    },
  });
  for (const key of ['POST /proto', 'POST /ctor', 'POST /empty', 'POST /nonstring']) {
    const error = await failure(b.run(key));
    assert.ok(error instanceof ActionError, key);
    assert.equal(error.status, 500, key);
    assert.match(String(error.details.step), /steps\[0\]/, key);
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('edge cases of the original: missing paths read as undefined, || fallback, JS string concat', async (t) => {
  const b = await bench(t, {
    connectors: { cart },
    routes: {
      'POST /a': {
        type: 'action',
        reads: ['cart'],
        steps: [
          { set: 'context.missing', to: 'data.cart.nonexistent' },
          { set: 'context.deep', to: 'data.nonexistent.property.deeper' },
          { set: 'context.fallback', to: "data.cart.nonexistent || 'default'" },
          { set: 'context.concat', to: "'a'.concat(1, null, body.nothing)" },
          { set: 'context.zodNumber', to: 'zod.string().transform(Number).parse(body.code)' },
          { set: 'context.early', to: 'context.notYet' },
        ],
      },
    },
  });
  const out = await b.run('POST /a', { code: '123' });
  const c = out.vars.context;
  assert.ok(Object.hasOwn(c, 'missing') && c.missing === undefined);
  assert.ok(Object.hasOwn(c, 'deep') && c.deep === undefined);
  assert.equal(c.fallback, 'default');
  assert.equal(c.concat, 'a1nullundefined');
  assert.equal(c.zodNumber, 123);
  assert.equal(c.early, undefined);
});

test('a syntax error fails the step naming route, step path and expression (the original set undefined)', async (t) => {
  const b = await bench(t, {
    connectors: { cart },
    routes: {
      'POST /action/addItem': {
        type: 'action',
        reads: ['cart'],
        writes: ['cart'],
        steps: [
          { set: 'data.cart.total', to: 1 },
          { set: 'data.cart.total', to: 2 },
          { if: 'true', then: [{ set: 'data.cart.count', to: 'data.count ++ 1' }] },
        ],
      },
    },
  });
  const error = await failure(b.run('POST /action/addItem'));
  assert.ok(error instanceof ActionError);
  assert.equal(error.status, 500);
  assert.equal(error.details.step, 'routes["POST /action/addItem"].steps[2].then[0].to');
  assert.ok(error.message.includes('routes["POST /action/addItem"].steps[2].then[0].to'), error.message);
  assert.ok(error.message.includes('data.count ++ 1'), error.message);
  assert.match(error.message, /syntax error/);
  assert.equal((await b.read('cart')).total, 0);
});

test('a thrown error and an unknown variable fail the step with the expression in the message', async (t) => {
  const b = await bench(t, {
    routes: {
      'POST /throw': { type: 'action', steps: [{ set: 'context.x', to: 'body.n.toFixed(-5)' }] },
      'POST /unknown': { type: 'action', steps: [{ set: 'context.x', to: 'nosuchname + 1' }] },
    },
  });
  const thrown = await failure(b.run('POST /throw', { n: 1 }));
  assert.equal(thrown.status, 500);
  assert.equal(thrown.details.step, 'routes["POST /throw"].steps[0].to');
  assert.match(thrown.message, /body\.n\.toFixed\(-5\)/);
  const unknown = await failure(b.run('POST /unknown'));
  assert.equal(unknown.status, 500);
  assert.match(unknown.message, /nosuchname/);
});

test('a zod failure is a 422 with field messages (the original wrapped it in "Step execution failed")', async (t) => {
  const b = await bench(t, {
    connectors: { cart },
    routes: {
      'POST /plain': {
        type: 'action',
        reads: ['cart'],
        writes: ['cart'],
        steps: [{ set: 'data.cart.total', to: 9 }, { set: 'context.name', to: 'zod.string().parse(body)' }],
      },
      'POST /object': {
        type: 'action',
        steps: [{ set: 'context.form', to: "zod.object({ name: zod.string().min(2, 'name too short'), qty: zod.number() }).parse(body)" }],
      },
    },
  });
  const plain = await failure(b.run('POST /plain', { not: 'a string' }));
  assert.ok(plain instanceof ActionError);
  assert.equal(plain.status, 422);
  assert.match(plain.message, /expected string, received object/);
  assert.equal(plain.details.step, 'routes["POST /plain"].steps[1].to');
  assert.equal((await b.read('cart')).total, 0);

  const object = await failure(b.run('POST /object', { name: 'x', qty: 'many' }));
  assert.equal(object.status, 422);
  assert.equal(object.details.fields.name, 'name too short');
  assert.match(object.details.fields.qty, /expected number/);
  assert.deepEqual(object.toBody(false).fields, object.details.fields);
});

test('D21: null, 0, "" and false are written faithfully, undefined is not written', async (t) => {
  const b = await bench(t, {
    connectors: { counter: { type: 'lowdb', initialState: { value: 1 } }, other: { type: 'lowdb', initialState: { kept: true } } },
    routes: {
      'POST /set': { type: 'action', reads: ['counter', 'other'], writes: ['counter', 'other'], steps: [{ set: 'data.counter', to: 'body.value' }, { set: 'data.other', to: 'body.missing' }] },
    },
  });
  for (const value of [null, 0, '', false]) {
    const out = await b.run('POST /set', { value });
    assert.deepEqual(out.changes.map((c) => c.name), ['counter'], `value ${JSON.stringify(value)}`);
    assert.equal(await b.read('counter'), value);
    assert.equal(JSON.parse(await b.file('counter')), value);
  }
  assert.deepEqual(await b.read('other'), { kept: true }, 'a connector set to undefined keeps its stored state');

  // after a restart the stored null is still null, not the initialState
  await b.store.close();
  const again = await bench(t, { connectors: b.manifest.connectors, routes: b.manifest.routes }, b.dataDir);
  await again.run('POST /set', { value: null });
  await again.store.close();
  const third = await bench(t, { connectors: b.manifest.connectors, routes: b.manifest.routes }, b.dataDir);
  assert.equal(await third.read('counter'), null);
});

test('a writes connector that was not read is replaced by what the steps built', async (t) => {
  const b = await bench(t, {
    connectors: { log: { type: 'lowdb', initialState: { old: true } } },
    routes: {
      'POST /a': { type: 'action', writes: ['log'], steps: [{ set: 'context.seen', to: 'data.log' }, { set: 'data.log.fresh', to: 1 }] },
      'POST /none': { type: 'action', writes: ['log'], steps: [] },
    },
  });
  const untouched = await b.run('POST /none');
  assert.deepEqual(untouched.changes, [], 'not read and not built: nothing written');
  assert.deepEqual(await b.read('log'), { old: true });
  const out = await b.run('POST /a');
  assert.equal(out.vars.context.seen, undefined, 'an unread connector is not shown to steps');
  assert.deepEqual(await b.read('log'), { fresh: 1 });
});

test('a literal object value is copied: later steps never change the manifest for the next request', async (t) => {
  const b = await bench(t, {
    routes: {
      'POST /a': {
        type: 'action',
        steps: [
          { set: 'context.obj', to: { n: 1, list: [] } },
          { set: 'context.obj.n', to: 'context.obj.n + 1' },
          { set: 'context.obj.list.0', to: "'x'" },
        ],
      },
    },
  });
  assert.deepEqual((await b.run('POST /a')).vars.context.obj, { n: 2, list: ['x'] });
  assert.deepEqual((await b.run('POST /a')).vars.context.obj, { n: 2, list: ['x'] });
  assert.deepEqual((b.manifest.routes['POST /a'] as { steps: Array<{ to: unknown }> }).steps[0].to, { n: 1, list: [] });
});
