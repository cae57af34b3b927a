// action:run as an inline subroutine (D5): same transaction and variables; its writes, redirect, login and
// logout belong to the outer action; reads the caller lacks are loaded.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ActionError } from '../../../server/actions/errors.js';
import { collectWrites } from '../../../server/actions/runner.js';
import type { ActionRoute, RouteConfig } from '../../../server/manifest/types.js';
import { bench, failure } from '../../fixtures/steps-app/harness.mjs';

const connectors = {
  cart: { type: 'lowdb' as const, initialState: { items: [{ price: 3, qty: 2 }], total: 0 } },
  prices: { type: 'lowdb' as const, initialState: { vat: 0.2 } },
  audit: { type: 'lowdb' as const, initialState: { entries: [] } },
  user: { type: 'memory' as const, initialState: { items: [{ login: 'kassir' }] } },
};

const routes: Record<string, RouteConfig> = {
  recalcTotals: {
    type: 'action',
    internal: true,
    reads: ['cart', 'prices'],
    writes: ['cart'],
    steps: [
      { set: 'data.cart.total', to: 'data.cart.items.reduce((s, l) => s + l.price * l.qty, 0)' },
      { set: 'data.cart.gross', to: 'data.cart.total * (1 + data.prices.vat)' },
      { set: 'context.fromSub', to: 'context.fromCaller + 1' },
    ],
  },
  'POST /add': {
    type: 'action',
    reads: ['cart'],
    writes: ['cart'],
    steps: [
      { set: 'data.cart.items', to: 'data.cart.items.concat([{ price: body.price, qty: 1 }])' },
      { set: 'context.fromCaller', to: 41 },
      { 'action:run': { name: 'recalcTotals' } },
      { set: 'context.totalSeenByCaller', to: 'data.cart.total' },
    ],
  },
  writeAudit: { type: 'action', internal: true, writes: ['audit'], steps: [{ set: 'data.audit', to: "({ entries: ['added'] })" }] },
  'POST /audited-then-fail': {
    type: 'action',
    reads: ['cart'],
    writes: ['cart'],
    steps: [{ set: 'data.cart.total', to: 7 }, { 'action:run': 'writeAudit' } as never, { fail: "'refused after the sub-action'" }],
  },
  'POST /audited': { type: 'action', steps: [{ 'action:run': { name: 'writeAudit' } }] },
  redirectSub: {
    type: 'action',
    internal: true,
    steps: [{ 'client:redirect': "'/from-sub'" }, { set: 'context.subAfter', to: true }],
  },
  'POST /redirect': { type: 'action', steps: [{ 'action:run': { name: 'redirectSub' } }, { set: 'context.callerAfter', to: true }] },
  loginSub: { type: 'action', internal: true, reads: ['user'], steps: [{ 'auth:login': 'data.user.items[0]' }] },
  logoutSub: { type: 'action', internal: true, steps: [{ 'auth:logout': true }] },
  'POST /login': { type: 'action', steps: [{ 'action:run': { name: 'loginSub' } }] },
  'POST /logout': { type: 'action', steps: [{ 'action:run': { name: 'logoutSub' } }] },
  'POST /unknown': { type: 'action', steps: [{ set: 'context.a', to: 1 }, { 'action:run': { name: 'noSuchRoute' } }] },
  'GET /page': { type: 'view', layout: 'x' },
  'POST /view': { type: 'action', steps: [{ 'action:run': { name: 'GET /page' } }] },
  'POST /nameless': { type: 'action', steps: [{ 'action:run': {} } as never] },
  loop: { type: 'action', internal: true, steps: [{ 'action:run': { name: 'loop' } }] },
  'POST /loop': { type: 'action', steps: [{ 'action:run': { name: 'loop' } }] },
  brokenSub: { type: 'action', internal: true, steps: [{ set: 'context.ok', to: 1 }, { set: 'context.x', to: 'body.n.toFixed(-1)' }] },
  'POST /broken': { type: 'action', steps: [{ 'action:run': { name: 'brokenSub' } }] },
  'POST /loop-var': {
    type: 'action',
    reads: ['cart'],
    writes: ['cart'],
    steps: [{ forEach: 'body.prices', as: 'price', steps: [{ 'action:run': { name: 'addPrice' } }] }],
  },
  addPrice: { type: 'action', internal: true, steps: [{ set: 'data.cart.items', to: 'data.cart.items.concat([{ price, qty: 1 }])' }] },
};

test('the sub-route runs on the caller data and context; its result is visible to the caller (Appendix A)', async (t) => {
  const b = await bench(t, { connectors, routes });
  const out = await b.run('POST /add', { price: 4 });
  assert.equal(out.vars.data.cart.total, 10);
  assert.equal(out.vars.data.cart.gross, 12);
  assert.equal(out.vars.context.totalSeenByCaller, 10);
  assert.equal(out.vars.context.fromSub, 42, 'the caller context reaches the sub-route and back');
  assert.ok(out.vars.data.prices, 'a read the caller lacked was loaded');
  assert.deepEqual(out.changes.map((c) => c.name), ['cart'], 'prices was read, not written');
  assert.deepEqual(JSON.parse(await b.file('cart')), { items: [{ price: 3, qty: 2 }, { price: 4, qty: 1 }], total: 10, gross: 12 });
});

test('loop variables are visible inside a sub-route called from forEach', async (t) => {
  const b = await bench(t, { connectors, routes });
  const out = await b.run('POST /loop-var', { prices: [5, 6] });
  assert.deepEqual(out.vars.data.cart.items.map((i: { price: number }) => i.price), [3, 5, 6]);
});

test('sub-route writes are deferred to the outer commit: a later failure stores none of them (D5)', async (t) => {
  const b = await bench(t, { connectors, routes });
  await b.run('POST /audited');
  assert.deepEqual(await b.read('audit'), { entries: ['added'] }, 'an outer action without writes commits its sub-route writes');
  await b.run('POST /add', { price: 1 });
  const cartBefore = await b.file('cart');
  const auditBefore = await b.file('audit');
  await b.store.close();
  const again = await bench(t, { connectors, routes }, b.dataDir);
  await again.run('POST /audited'); // same value: file rewritten identically
  const error = await failure(again.run('POST /audited-then-fail'));
  assert.equal(error.status, 422);
  assert.equal(await again.file('cart'), cartBefore);
  assert.equal(await again.file('audit'), auditBefore);
});

test('collectWrites includes the writes of every reachable sub-route, once, even through cycles', () => {
  const manifest = { connectors: {}, components: {}, routes };
  assert.deepEqual([...collectWrites(manifest, routes['POST /audited-then-fail'] as ActionRoute)].sort(), ['audit', 'cart']);
  assert.deepEqual([...collectWrites(manifest, routes['POST /add'] as ActionRoute)], ['cart']);
  assert.deepEqual([...collectWrites(manifest, routes['POST /loop'] as ActionRoute)], []);
});

test('a redirect inside the sub-route reaches the caller and stops the caller too', async (t) => {
  const b = await bench(t, { connectors, routes });
  const out = await b.run('POST /redirect');
  assert.equal(out.redirect, '/from-sub');
  assert.equal(out.vars.context.subAfter, undefined);
  assert.equal(out.vars.context.callerAfter, undefined);
});

test('login and logout inside the sub-route belong to the outer action', async (t) => {
  const b = await bench(t, { connectors, routes });
  assert.deepEqual((await b.run('POST /login')).login, { login: 'kassir' });
  assert.equal((await b.run('POST /logout')).logout, true);
});

test('an unknown route, a view route or a missing name fails with the step path', async (t) => {
  const b = await bench(t, { connectors, routes });
  const unknown = await failure(b.run('POST /unknown'));
  assert.ok(unknown instanceof ActionError);
  assert.equal(unknown.status, 500);
  assert.equal(unknown.details.step, 'routes["POST /unknown"].steps[1]["action:run"]');
  assert.match(unknown.message, /no action route named "noSuchRoute"/);
  assert.match((await failure(b.run('POST /view'))).message, /no action route named "GET \/page"/);
  assert.match((await failure(b.run('POST /nameless'))).message, /needs \{ name/);
});

test('a sub-route calling itself fails instead of recursing forever', async (t) => {
  const b = await bench(t, { connectors, routes });
  const error = await failure(b.run('POST /loop'));
  assert.equal(error.status, 500);
  assert.match(error.message, /nested deeper than/);
});

test('a failing step inside a sub-route names its own path', async (t) => {
  const b = await bench(t, { connectors, routes });
  const error = await failure(b.run('POST /broken', { n: 1 }));
  assert.equal(error.details.step, 'routes["brokenSub"].steps[1].to');
});
