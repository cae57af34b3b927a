// if/then/else, forEach (D4 fixed), client:redirect and its interrupt, auth:login/logout, fail, and the
// step registry's refusal of unknown kinds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ActionError } from '../../../server/actions/errors.js';
import { STEP_KINDS, stepKindOf } from '../../../server/actions/run-steps.js';
import { bench, failure } from '../../fixtures/steps-app/harness.mjs';

test('if takes then on truthy, else on falsy (0, "", null, undefined, NaN), both branches optional', async (t) => {
  const b = await bench(t, {
    routes: {
      'POST /a': {
        type: 'action',
        steps: [
          { if: 'body.v', then: [{ set: 'context.branch', to: "'then'" }], else: [{ set: 'context.branch', to: "'else'" }] },
          { if: 'body.v', then: [{ set: 'context.onlyThen', to: true }] },
          { if: 'body.v', else: [{ set: 'context.onlyElse', to: true }] },
          { if: false, then: [{ set: 'context.literalFalse', to: "'then'" }], else: [{ set: 'context.literalFalse', to: "'else'" }] },
        ],
      },
    },
  });
  for (const v of [0, '', null, undefined, 'NaN']) {
    const out = await b.run('POST /a', v === 'NaN' ? { v: Number.NaN } : { v });
    assert.equal(out.vars.context.branch, 'else', `value ${String(v)}`);
    assert.equal(out.vars.context.onlyThen, undefined);
    assert.equal(out.vars.context.onlyElse, true);
  }
  for (const v of [1, 'x', [], {}]) {
    const out = await b.run('POST /a', { v });
    assert.equal(out.vars.context.branch, 'then', `value ${JSON.stringify(v)}`);
    assert.equal(out.vars.context.onlyThen, true);
    assert.equal(out.vars.context.onlyElse, undefined);
  }
  assert.equal((await b.run('POST /a', {})).vars.context.literalFalse, 'else', 'a literal false is a condition, not an unknown step');
});

test('forEach binds the loop variable in the same context: mutations through it reach data (D4)', async (t) => {
  const b = await bench(t, {
    connectors: { cart: { type: 'lowdb', initialState: { items: [{ price: 3, qty: 2 }, { price: 5, qty: 1 }], total: 0 } } },
    routes: {
      'POST /a': {
        type: 'action',
        reads: ['cart'],
        writes: ['cart'],
        steps: [
          { set: 'data.cart.total', to: 0 },
          {
            forEach: 'data.cart.items',
            as: 'line',
            steps: [
              { set: 'line.sum', to: 'line.price * line.qty' },
              { set: 'line.position', to: 'lineIndex' },
              { set: 'data.cart.total', to: 'data.cart.total + line.sum' },
            ],
          },
        ],
      },
    },
  });
  const out = await b.run('POST /a');
  const expected = { items: [{ price: 3, qty: 2, sum: 6, position: 0 }, { price: 5, qty: 1, sum: 5, position: 1 }], total: 11 };
  assert.deepEqual(out.vars.data.cart, expected);
  assert.deepEqual(JSON.parse(await b.file('cart')), expected);
  assert.equal(Object.hasOwn(out.vars, 'line'), false, 'the loop variable does not leak');
  assert.equal(Object.hasOwn(out.vars, 'lineIndex'), false);
});

test('forEach: default name item, the shadowed variable is restored, nested loops keep their bindings', async (t) => {
  const b = await bench(t, {
    routes: {
      'POST /a': {
        type: 'action',
        steps: [
          { set: 'item', to: "'outer value'" },
          { set: 'context.seen', to: '[]' },
          {
            forEach: 'body.rows',
            steps: [
              {
                forEach: 'item.cells',
                as: 'item',
                steps: [{ set: 'context.seen', to: 'context.seen.concat([itemIndex + ":" + item])' }],
              },
              { set: 'context.seen', to: "context.seen.concat(['row ' + itemIndex + ' ' + item.name])" },
            ],
          },
          { set: 'context.after', to: 'item' },
        ],
      },
    },
  });
  const out = await b.run('POST /a', { rows: [{ name: 'r0', cells: ['a', 'b'] }, { name: 'r1', cells: ['c'] }] });
  assert.deepEqual(out.vars.context.seen, ['0:a', '1:b', 'row 0 r0', '0:c', 'row 1 r1']);
  assert.equal(out.vars.context.after, 'outer value');
});

test('forEach over a non-array or an empty list runs nothing; a built-in name as loop variable is refused', async (t) => {
  const b = await bench(t, {
    routes: {
      'POST /a': { type: 'action', steps: [{ forEach: 'body.list', steps: [{ set: 'context.ran', to: true }] }] },
      'POST /bad': { type: 'action', steps: [{ forEach: '[1]', as: 'data', steps: [] }] },
    },
  });
  for (const list of [undefined, null, 5, 'abc', { length: 2 }, []]) {
    assert.equal((await b.run('POST /a', { list })).vars.context.ran, undefined, JSON.stringify(list));
  }
  const error = await failure(b.run('POST /bad'));
  assert.equal(error.status, 500);
  assert.equal(error.details.step, 'routes["POST /bad"].steps[0].as');
});

test('every name expressions see is refused as a loop variable, terminal included', async (t) => {
  const b = await bench(t, {
    routes: { 'POST /hides-terminal': { type: 'action', steps: [{ forEach: '[1]', as: 'terminal', steps: [] }] } },
  });
  const error = await failure(b.run('POST /hides-terminal'));
  assert.equal(error.details.step, 'routes["POST /hides-terminal"].steps[0].as');
  assert.match(error.message, /would hide a built-in variable/);
});

test('a failing step inside forEach names the loop body path', async (t) => {
  const b = await bench(t, {
    routes: {
      'POST /a': {
        type: 'action',
        steps: [{ forEach: '[1, 2]', as: 'n', steps: [{ set: 'context.ok', to: true }, { set: 'context.x', to: 'n.toFixed(-1)' }] }],
      },
    },
  });
  const error = await failure(b.run('POST /a'));
  assert.equal(error.details.step, 'routes["POST /a"].steps[0].steps[1].to');
});

test('client:redirect: string, { url, full }, literal object, bare path; it stops every enclosing list', async (t) => {
  const b = await bench(t, {
    routes: {
      'POST /string': { type: 'action', steps: [{ 'client:redirect': "'/login?error=1'" }, { set: 'context.after', to: true }] },
      'POST /object': { type: 'action', steps: [{ 'client:redirect': "({ url: '/', full: true })" }] },
      'POST /bare-object': { type: 'action', steps: [{ 'client:redirect': "{ url: '/x', full: false }" }] },
      'POST /literal': { type: 'action', steps: [{ 'client:redirect': { url: '/lit', full: true } }] },
      'POST /bare-path': { type: 'action', steps: [{ 'client:redirect': '/login' }] },
      'POST /slash-path': { type: 'action', steps: [{ 'client:redirect': '/orders/' }] },
      'POST /regex-like': { type: 'action', steps: [{ 'client:redirect': '/a/g' }] },
      'POST /nested': {
        type: 'action',
        steps: [
          {
            forEach: '[1, 2, 3]',
            as: 'n',
            steps: [
              { set: 'context.visited', to: '(context.visited || []).concat([n])' },
              { if: 'n === 2', then: [{ if: 'true', then: [{ 'client:redirect': "'/stop/' + n" }, { set: 'context.innerAfter', to: true }] }] },
              { set: 'context.sameIterationAfter', to: 'n' },
            ],
          },
          { set: 'context.outerAfter', to: true },
        ],
      },
      'POST /empty': { type: 'action', steps: [{ 'client:redirect': 'body.nothing' }] },
    },
  });
  const s = await b.run('POST /string');
  assert.equal(s.redirect, '/login?error=1');
  assert.equal(s.vars.context.after, undefined);
  assert.deepEqual((await b.run('POST /object')).redirect, { url: '/', full: true });
  assert.deepEqual((await b.run('POST /bare-object')).redirect, { url: '/x', full: false });
  assert.deepEqual((await b.run('POST /literal')).redirect, { url: '/lit', full: true });
  assert.equal((await b.run('POST /bare-path')).redirect, '/login', 'an unquoted path is taken literally');
  assert.equal((await b.run('POST /slash-path')).redirect, '/orders/', 'even one that would parse as a regular expression');
  assert.equal((await b.run('POST /regex-like')).redirect, '/a/g');

  const n = await b.run('POST /nested');
  assert.equal(n.redirect, '/stop/2');
  assert.deepEqual(n.vars.context.visited, [1, 2], 'the loop stops at the redirect');
  assert.equal(n.vars.context.sameIterationAfter, 1, 'the rest of the redirecting iteration does not run');
  assert.equal(n.vars.context.innerAfter, undefined);
  assert.equal(n.vars.context.outerAfter, undefined);

  const empty = await failure(b.run('POST /empty'));
  assert.equal(empty.status, 500);
  assert.match(empty.message, /client:redirect needs a URL/);
});

test('a redirect still commits the writes made before it', async (t) => {
  const b = await bench(t, {
    connectors: { counter: { type: 'lowdb', initialState: { n: 0 } } },
    routes: {
      'POST /a': {
        type: 'action',
        reads: ['counter'],
        writes: ['counter'],
        steps: [{ set: 'data.counter.n', to: 1 }, { 'client:redirect': "'/done'" }, { set: 'data.counter.n', to: 2 }],
      },
    },
  });
  const out = await b.run('POST /a');
  assert.equal(out.redirect, '/done');
  assert.deepEqual(await b.read('counter'), { n: 1 });
  assert.deepEqual(JSON.parse(await b.file('counter')), { n: 1 });
});

test('auth:login records the user, auth:logout cancels it; neither stops the steps', async (t) => {
  const b = await bench(t, {
    connectors: { user: { type: 'memory', initialState: { items: [{ login: 'kassir', name: 'Иванов' }] } } },
    routes: {
      'POST /login': {
        type: 'action',
        reads: ['user'],
        steps: [{ 'auth:login': 'data.user.items.find(u => u.login === body.login)' }, { set: 'context.after', to: true }],
      },
      'POST /login-then-logout': {
        type: 'action',
        reads: ['user'],
        steps: [{ 'auth:login': 'data.user.items[0]' }, { 'auth:logout': true }],
      },
      'POST /logout-then-login': {
        type: 'action',
        reads: ['user'],
        steps: [{ 'auth:logout': true }, { 'auth:login': 'data.user.items[0]' }],
      },
      'POST /logout-false': { type: 'action', steps: [{ 'auth:logout': false } as never] },
    },
  });
  const login = await b.run('POST /login', { login: 'kassir' });
  assert.deepEqual(login.login, { login: 'kassir', name: 'Иванов' });
  assert.equal(login.logout, false);
  assert.equal(login.vars.context.after, true);

  const nobody = await failure(b.run('POST /login', { login: 'stranger' }));
  assert.equal(nobody.status, 500);
  assert.equal(nobody.details.step, 'routes["POST /login"].steps[0]');
  assert.match(nobody.message, /auth:login needs a user record/);

  const both = await b.run('POST /login-then-logout');
  assert.equal(both.login, undefined);
  assert.equal(both.logout, true);
  const reverse = await b.run('POST /logout-then-login');
  assert.equal(reverse.logout, false);
  assert.equal(reverse.login?.login, 'kassir');
  assert.equal((await b.run('POST /logout-false')).logout, false);
});

test('fail refuses the action with its status, message and field; nothing is written', async (t) => {
  const b = await bench(t, {
    connectors: { counter: { type: 'lowdb', initialState: { n: 0 } } },
    routes: {
      'POST /refuse': {
        type: 'action',
        reads: ['counter'],
        writes: ['counter'],
        steps: [{ set: 'data.counter.n', to: 1000 }, { fail: "'Нельзя: ' + body.why", status: 409, field: 'why' }],
      },
      'POST /default': { type: 'action', steps: [{ fail: "'unknown product'" }] },
      'POST /bad-status': { type: 'action', steps: [{ fail: "'x'", status: 200 }] },
      'POST /empty': { type: 'action', steps: [{ fail: 'body.none' }] },
    },
  });
  const refused = await failure(b.run('POST /refuse', { why: 'закрыто' }));
  assert.ok(refused instanceof ActionError);
  assert.equal(refused.status, 409);
  assert.equal(refused.message, 'Нельзя: закрыто');
  assert.deepEqual(refused.details.fields, { why: 'Нельзя: закрыто' });
  assert.equal(refused.details.step, 'routes["POST /refuse"].steps[1]');
  assert.deepEqual(refused.toBody(false), { status: 409, message: 'Нельзя: закрыто', fields: { why: 'Нельзя: закрыто' }, step: 'routes["POST /refuse"].steps[1]' });
  assert.deepEqual(await b.read('counter'), { n: 0 });

  const plain = await failure(b.run('POST /default'));
  assert.equal(plain.status, 422);
  assert.equal(plain.message, 'unknown product');
  assert.equal(plain.details.fields, undefined);
  assert.equal((await failure(b.run('POST /bad-status'))).status, 422, 'a status outside 4xx/5xx falls back to 422');
  assert.equal((await failure(b.run('POST /empty'))).message, 'action refused');
});

test('an unknown step kind fails with its keys, the known kinds and its path', async (t) => {
  const b = await bench(t, {
    routes: {
      'POST /a': { type: 'action', steps: [{ set: 'context.a', to: 1 }, { if: 'true', then: [{ sett: 'context.b', to: 2 } as never] }] },
      'POST /empty': { type: 'action', steps: [{} as never] },
      'POST /null': { type: 'action', steps: [null as never] },
    },
  });
  const error = await failure(b.run('POST /a'));
  assert.ok(error instanceof ActionError);
  assert.equal(error.status, 500);
  assert.equal(error.details.step, 'routes["POST /a"].steps[1].then[0]');
  assert.match(error.message, /unknown step kind \(keys: sett, to\)/);
  for (const kind of STEP_KINDS) assert.ok(error.message.includes(kind.key), `lists ${kind.key}`);
  assert.match((await failure(b.run('POST /empty'))).message, /keys: none/);
  assert.equal((await failure(b.run('POST /null'))).details.step, 'routes["POST /null"].steps[0]');
});

test('the registry holds one kind per key, picked by the first key in registry order', () => {
  const keys = STEP_KINDS.map((k) => k.key);
  assert.deepEqual(keys, ['set', 'if', 'forEach', 'http:get', 'auth:login', 'auth:logout', 'auth:endSessions', 'client:redirect', 'run', 'action:run', 'fail', 'journal:read', 'sql']);
  assert.equal(stepKindOf({ to: 1, set: 'x' })?.key, 'set');
  assert.equal(stepKindOf({ 'action:run': { name: 'x' } })?.key, 'action:run');
  assert.equal(stepKindOf('set'), undefined);
});
