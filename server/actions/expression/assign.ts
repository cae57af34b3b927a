// Writes: `=`, compound assignment, `++`/`--` and `delete`. Targets are members (data.cart.total)
// or variables declared inside an arrow; the scope's roots themselves (data, body, …) are read-only.
import type { AssignmentExpression, AssignmentOperator, Expression, Pattern, UnaryExpression, UpdateExpression } from 'acorn';
import { type CompileContext, type Evaluator, frameAt } from './compile-context.js';
import { compileNode, unwrapParens } from './compile.js';
import { ExpressionError } from './errors.js';
import { EXPRESSION_GLOBALS } from './globals.js';
import { checkWritable } from './guards.js';
import { compileMemberKey } from './members.js';

type Combine = (current: any, value: any) => any;

const COMBINE: Partial<Record<AssignmentOperator, Combine>> = {
  '+=': (a, b) => a + b,
  '-=': (a, b) => a - b,
  '*=': (a, b) => a * b,
  '/=': (a, b) => a / b,
  '%=': (a, b) => a % b,
  '**=': (a, b) => a ** b,
  '<<=': (a, b) => a << b,
  '>>=': (a, b) => a >> b,
  '>>>=': (a, b) => a >>> b,
  '&=': (a, b) => a & b,
  '|=': (a, b) => a | b,
  '^=': (a, b) => a ^ b,
};

/** How one write changes its target. Built once at compile time, so writes allocate nothing. */
interface WritePlan {
  /** the value to store, given the current one */
  next(current: any, scope: Parameters<Evaluator>[0], frame: Parameters<Evaluator>[1]): any;
  /** true when the current value stays and is the result (`&&=`, `||=`, `??=`) */
  keeps?(current: any): boolean;
  /** the expression's value when it is not the stored value (postfix `x++`) */
  result?(current: any, stored: any): any;
}

function compileWrite(node: Pattern | Expression, ctx: CompileContext, verb: string, plan: WritePlan): Evaluator {
  const target = unwrapParens(node as Expression);
  const { next, keeps, result } = plan;
  if (target.type === 'MemberExpression') {
    if (target.object.type === 'Super') throw ctx.unsupported('"super" is');
    const source = ctx.source;
    const objectText = ctx.textOf(target.object);
    const object = compileNode(target.object, ctx);
    const key = compileMemberKey(target, ctx);
    return (s, f) => {
      const holder = object(s, f);
      const name = key(s, f);
      checkWritable(holder, name, objectText, source);
      const current = holder[name];
      if (keeps !== undefined && keeps(current)) return current;
      const stored = next(current, s, f);
      holder[name] = stored;
      return result === undefined ? stored : result(current, stored);
    };
  }
  if (target.type === 'Identifier') {
    const { depth, slot } = localSlot(target.name, ctx, verb);
    return (s, f) => {
      const frame = frameAt(f, depth);
      const current = frame[slot];
      if (keeps !== undefined && keeps(current)) return current;
      const stored = next(current, s, f);
      frame[slot] = stored;
      return result === undefined ? stored : result(current, stored);
    };
  }
  if (target.type === 'ChainExpression') throw ctx.unsupported('assigning through optional chaining is');
  throw ctx.unsupported('destructuring assignment is');
}

function localSlot(name: string, ctx: CompileContext, verb: string): { depth: number; slot: number } {
  const local = ctx.resolveLocal(name);
  if (!local) {
    const what = EXPRESSION_GLOBALS.has(name) ? `the built-in "${name}"` : `"${name}"`;
    throw new ExpressionError(
      'forbidden',
      ctx.source,
      `cannot ${verb} ${what}: only properties (e.g. ${name}.field) and variables declared inside an arrow function can be changed`,
    );
  }
  if (local.binding.constant) {
    throw new ExpressionError('syntax', ctx.source, `cannot ${verb} "${name}": it is declared with const`);
  }
  return { depth: local.depth, slot: local.binding.slot };
}

export function compileAssignment(node: AssignmentExpression, ctx: CompileContext): Evaluator {
  const left = unwrapParens(node.left as Expression);
  // The common case, `a.b = v`, reads nothing from the target.
  if (node.operator === '=' && left.type === 'MemberExpression' && left.object.type !== 'Super') {
    const source = ctx.source;
    const objectText = ctx.textOf(left.object);
    const object = compileNode(left.object, ctx);
    const key = compileMemberKey(left, ctx);
    const value = compileNode(node.right, ctx);
    return (s, f) => {
      const holder = object(s, f);
      const name = key(s, f);
      const stored = value(s, f);
      checkWritable(holder, name, objectText, source);
      holder[name] = stored;
      return stored;
    };
  }
  // Compile the target before the value so roots are listed in reading order.
  let value: Evaluator = () => undefined;
  const plan: WritePlan = { next: (_current, s, f) => value(s, f) };
  switch (node.operator) {
    case '=':
      break;
    case '&&=':
      plan.keeps = (current) => !current;
      break;
    case '||=':
      plan.keeps = (current) => !!current;
      break;
    case '??=':
      plan.keeps = (current) => current !== null && current !== undefined;
      break;
    default: {
      const combine = COMBINE[node.operator]!;
      plan.next = (current, s, f) => combine(current, value(s, f));
    }
  }
  const write = compileWrite(node.left, ctx, 'assign to', plan);
  value = compileNode(node.right, ctx);
  return write;
}

function toNumeric(value: any): number | bigint {
  return typeof value === 'bigint' ? value : Number(value);
}

export function compileUpdate(node: UpdateExpression, ctx: CompileContext): Evaluator {
  const step = node.operator === '++' ? 1 : -1;
  const plan: WritePlan = {
    next: (current) => {
      const before = toNumeric(current);
      return typeof before === 'bigint' ? before + BigInt(step) : before + step;
    },
  };
  // Postfix answers the old value as a number, like JS.
  if (!node.prefix) plan.result = (current) => toNumeric(current);
  return compileWrite(node.argument, ctx, node.operator === '++' ? 'increment' : 'decrement', plan);
}

export function compileDelete(node: UnaryExpression, ctx: CompileContext): Evaluator {
  let argument = unwrapParens(node.argument);
  if (argument.type === 'ChainExpression' && argument.expression.type === 'MemberExpression') {
    argument = argument.expression;
  }
  if (argument.type !== 'MemberExpression' || argument.object.type === 'Super') {
    throw ctx.unsupported('"delete" of anything but a property is');
  }
  const source = ctx.source;
  const objectText = ctx.textOf(argument.object);
  const object = compileNode(argument.object, ctx);
  const key = compileMemberKey(argument, ctx);
  return (s, f) => {
    const target = object(s, f);
    const name = key(s, f);
    // Nothing to delete on a missing object: same leniency as reading a missing path.
    if (target === null || target === undefined) return true;
    if (typeof target !== 'object') return Reflect.deleteProperty(Object(target), name);
    checkWritable(target, name, objectText, source);
    return Reflect.deleteProperty(target, name);
  };
}
