// Property reads, calls, `new` and optional chains. Reading through null/undefined yields undefined
// (the original engine's "missing path" behaviour); calling a non-function is a clear error.
import type { CallExpression, ChainExpression, Expression, MemberExpression, NewExpression, SpreadElement, Super } from 'acorn';
import type { CompileContext, Evaluator, Frame } from './compile-context.js';
import type { ExpressionScope } from './scope.js';
import { compileNode, unwrapParens } from './compile.js';
import { describeValue, ExpressionError } from './errors.js';
import { ALLOWED_CONSTRUCTOR_NAMES, ALLOWED_CONSTRUCTORS } from './globals.js';
import { checkStaticKey, safeKey } from './guards.js';
import { iterableOf } from './literals.js';
import { itemAt, NOT_INDEXED, positionOf } from '../../store/item-index.js';

/**
 * Inside an optional chain, a link that meets null/undefined after `?.` returns this marker and
 * every later link passes it on; the ChainExpression turns it into undefined.
 */
const SHORT_CIRCUIT: unique symbol = Symbol('short-circuit');

const EMPTY_ARGUMENTS: readonly unknown[] = Object.freeze([]);

/** The key of `a.b` or `a['b']`, checked at compile time; undefined for a computed key. */
function staticMemberName(node: MemberExpression, ctx: CompileContext): string | undefined {
  const property = node.property;
  if (property.type === 'PrivateIdentifier') throw ctx.unsupported('private names are');
  if (!node.computed) {
    if (property.type !== 'Identifier') throw ctx.unsupported(`${property.type} as a property name is`);
    return checkStaticKey(property.name, ctx.source);
  }
  if (property.type === 'Literal' && typeof property.value === 'string') return checkStaticKey(property.value, ctx.source);
  return undefined;
}

/** The member's key as an evaluator: a constant, or a runtime conversion checked on every access. */
export function compileMemberKey(node: MemberExpression, ctx: CompileContext): Evaluator {
  const name = staticMemberName(node, ctx);
  if (name !== undefined) return () => name;
  const source = ctx.source;
  const key = compileNode(node.property as Expression, ctx);
  return (s, f) => safeKey(key(s, f), source);
}

export function compileObjectOf(node: Expression | Super, ctx: CompileContext, spine: boolean): Evaluator {
  if (node.type === 'Super') throw ctx.unsupported('"super" is');
  if (spine && node.type === 'MemberExpression') return compileMember(node, ctx, true);
  if (spine && node.type === 'CallExpression') return compileCall(node, ctx, true);
  return compileNode(node, ctx);
}

/** `spine` is true for links of an optional chain (they may see and must pass on SHORT_CIRCUIT). */
export function compileMember(node: MemberExpression, ctx: CompileContext, spine: boolean): Evaluator {
  const object = compileObjectOf(node.object, ctx, spine);
  const name = staticMemberName(node, ctx);
  if (name !== undefined) {
    if (!spine) {
      return (s, f) => {
        const target = object(s, f);
        return target === null || target === undefined ? undefined : target[name];
      };
    }
    const optional = node.optional;
    return (s, f) => {
      const target = object(s, f);
      if (target === SHORT_CIRCUIT) return SHORT_CIRCUIT;
      if (target === null || target === undefined) return optional ? SHORT_CIRCUIT : undefined;
      return target[name];
    };
  }
  const key = compileMemberKey(node, ctx);
  if (!spine) {
    return (s, f) => {
      const target = object(s, f);
      const name = key(s, f);
      return target === null || target === undefined ? undefined : target[name];
    };
  }
  const optional = node.optional;
  return (s, f) => {
    const target = object(s, f);
    if (target === SHORT_CIRCUIT) return SHORT_CIRCUIT;
    if (optional && (target === null || target === undefined)) return SHORT_CIRCUIT;
    const name = key(s, f);
    return target === null || target === undefined ? undefined : target[name];
  };
}

export function compileChain(node: ChainExpression, ctx: CompileContext): Evaluator {
  const link =
    node.expression.type === 'MemberExpression'
      ? compileMember(node.expression, ctx, true)
      : compileCall(node.expression, ctx, true);
  return (s, f) => {
    const value = link(s, f);
    return value === SHORT_CIRCUIT ? undefined : value;
  };
}

export function compileArguments(list: Array<Expression | SpreadElement>, ctx: CompileContext): (s: Parameters<Evaluator>[0], f: Parameters<Evaluator>[1]) => unknown[] {
  if (list.length === 0) return () => EMPTY_ARGUMENTS as unknown[];
  const source = ctx.source;
  if (list.every((argument) => argument.type !== 'SpreadElement')) {
    const values = (list as Expression[]).map((argument) => compileNode(argument, ctx));
    if (values.length === 1) {
      const [a] = values;
      return (s, f) => [a(s, f)];
    }
    if (values.length === 2) {
      const [a, b] = values;
      return (s, f) => [a(s, f), b(s, f)];
    }
    return (s, f) => {
      const out: unknown[] = [];
      for (let i = 0; i < values.length; i++) out.push(values[i](s, f));
      return out;
    };
  }
  const parts = list.map((argument) =>
    argument.type === 'SpreadElement'
      ? { value: compileNode(argument.argument, ctx), spread: true, text: ctx.textOf(argument.argument) }
      : { value: compileNode(argument, ctx), spread: false, text: '' },
  );
  return (s, f) => {
    const out: unknown[] = [];
    for (const part of parts) {
      if (!part.spread) out.push(part.value(s, f));
      else for (const item of iterableOf(part.value(s, f), part.text, source)) out.push(item);
    }
    return out;
  };
}

function notAFunction(source: string, text: string, value: unknown): ExpressionError {
  return new ExpressionError('runtime', source, `${text} is not a function (it is ${describeValue(value)})`);
}

export function compileCall(node: CallExpression, ctx: CompileContext, spine: boolean): Evaluator {
  if (node.callee.type === 'Super') throw ctx.unsupported('"super" is');
  const source = ctx.source;
  const calleeText = ctx.textOf(node.callee);
  const optionalCall = node.optional;
  const callee = unwrapParens(node.callee);
  // Parentheses end a chain: `(a?.b)()` is not part of an outer chain.
  const calleeSpine = spine && callee === node.callee;

  if (callee.type === 'MemberExpression') {
    // A method call: the function gets the object as `this` ('abc'.toUpperCase(), list.includes(x)).
    const object = compileObjectOf(callee.object, ctx, calleeSpine);
    const key = compileMemberKey(callee, ctx);
    const args = compileArguments(node.arguments, ctx);
    const optionalMember = calleeSpine && callee.optional;
    // `items.find(i => i.barcode === code)` on a stored list: a lookup in its index, not a walk
    const lookup = indexedFindOf(node, callee, ctx);
    const call = (fn: Function, target: any, s: ExpressionScope, f: Frame | undefined): unknown => {
      if (lookup && fn === Array.prototype.find && Array.isArray(target)) {
        const position = positionOf(target, lookup.field, lookup.value(s, f), lookup.strict);
        if (position !== NOT_INDEXED) return position < 0 ? undefined : itemAt(target, position);
      }
      return Reflect.apply(fn, target, args(s, f));
    };
    if (!spine) {
      return (s, f) => {
        const target = object(s, f);
        const name = key(s, f);
        const fn = target === null || target === undefined ? undefined : target[name];
        if (typeof fn !== 'function') throw notAFunction(source, calleeText, fn);
        return call(fn, target, s, f);
      };
    }
    return (s, f) => {
      const target = object(s, f);
      if (target === SHORT_CIRCUIT) return SHORT_CIRCUIT;
      if (optionalMember && (target === null || target === undefined)) return SHORT_CIRCUIT;
      const name = key(s, f);
      const fn = target === null || target === undefined ? undefined : target[name];
      if (typeof fn !== 'function') {
        if (optionalCall && (fn === null || fn === undefined)) return SHORT_CIRCUIT;
        throw notAFunction(source, calleeText, fn);
      }
      return call(fn, target, s, f);
    };
  }

  const fnOf = compileObjectOf(callee, ctx, calleeSpine);
  const args = compileArguments(node.arguments, ctx);
  if (!spine) {
    return (s, f) => {
      const fn = fnOf(s, f);
      if (typeof fn !== 'function') throw notAFunction(source, calleeText, fn);
      return Reflect.apply(fn, undefined, args(s, f));
    };
  }
  return (s, f) => {
    const fn = fnOf(s, f);
    if (fn === SHORT_CIRCUIT) return SHORT_CIRCUIT;
    if (typeof fn !== 'function') {
      if (optionalCall && (fn === null || fn === undefined)) return SHORT_CIRCUIT;
      throw notAFunction(source, calleeText, fn);
    }
    return Reflect.apply(fn, undefined, args(s, f));
  };
}

export function compileNew(node: NewExpression, ctx: CompileContext): Evaluator {
  const source = ctx.source;
  const text = ctx.textOf(node.callee);
  const constructorOf = compileNode(node.callee, ctx);
  const args = compileArguments(node.arguments, ctx);
  return (s, f) => {
    const type = constructorOf(s, f);
    if (!ALLOWED_CONSTRUCTORS.has(type)) {
      throw new ExpressionError('forbidden', source, `"new ${text}" is not allowed; "new" works only with ${ALLOWED_CONSTRUCTOR_NAMES}`);
    }
    return Reflect.construct(type as new (...args: unknown[]) => unknown, args(s, f));
  };
}

/**
 * `list.find(item => item.field === value)` (or `==`, either side) where `value` does not involve the item
 * and has no side effects: the field and a compiled `value`, so the call can be answered from the stored
 * list's index (item-index.ts) with exactly what the walk would find. Null for any other call.
 */
function indexedFindOf(
  node: CallExpression,
  callee: MemberExpression,
  ctx: CompileContext,
): { field: string; value: Evaluator; strict: boolean } | null {
  if (callee.computed || callee.property.type !== 'Identifier' || callee.property.name !== 'find' || node.arguments.length !== 1) return null;
  const arrow = node.arguments[0];
  if (arrow.type !== 'ArrowFunctionExpression' || arrow.async || arrow.params.length !== 1 || arrow.params[0].type !== 'Identifier') return null;
  if (arrow.body.type === 'BlockStatement') return null;
  const item = arrow.params[0].name;
  const body = unwrapParens(arrow.body);
  if (body.type !== 'BinaryExpression' || (body.operator !== '===' && body.operator !== '==')) return null;
  const fieldOf = (side: Expression): string | null => {
    const e = unwrapParens(side);
    if (e.type !== 'MemberExpression' || e.optional || e.computed || e.property.type !== 'Identifier') return null;
    return e.object.type === 'Identifier' && e.object.name === item ? e.property.name : null;
  };
  const left = body.left as Expression;
  const right = body.right as Expression;
  const [field, other] = fieldOf(left) !== null ? [fieldOf(left), right] : [fieldOf(right), left];
  if (field === null || field === undefined || !isPureWithout(other, item)) return null;
  return { field, value: compileNode(other, ctx), strict: body.operator === '===' };
}

/** Literals, names other than `excluded` and plain member reads of them: evaluating it once is the same as per item. */
function isPureWithout(node: Expression, excluded: string): boolean {
  const e = unwrapParens(node);
  switch (e.type) {
    case 'Literal':
      return true;
    case 'Identifier':
      return e.name !== excluded;
    case 'MemberExpression':
      if (e.object.type === 'Super') return false;
      if (e.computed && e.property.type !== 'Literal') return false;
      return isPureWithout(e.object as Expression, excluded);
    case 'ChainExpression':
      return e.expression.type === 'MemberExpression' && isPureWithout(e.expression, excluded);
    default:
      return false;
  }
}
