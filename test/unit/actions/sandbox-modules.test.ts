// Issue 15, finding 8: require() in expressions hands out hand-picked, frozen functions, never whole Node
// modules. Whole modules let one manifest expression change the process for every request
// (util.inherits(RegExp, Map)), swap the crypto engine, or read memory that is not its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createAppRequire } from '../../../server/actions/modules.js';
import { compileExpression, scopeFromObject } from '../../../server/actions/expression.js';
import { fixtures } from '../../helpers/host.js';

const req = createAppRequire(path.join(fixtures, 'steps-app'));
const run = (source: string) => compileExpression(source).evaluate(scopeFromObject({ require: req }));

test('functions that change the process, or reach other memory, are not offered', () => {
  const util = req('util') as Record<string, unknown>;
  assert.equal(util.inherits, undefined, 'util.inherits changes built-ins for the whole process');
  assert.equal((req('crypto') as Record<string, unknown>).setEngine, undefined);
  assert.equal((req('node:buffer') as { Buffer: Record<string, unknown> }).Buffer.allocUnsafe, undefined);
  assert.equal((req('bcrypt') as Record<string, unknown>).setRandomFallback, undefined);
  // a picked function carries no shared settings object (util.inspect.defaultOptions was one)
  assert.equal((util.inspect as { defaultOptions?: unknown }).defaultOptions, undefined);
  assert.throws(() => run("require('util').inherits(RegExp, Map)"), /inherits/);
  assert.equal(Object.getPrototypeOf(RegExp), Function.prototype, 'RegExp kept its prototype');
  assert.throws(() => req('events'), /not allowed/);
});

test('what is offered is frozen and works: bcrypt, crypto, path, util, querystring, buffer', () => {
  for (const name of ['bcrypt', 'crypto', 'util', 'path', 'querystring', 'buffer', 'assert']) {
    assert.ok(Object.isFrozen(req(name)), `${name} view is frozen`);
  }
  const hash = run("require('bcrypt').hashSync('123', 4)") as string;
  assert.equal(run(`require('bcrypt').compareSync('123', ${JSON.stringify(hash)})`), true);
  assert.equal((run("require('crypto').createHash('sha256').update('a').digest('hex')") as string).length, 64);
  assert.equal(run("require('node:path').posix.join('a', 'b')"), 'a/b');
  assert.equal(run("require('util').format('%s-%d', 'x', 5)"), 'x-5');
  assert.deepEqual({ ...(run("require('querystring').parse('a=1&b=2')") as object) }, { a: '1', b: '2' });
  const bytes = run("require('buffer').Buffer.from('abc')") as Buffer;
  assert.equal(bytes.toString(), 'abc');
  assert.equal(bytes.buffer.byteLength, 3, 'Buffer.from gives a buffer of its own, not a slice of the shared pool');
});
