import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import bcrypt from 'bcryptjs';
import { z } from 'zod';
import {
  compileExpression,
  EXPRESSION_GLOBALS,
  ExpressionError,
  type ExpressionScope,
  scopeFromObject,
} from '../../../server/actions/expression.js';

function run(source: string, vars: Record<string, unknown> = {}): unknown {
  return compileExpression(source).evaluate(scopeFromObject(vars));
}

/** Runs the expression and returns the ExpressionError it must raise (at compile or run time). */
function failure(source: string, vars: Record<string, unknown> = {}): ExpressionError {
  try {
    run(source, vars);
  } catch (error) {
    assert.ok(error instanceof ExpressionError, `expected an ExpressionError from ${source}, got ${String(error)}`);
    assert.equal(error.source, source);
    return error;
  }
  assert.fail(`expected ${source} to fail`);
}

function receipt() {
  return {
    data: {
      receipt: { items: [{ id: 1, name: 'Tea', qty: 1, price: 50 }, { id: 2, name: 'Cake', qty: 2, price: 120 }] },
      positions: { items: [{ name: 'Green tea' }, { name: 'Coffee' }, { name: 'Black Tea' }] },
      shift: { n: 42 },
    },
    body: { id: '2', q: 'tea' },
  };
}

describe('literals', () => {
  it('evaluates primitive literals', () => {
    assert.equal(run('10'), 10);
    assert.equal(run('1.5e3'), 1500);
    assert.equal(run("'text'"), 'text');
    assert.equal(run('"double"'), 'double');
    assert.equal(run('true'), true);
    assert.equal(run('null'), null);
    assert.equal(run('10n'), 10n);
    assert.equal(run('undefined'), undefined);
    assert.ok(Number.isNaN(run('NaN')));
    assert.equal(run('Infinity'), Infinity);
  });

  it('makes a new regular expression object on every evaluation', () => {
    const compiled = compileExpression('/^\\d+$/g');
    const first = compiled.evaluate(scopeFromObject({})) as RegExp;
    const second = compiled.evaluate(scopeFromObject({})) as RegExp;
    assert.ok(first instanceof RegExp);
    assert.notEqual(first, second);
    assert.equal(first.source, '^\\d+$');
    assert.equal(first.flags, 'g');
    assert.equal(run("/a+/i.test('xAAy')"), true);
  });

  it('fills template literals', () => {
    assert.equal(run('`Чек №${data.shift.n}`', receipt()), 'Чек №42');
    assert.equal(run('`${1}+${"1"}=${1 + 1}!`'), '1+1=2!');
    assert.equal(run('`plain`'), 'plain');
    assert.equal(run('`${null} ${undefined} ${[1, 2]}`'), 'null undefined 1,2');
  });

  it('builds arrays with spread and holes', () => {
    assert.deepEqual(run('[1, "a", null]'), [1, 'a', null]);
    assert.deepEqual(run('[0, ...list, ...("ab"), 9]', { list: [1, 2] }), [0, 1, 2, 'a', 'b', 9]);
    const holes = run('[1, , 3]') as unknown[];
    assert.equal(holes.length, 3);
    assert.equal(1 in holes, false);
    const error = failure('[...n]', { n: 5 });
    assert.equal(error.kind, 'runtime');
    assert.match(error.message, /n is not iterable/);
  });

  it('builds objects with shorthand, computed keys and spread', () => {
    assert.deepEqual(run("({ url: '/', full: true })"), { url: '/', full: true });
    assert.deepEqual(run("{ url: '/', full: true }"), { url: '/', full: true });
    assert.deepEqual(run('({ body, ["k" + 1]: 2, 3: "three", "quoted key": 4 })', { body: 1 }), {
      body: 1,
      k1: 2,
      3: 'three',
      'quoted key': 4,
    });
    assert.deepEqual(run('({ ...p, qty: 1 })', { p: { id: 7, qty: 3 } }), { id: 7, qty: 1 });
    assert.deepEqual(run('({ ...null, ...undefined, a: 1 })'), { a: 1 });
  });
});

describe('member access', () => {
  it('reads dot and computed members', () => {
    const vars = receipt();
    assert.equal(run('data.receipt.items[1].name', vars), 'Cake');
    assert.equal(run("data['shift']['n']", vars), 42);
    assert.equal(run('data.receipt.items[data.receipt.items.length - 1].id', vars), 2);
    assert.equal(run("'abc'.length"), 3);
    assert.equal(run("'abc'[1]"), 'b');
  });

  it('yields undefined for missing paths instead of throwing', () => {
    const vars = { data: { count: 1 }, nothing: null };
    assert.equal(run('data.nonexistent', vars), undefined);
    assert.equal(run('data.missing.deep', vars), undefined);
    assert.equal(run('data.missing.deeper.still[0]', vars), undefined);
    assert.equal(run('nothing.x', vars), undefined);
    assert.equal(run('nothing[data.count]', vars), undefined);
  });

  it('short-circuits optional chains', () => {
    const vars = { data: { user: { name: 'Ann', greet: () => 'hi' } }, none: null };
    assert.equal(run('data?.user?.name', vars), 'Ann');
    assert.equal(run('none?.a.b.c', vars), undefined);
    assert.equal(run('none?.a.b()', vars), undefined);
    assert.equal(run('none?.["x"]', vars), undefined);
    assert.equal(run('data.user.greet?.()', vars), 'hi');
    assert.equal(run('data.user.missing?.()', vars), undefined);
    assert.equal(run('data.user?.missing?.().x.y', vars), undefined);
    assert.equal(run('(none?.a)?.b', vars), undefined);
    let evaluated = false;
    assert.equal(run('none?.[touch()]', { ...vars, touch: () => (evaluated = true) }), undefined);
    assert.equal(evaluated, false, 'the key of a short-circuited link is not evaluated');
  });
});

describe('calls', () => {
  it('binds this for method calls', () => {
    assert.equal(run("'abc'.toUpperCase()"), 'ABC');
    assert.equal(run('[1, 2].includes(2)'), true);
    assert.equal(run('(5).toFixed(2)'), '5.00');
    const counter = { n: 1, bump(by: number) { this.n += by; return this.n; } };
    assert.equal(run('counter.bump(2)', { counter }), 3);
    assert.equal(run("counter['bump'](1)", { counter }), 4);
    assert.equal(run('(counter.bump)(1)', { counter }), 5);
  });

  it('passes spread arguments', () => {
    assert.equal(run('Math.max(...list, 4)', { list: [1, 9, 3] }), 9);
    assert.deepEqual(run('f(...args)', { f: (...a: unknown[]) => a, args: ['x', 'y'] }), ['x', 'y']);
  });

  it('says which expression is not a function', () => {
    const error = failure('data.x.y()', { data: {} });
    assert.equal(error.kind, 'runtime');
    assert.match(error.message, /^data\.x\.y is not a function/);
    assert.match(failure('data.count()', { data: { count: 3 } }).message, /data\.count is not a function \(it is a number\)/);
    assert.match(failure('notFn(1)', { notFn: 'text' }).message, /notFn is not a function/);
  });

  it('constructs only the allowed types', () => {
    assert.ok(run('new Date(0)') instanceof Date);
    assert.equal(run('new Date(0).getTime()'), 0);
    assert.deepEqual([...(run('new Set([1, 1, 2])') as Set<number>)], [1, 2]);
    assert.equal(run("new Map([['a', 1]]).get('a')"), 1);
    assert.equal(run("new RegExp('b+').test('abbc')"), true);
    assert.equal(run("new Error('boom').message"), 'boom');
    assert.deepEqual(run('new Array(3).fill(0)'), [0, 0, 0]);
    assert.equal(run("new Intl.NumberFormat('en-US').format(1234.5)"), '1,234.5');
    const error = failure('new Thing()', { Thing: class {} });
    assert.equal(error.kind, 'forbidden');
    assert.match(error.message, /"new Thing" is not allowed/);
  });
});

describe('operators', () => {
  it('evaluates unary operators', () => {
    assert.equal(run('!0'), true);
    assert.equal(run('-x', { x: 3 }), -3);
    assert.equal(run("+'4'"), 4);
    assert.equal(run('~5'), -6);
    assert.equal(run('typeof 1'), 'number');
    assert.equal(run('typeof data', { data: {} }), 'object');
    assert.equal(run('typeof notThere'), 'undefined');
    assert.equal(run('typeof Math'), 'object');
    assert.equal(run('void 1'), undefined);
  });

  it('deletes members of the original object', () => {
    const data = { a: 1, b: 2 };
    assert.equal(run('delete data.a', { data }), true);
    assert.equal(run("delete data['b']", { data }), true);
    assert.deepEqual(data, {});
    assert.equal(run('delete data.missing.x', { data }), true);
    assert.equal(failure('delete x', { x: 1 }).kind, 'syntax');
  });

  it('evaluates every binary operator like JavaScript', () => {
    const a = 7;
    const b = 3;
    const cases: Array<[string, unknown]> = [
      ['a + b', a + b], ['a - b', a - b], ['a * b', a * b], ['a / b', a / b], ['a % b', a % b], ['a ** b', a ** b],
      ['a == "7"', true], ['a != "7"', false], ['a === 7', true], ['a !== 7', false],
      ['a < b', false], ['a <= 7', true], ['a > b', true], ['a >= 8', false],
      ['a << b', a << b], ['a >> 1', a >> 1], ['-a >>> 28', -a >>> 28], ['a & b', a & b], ['a | 8', a | 8], ['a ^ b', a ^ b],
      ["'x' in o", true], ["'y' in o", false], ['d instanceof Date', true], ['list instanceof Array', true],
      ['"1" + 2', '12'], ['null == undefined', true], ['null === undefined', false],
    ];
    const vars = { a, b, o: { x: 1 }, d: new Date(), list: [] };
    for (const [source, expected] of cases) assert.equal(run(source, vars), expected, source);
  });

  it('reports in and instanceof on unsuitable values', () => {
    assert.equal(failure("'a' in 5").kind, 'runtime');
    assert.match(failure('x instanceof Object', { x: {} }).message, /Object is not a constructor/);
  });

  it('evaluates logical, conditional and sequence expressions', () => {
    assert.equal(run('0 && x', { x: 1 }), 0);
    assert.equal(run('1 && x', { x: 'y' }), 'y');
    assert.equal(run("'' || 'fallback'"), 'fallback');
    assert.equal(run('0 ?? 5'), 0);
    assert.equal(run('null ?? 5'), 5);
    assert.equal(run("n > 1 ? 'many' : 'one'", { n: 2 }), 'many');
    assert.equal(run('(1, 2, 3)'), 3);
  });
});

describe('arrow functions', () => {
  it('works with find, filter, map and reduce over scope arrays', () => {
    const vars = receipt();
    assert.deepEqual(run('data.receipt.items.find(i => i.id == body.id)', vars), vars.data.receipt.items[1]);
    assert.deepEqual(
      run('data.positions.items.filter(p => p.name.toLowerCase().includes(body.q)).map(p => ({ ...p, qty: 1 }))', vars),
      [{ name: 'Green tea', qty: 1 }, { name: 'Black Tea', qty: 1 }],
    );
    assert.equal(run('data.receipt.items.reduce((sum, i) => sum + i.qty * i.price, 0)', vars), 290);
    assert.deepEqual(run('data.receipt.items.map((item, index) => index)', vars), [0, 1]);
  });

  it('mutates the original objects found through them', () => {
    const vars = receipt();
    run('data.receipt.items.find(i => i.id == 1).qty = 5', vars);
    assert.equal(vars.data.receipt.items[0].qty, 5);
    run('data.receipt.items.forEach(i => i.qty++)', vars);
    assert.deepEqual(vars.data.receipt.items.map((i) => i.qty), [6, 3]);
  });

  it('supports defaults, rest and destructuring parameters', () => {
    assert.equal(run('((a, b = 10) => a + b)(1)'), 11);
    assert.equal(run('((a, b = a * 2) => b)(4)'), 8);
    assert.deepEqual(run('((first, ...rest) => rest)(1, 2, 3)'), [2, 3]);
    assert.equal(run('(({ x, y: { z = 3 } = {} }) => x + z)({ x: 1 })'), 4);
    assert.deepEqual(run('(({ a, ...others }) => others)({ a: 1, b: 2, c: 3 })'), { b: 2, c: 3 });
    assert.deepEqual(run('(([a, , c, ...d]) => [a, c, d])([1, 2, 3, 4, 5])'), [1, 3, [4, 5]]);
    assert.equal(run('(({ [key]: v }) => v)({ k: 7 })', { key: 'k' }), 7);
    assert.equal(run('(({ a }) => a)(undefined)'), undefined);
    assert.deepEqual(run('Object.entries(o).map(([k, v]) => k + v)', { o: { a: 1, b: 2 } }), ['a1', 'b2']);
  });

  it('runs block bodies with const, let, if and return', () => {
    const source = `items.map(i => {
      const base = i.price * i.qty;
      let discount = 0;
      if (base > 100) { discount = 10; } else if (base > 50) discount = 5;
      else { return base; }
      return base - discount;
    })`;
    assert.deepEqual(run(source, { items: [{ price: 50, qty: 3 }, { price: 30, qty: 2 }, { price: 10, qty: 1 }] }), [140, 55, 10]);
    assert.equal(run('(() => { })()'), undefined);
    assert.equal(run('(() => { const x = 1; { const x = 2; } return x; })()'), 1);
    assert.equal(failure('(() => { for (;;) {} })()').kind, 'syntax');
    assert.equal(failure('(() => { var x = 1; return x })()').kind, 'syntax');
    assert.equal(failure('(() => { const x = 1; x = 2; })()').kind, 'syntax');
  });

  it('keeps closures and recursion separate per call', () => {
    assert.deepEqual(run('[1, 2, 3].map(x => () => x).map(f => f())'), [1, 2, 3]);
    assert.equal(run('(() => { const fact = n => n <= 1 ? 1 : n * fact(n - 1); return fact(5); })()'), 120);
    assert.equal(run('(a => b => c => a + b + c)(1)(2)(3)'), 6);
    const adder = run('n => x => x + n + offset', { offset: 100 }) as (n: number) => (x: number) => number;
    assert.equal(adder(1)(2), 103);
  });

  it('lets arrow locals shadow the scope and throws values as they are', () => {
    assert.equal(run('[1].map(data => data + 1)[0]', { data: 'scope' }), 2);
    const thrown = { reason: 'mine' };
    try {
      run('(() => { throw value })()', { value: thrown });
      assert.fail('expected a throw');
    } catch (error) {
      assert.equal(error, thrown);
    }
  });
});

describe('assignment', () => {
  it('assigns members with every operator', () => {
    const data: Record<string, any> = { n: 10, s: 'a', list: [1, 2], flag: 0, name: null, yes: 1 };
    const vars = { data };
    assert.equal(run('data.total = 5', vars), 5);
    run('data.n += 5', vars);
    run('data.n -= 1', vars);
    run('data.n *= 2', vars);
    run('data.n /= 4', vars);
    assert.equal(data.n, 7);
    run('data.n %= 4', vars);
    run('data.n **= 2', vars);
    assert.equal(data.n, 9);
    run('data.n <<= 1', vars);
    run('data.n >>= 2', vars);
    run('data.n |= 8', vars);
    run('data.n &= 12', vars);
    run('data.n ^= 1', vars);
    run('data.n >>>= 0', vars);
    assert.equal(data.n, ((((((9 << 1) >> 2) | 8) & 12) ^ 1) >>> 0));
    run("data.s += 'b'", vars);
    assert.equal(data.s, 'ab');
    run("data['list'][0] = 'x'", vars);
    assert.deepEqual(data.list, ['x', 2]);
    assert.equal(run('data.flag ||= 3', vars), 3);
    assert.equal(run('data.flag &&= 4', vars), 4);
    assert.equal(run('data.name ??= "anon"', vars), 'anon');
    assert.equal(run('data.name ??= "other"', vars), 'anon');
  });

  it('increments and decrements members and locals', () => {
    const data = { count: 1 };
    assert.equal(run('data.count++', { data }), 1);
    assert.equal(run('++data.count', { data }), 3);
    assert.equal(run('data.count--', { data }), 3);
    assert.equal(run('--data.count', { data }), 1);
    assert.equal(run('(() => { let i = 0; i++; ++i; i += 10; return i; })()'), 12);
    assert.equal(run("(() => { let s = '5'; s++; return s; })()"), 6);
  });

  it('refuses writes to the roots and to built-ins', () => {
    for (const source of ['data = 1', 'body += 1', 'data++', 'Math = 1', 'Math.max = 1', 'Object.keys = null', "JSON['parse'] = 1", 'delete Math.PI', 'fn.x = 1']) {
      assert.equal(failure(source, { data: {}, body: {}, fn: () => 1 }).kind, 'forbidden', source);
    }
    const missing = failure('data.missing.x = 1', { data: {} });
    assert.equal(missing.kind, 'runtime');
    assert.match(missing.message, /cannot set "x": data\.missing is undefined/);
    assert.equal(failure("data.s.x = 1", { data: { s: 'text' } }).kind, 'runtime');
  });
});

describe('names and roots', () => {
  it('lists free roots in order of first appearance, without locals or globals', () => {
    assert.deepEqual(compileExpression('data.receipt.items.find(i => i.id == body.id)').roots, ['data', 'body']);
    assert.deepEqual(compileExpression('Math.max(user.a, data.b, user.c, JSON.stringify(x))').roots, ['user', 'data', 'x']);
    assert.deepEqual(compileExpression('list.map(({ a }, i) => { const k = a + i; return k + other; })').roots, ['list', 'other']);
    assert.deepEqual(compileExpression('typeof maybe').roots, ['maybe']);
    assert.deepEqual(compileExpression("({ url: '/', full: true })").roots, []);
  });

  it('reports unknown roots by name', () => {
    for (const name of ['process', 'globalThis', 'Function', 'eval', 'require', 'console', 'setTimeout']) {
      const error = failure(`${name}`);
      assert.equal(error.kind, 'runtime');
      assert.equal(error.message, `${name} is not defined`);
    }
    assert.equal(failure('context.x', { data: {} }).message, 'context is not defined');
  });

  it('resolves the scope before the globals and follows parent scopes', () => {
    const parent = scopeFromObject({ data: { n: 1 }, Math: { max: () => 'mine' } });
    const child = scopeFromObject({ item: 2 }, parent);
    assert.equal(compileExpression('data.n + item').evaluate(child), 3);
    assert.equal(compileExpression('Math.max(1, 2)').evaluate(child), 'mine');
    assert.equal(run('Math.max(1, 2)'), 2);
  });

  it('does not find names inherited from Object.prototype', () => {
    assert.equal(failure('hasOwnProperty').message, 'hasOwnProperty is not defined');
  });

  it('accepts any ExpressionScope implementation', () => {
    const scope: ExpressionScope = {
      lookup: (name) => (name === 'answer' ? { found: true, value: 42 } : name === 'nothing' ? { found: true } : { found: false }),
    };
    assert.equal(compileExpression('answer + 1').evaluate(scope), 43);
    assert.equal(compileExpression('nothing').evaluate(scope), undefined);
    assert.throws(() => compileExpression('other').evaluate(scope), /other is not defined/);
    assert.equal(compileExpression('answer + 1').evaluate(scopeFromObject({ answer: 1 }, scope)), 2);
    assert.equal(compileExpression('nothing ?? "via parent"').evaluate(scopeFromObject({}, scope)), 'via parent');
  });

  it('exposes the allowed globals and nothing else', () => {
    for (const name of ['Math', 'Number', 'String', 'Boolean', 'Array', 'Object', 'Date', 'JSON', 'Set', 'Map', 'RegExp', 'Error', 'Intl', 'parseInt', 'parseFloat', 'isNaN', 'isFinite', 'encodeURIComponent', 'decodeURIComponent', 'encodeURI', 'decodeURI', 'undefined', 'NaN', 'Infinity']) {
      assert.ok(EXPRESSION_GLOBALS.has(name), name);
    }
    assert.equal(EXPRESSION_GLOBALS.has('console'), false);
    assert.equal(EXPRESSION_GLOBALS.has('process'), false);
    assert.equal(run("parseInt('42px') + parseFloat('0.5')"), 42.5);
    assert.equal(run("encodeURIComponent('a b') + decodeURI('%20')"), 'a%20b ');
    assert.equal(run("JSON.stringify({ a: [1] })"), '{"a":[1]}');
    assert.deepEqual(run('Object.keys({ a: 1, b: 2 })'), ['a', 'b']);
    assert.deepEqual(run('Object.fromEntries([["a", 1]])'), { a: 1 });
    assert.deepEqual(run('Object.assign(target, { b: 2 })', { target: { a: 1 } }), { a: 1, b: 2 });
    assert.equal(run('Object.isFrozen(Object.freeze({}))'), true);
    assert.deepEqual(run('Array.from("ab")'), ['a', 'b']);
    assert.deepEqual(run('Array.from([1, 2], x => x * 2)'), [2, 4]);
    assert.deepEqual(run('Array.of(1, 2)'), [1, 2]);
    assert.equal(run('Array.isArray([])'), true);
    assert.equal(run('[] instanceof Array'), true);
    assert.deepEqual(run('Array(2).fill(1)'), [1, 1]);
  });
});

describe('syntax errors', () => {
  it('raises kind syntax with the source and a position', () => {
    for (const source of ['1 +', 'a b', '', '   ', '1), (2', 'a); b; (c', '{ a: }', 'data.count ++ 1']) {
      try {
        compileExpression(source);
        assert.fail(`expected ${JSON.stringify(source)} not to compile`);
      } catch (error) {
        assert.ok(error instanceof ExpressionError, String(error));
        assert.equal(error.kind, 'syntax', source);
        assert.equal(error.source, source);
        assert.match(error.message, /column \d+/);
      }
    }
  });

  it('refuses unsupported forms as syntax errors with advice', () => {
    assert.match(failure('function () { return 1 }').message, /use an arrow function/);
    assert.equal(failure('class {}').kind, 'syntax');
    assert.equal(failure('tag`x`', { tag: () => 1 }).kind, 'syntax');
    assert.equal(failure('(async () => 1)()').kind, 'syntax');
    assert.equal(failure('({ get x() { return 1 } })').kind, 'syntax');
    assert.equal(failure('[a, b] = [1, 2]', { a: 1, b: 2 }).kind, 'syntax');
    assert.equal(failure('import.meta').kind, 'syntax');
  });

  it('accepts comments and surrounding whitespace', () => {
    assert.equal(run('  data.n // the count', { data: { n: 3 } }), 3);
    assert.equal(run('/* a */ 1 + /* b */ 2'), 3);
  });
});

describe('sandbox', () => {
  it('refuses the classic escapes', () => {
    const escapes = [
      "({}).constructor.constructor('return process')()",
      "[]['const' + 'ructor']",
      "''['constructor']['constructor']('return this')()",
      '(() => 1).constructor',
      'data.__proto__',
      "data['__proto__'].polluted = 1",
      'Object.prototype',
      'Array.prototype.push',
      "({}).__defineGetter__('x', () => 1)",
      "({}).__lookupGetter__('x')",
      "({ __proto__: { evil: 1 } })",
      "({ ['__pro' + 'to__']: 1 })",
      "({ 'constructor': 1 })",
      '(({ constructor: c }) => c)({})',
      '(({ [k]: v }) => v)({})',
      'data[key]',
      'f.caller',
      "import('node:fs')",
      'Object.fromEntries([["__proto__", 1]])',
      `Object.assign({}, JSON.parse('{"__proto__": {"polluted": 1}}'))`,
      'Object.assign(Math, { max: () => 0 })',
      'Object.freeze(Array)',
      'new Function("return process")',
      'data.items.map.call(null, 1).constructor',
    ];
    const key = { toString: () => 'constructor' };
    for (const source of escapes) {
      let error: unknown;
      try {
        run(source, { data: { items: [] }, k: 'constructor', key, f: () => 1 });
      } catch (caught) {
        error = caught;
      }
      assert.ok(error instanceof ExpressionError, `${source} must fail with an ExpressionError, got ${String(error)}`);
      assert.ok(error.kind === 'forbidden' || source.includes('Function'), `${source}: ${error.kind} ${error.message}`);
      assert.equal(error.source, source);
    }
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Math.max(1, 2), 2);
  });

  it('cannot reach Object.getPrototypeOf or the host this', () => {
    assert.match(failure('Object.getPrototypeOf({})').message, /Object\.getPrototypeOf is not a function/);
    assert.equal(run('Object.defineProperty'), undefined);
    assert.equal(run('this'), undefined);
    assert.equal(run('(() => this)()'), undefined);
    assert.equal(run('[1].map(function_ => this)[0]'), undefined);
  });

  it('keeps Array.from and Array.of from constructing other types', () => {
    assert.ok(Array.isArray(run('Array.of.call(Date, 1)')));
    assert.ok(Array.isArray(run('Array.from.call(Map, [1])')));
    assert.deepEqual(run('[1, 2].map(Array.of, Date)'), [[1, 0, [1, 2]], [2, 1, [1, 2]]]);
  });

  it('copies an own __proto__ key by spread without re-parenting', () => {
    const result = run(`({ ...JSON.parse('{"__proto__": {"polluted": 1}, "a": 2}') })`) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(result), Object.prototype);
    assert.equal(result.a, 2);
    assert.equal(result.polluted, undefined);
  });
});

describe('errors from called code', () => {
  it('lets zod errors pass unchanged', () => {
    const vars = { zod: z, body: { itemId: '123', bad: { x: 1 } } };
    assert.equal(run('zod.string().regex(/^\\d+$/).transform(Number).parse(body.itemId)', vars), 123);
    let caught: unknown;
    try {
      run('zod.string().parse(body.bad)', vars);
    } catch (error) {
      caught = error;
    }
    assert.ok(caught instanceof z.ZodError, String(caught));
    assert.equal(caught instanceof ExpressionError, false);
    assert.match(caught.message, /expected string, received object/);
  });

  it('rethrows the same object thrown by a function, even through native callbacks', () => {
    const boom = new TypeError('from the host');
    const fail = () => {
      throw boom;
    };
    for (const source of ['fail()', '[1].map(() => fail())', 'items.find(i => fail())']) {
      try {
        run(source, { fail, items: [1] });
        assert.fail('expected a throw');
      } catch (error) {
        assert.equal(error, boom, source);
      }
    }
  });

  it('runs require from the scope (bcrypt password check)', () => {
    const passwordHash = bcrypt.hashSync('secret', 4);
    const vars = {
      require: (name: string) => (name === 'bcrypt' ? bcrypt : undefined),
      body: { password: 'secret' },
      context: { user: { passwordHash } },
    };
    assert.equal(run("require('bcrypt').compareSync(body.password, context.user.passwordHash)", vars), true);
    assert.equal(run("require('bcrypt').compareSync('wrong', context.user.passwordHash)", vars), false);
  });
});

describe('cache', () => {
  it('returns the same compiled object for the same source', () => {
    const first = compileExpression('data.cache.test + 1');
    assert.equal(compileExpression('data.cache.test + 1'), first);
    assert.notEqual(compileExpression('data.cache.test + 2'), first);
    assert.equal(first.source, 'data.cache.test + 1');
    assert.ok(Object.isFrozen(first.roots));
  });

  it('evaluates one compiled expression against many scopes', () => {
    const compiled = compileExpression('items.filter(i => i > min).length');
    assert.equal(compiled.evaluate(scopeFromObject({ items: [1, 2, 3], min: 1 })), 2);
    assert.equal(compiled.evaluate(scopeFromObject({ items: [5, 6], min: 0 })), 2);
  });
});

describe('original engine edge cases (action-engine-edge-cases)', () => {
  const vars = { data: { name: '', count: 0, title: 'Shop', nothing: null }, body: {} };

  it('reads missing and deep missing properties as undefined', () => {
    assert.equal(run('data.nonexistent', vars), undefined);
    assert.equal(run('data.nonexistent.property', vars), undefined);
  });

  it('falls back with ||', () => {
    assert.equal(run("data.nonexistent || 'default'", vars), 'default');
    assert.equal(run("data.name || 'anonymous'", vars), 'anonymous');
    assert.equal(run("data.title || 'x'", vars), 'Shop');
  });

  it('concatenates strings like JavaScript', () => {
    assert.equal(run("'a'.concat('b', 1, null)"), 'ab1null');
    assert.equal(run("data.title + ' #' + 1 + 2", vars), 'Shop #12');
    assert.equal(run('1 + 2 + "3"'), '33');
  });

  it('treats 0, empty string, null and undefined as falsy', () => {
    for (const source of ['0', "''", 'null', 'undefined', 'data.count', 'data.name', 'data.nothing', 'data.missing', 'NaN']) {
      assert.equal(Boolean(run(source, vars)), false, source);
    }
    assert.equal(Boolean(run("'0'")), true);
  });
});
