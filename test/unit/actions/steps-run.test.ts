// `run` handlers from app/actions (CommonJS and ES modules, called as (context, body)) and the require()
// that expressions get, through the engine's own runner for the steps-app fixture.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ActionError } from '../../../server/actions/errors.js';
import { createAppRequire } from '../../../server/actions/modules.js';
import { handlerName } from '../../../server/actions/steps/run.js';
import { appBench, failure, stepsApp } from '../../fixtures/steps-app/harness.mjs';

test('a CommonJS handler gets (context, body) and writes context.data (Appendix A: action-engine)', async (t) => {
  const b = await appBench(t);
  const out = await b.run('POST /run/cjs', { extra: 1 });
  assert.equal(out.vars.data.cart.total, 3 * 2 + 2 * 1 + 1);
  assert.deepEqual(out.vars.context.handlerSawBody, { extra: 1 });
  assert.equal((await b.read('cart')).total, 9);
  assert.equal(JSON.parse(await b.file('cart')).total, 9);
  const viaPath = await b.run('POST /run/cjs-with-path', {});
  assert.equal(viaPath.vars.data.cart.total, 8, 'a path and a .js suffix name the same handler');
});

test('an ES module (.mjs) handler with an async default export', async (t) => {
  const b = await appBench(t);
  const out = await b.run('POST /run/esm', { off: 5 });
  assert.equal(out.vars.data.cart.total, 15);
  assert.equal((await b.read('cart')).total, 15);
});

test('handler names: last path segment, .js/.cjs/.mjs stripped', () => {
  assert.equal(handlerName('filterItems'), 'filterItems');
  assert.equal(handlerName('filterItems.js'), 'filterItems');
  assert.equal(handlerName('app/actions/filterItems.mjs'), 'filterItems');
  assert.equal(handlerName('app\\actions\\x.cjs'), 'x');
});

test('a throwing handler fails with 500 and its step path; the set before it is not stored', async (t) => {
  const b = await appBench(t);
  await b.run('POST /run/cjs', {});
  const before = await b.file('cart');
  const error = await failure(b.run('POST /run/throws'));
  assert.ok(error instanceof ActionError);
  assert.equal(error.status, 500);
  assert.equal(error.details.step, 'routes["POST /run/throws"].steps[1].then[0]');
  assert.match(error.message, /the till drawer is jammed/);
  assert.equal(await b.file('cart'), before, 'the file is byte-identical');
  assert.equal((await b.read('cart')).total, 8);
});

test('a missing handler and a module without a function fail with a message naming the file', async (t) => {
  const b = await appBench(t);
  const missing = await failure(b.run('POST /run/missing'));
  assert.equal(missing.status, 500);
  assert.equal(missing.details.step, 'routes["POST /run/missing"].steps[0]');
  assert.match(missing.message, /app\/actions\/nowhere\.js/);
  const notFn = await failure(b.run('POST /run/not-a-function'));
  assert.equal(notFn.status, 500);
  assert.match(notFn.message, /must export a function/);
});

test('a zod failure inside a handler is a 422 with field messages', async (t) => {
  const b = await appBench(t);
  const error = await failure(b.run('POST /run/zod', { qty: -1 }));
  assert.equal(error.status, 422);
  assert.ok(error.details.fields.qty, JSON.stringify(error.details.fields));
  const ok = await b.run('POST /run/zod', { qty: 2 });
  assert.deepEqual(ok.vars.context.parsed, { qty: 2 });
});

test("require('bcrypt') resolves to bcryptjs; safe built-ins load", async (t) => {
  const b = await appBench(t);
  const out = await b.run('POST /require/bcrypt', { password: '123' });
  assert.match(out.vars.context.hash, /^\$2[aby]\$04\$/);
  assert.equal(out.vars.context.ok, true);
  assert.equal(out.vars.context.wrong, false);
  assert.equal((await b.run('POST /require/builtin')).vars.context.joined, 'a/b');
});

test('require of a module that reaches processes or the disk fails the step with a message', async (t) => {
  const b = await appBench(t);
  await b.run('POST /run/cjs', {});
  const before = await b.file('cart');
  const error = await failure(b.run('POST /require/forbidden'));
  assert.ok(error instanceof ActionError);
  assert.equal(error.status, 500);
  assert.equal(error.details.step, 'routes["POST /require/forbidden"].steps[1].to');
  assert.match(error.message, /require\("child_process"\) is not allowed/);
  assert.match(error.message, /allowModules/);
  assert.equal(await b.file('cart'), before);
  assert.match((await failure(b.run('POST /require/fs'))).message, /require\("fs"\) is not allowed/);
});

test('createAppRequire: node: prefix, allowModules, frozen module views', () => {
  const req = createAppRequire(stepsApp, ['mustache']);
  assert.equal(typeof (req('node:crypto') as { createHash: unknown }).createHash, 'function');
  assert.equal(typeof (req('mustache') as { render: unknown }).render, 'function', 'an allowed npm module resolves from the app');
  assert.throws(() => req('node:child_process'), /not allowed/);
  assert.throws(() => req('node:fs'), /not allowed/);
  assert.throws(() => req('express'), /not allowed/);
  const bcrypt = req('bcrypt') as Record<string, unknown>;
  assert.ok(Object.isFrozen(bcrypt));
  assert.throws(() => {
    'use strict';
    bcrypt.compareSync = () => true;
  }, TypeError);
  assert.equal(req('bcrypt'), req('bcryptjs'), 'one view per module');
  assert.equal(typeof (req('zod') as { z: { string: unknown } }).z.string, 'function');
});
