// AST → nested closures. Each node is compiled once into an Evaluator; evaluating walks closures,
// never the tree. This module dispatches on node type and holds names and operators.
import type { BinaryExpression, Expression, Identifier, LogicalExpression, Node, UnaryExpression } from 'acorn';
import { compileAssignment, compileDelete, compileUpdate } from './assign.js';
import { type CompileContext, type Evaluator, frameAt } from './compile-context.js';
import { describeValue, ExpressionError } from './errors.js';
import { compileArrow } from './functions.js';
import { CONSTANT_GLOBALS, GLOBAL_VALUES } from './globals.js';
import { compileArray, compileLiteral, compileObject, compileTemplate } from './literals.js';
import { compileCall, compileChain, compileMember, compileNew } from './members.js';
import { lookupName, MISSING } from './scope.js';

export function compileNode(node: Expression, ctx: CompileContext): Evaluator {
  switch (node.type) {
    case 'Literal':
      return compileLiteral(node);
    case 'Identifier':
      return compileIdentifier(node, ctx);
    case 'ThisExpression':
      // Outside of methods there is no meaningful receiver; never expose the host's.
      return () => undefined;
    case 'TemplateLiteral':
      return compileTemplate(node, ctx);
    case 'ArrayExpression':
      return compileArray(node, ctx);
    case 'ObjectExpression':
      return compileObject(node, ctx);
    case 'MemberExpression':
      return compileMember(node, ctx, false);
    case 'ChainExpression':
      return compileChain(node, ctx);
    case 'CallExpression':
      return compileCall(node, ctx, false);
    case 'NewExpression':
      return compileNew(node, ctx);
    case 'UnaryExpression':
      return compileUnary(node, ctx);
    case 'UpdateExpression':
      return compileUpdate(node, ctx);
    case 'BinaryExpression':
      return compileBinary(node, ctx);
    case 'LogicalExpression':
      return compileLogical(node, ctx);
    case 'ConditionalExpression': {
      const test = compileNode(node.test, ctx);
      const consequent = compileNode(node.consequent, ctx);
      const alternate = compileNode(node.alternate, ctx);
      return (s, f) => (test(s, f) ? consequent(s, f) : alternate(s, f));
    }
    case 'SequenceExpression': {
      const parts = node.expressions.map((part) => compileNode(part, ctx));
      return (s, f) => {
        let value;
        for (let i = 0; i < parts.length; i++) value = parts[i](s, f);
        return value;
      };
    }
    case 'AssignmentExpression':
      return compileAssignment(node, ctx);
    case 'ArrowFunctionExpression':
      return compileArrow(node, ctx);
    case 'ParenthesizedExpression':
      return compileNode(node.expression, ctx);
    case 'ImportExpression':
    case 'MetaProperty':
      throw new ExpressionError('forbidden', ctx.source, `${ctx.textOf(node)} is not allowed in expressions`);
    case 'FunctionExpression':
      throw ctx.unsupported('function expressions are', 'use an arrow function (x => …)');
    case 'ClassExpression':
      throw ctx.unsupported('classes are');
    case 'TaggedTemplateExpression':
      throw ctx.unsupported('tagged templates are');
    case 'AwaitExpression':
    case 'YieldExpression':
      throw ctx.unsupported(`"${node.type === 'AwaitExpression' ? 'await' : 'yield'}" is`);
    default:
      throw ctx.unsupported(`${(node as Node).type} is`);
  }
}

/** `(a.b)` and `a.b` are the same target or callee. */
export function unwrapParens(node: Expression): Expression {
  let current = node;
  while (current.type === 'ParenthesizedExpression') current = current.expression;
  return current;
}

export function readLocal(depth: number, slot: number): Evaluator {
  switch (depth) {
    case 0:
      return (_s, f) => f![slot];
    case 1:
      return (_s, f) => f![0][slot];
    default:
      return (_s, f) => frameAt(f, depth)[slot];
  }
}

/** Locals first, then the scope, then the allowed globals; anything else is "not defined". */
function compileIdentifier(node: Identifier, ctx: CompileContext): Evaluator {
  const name = node.name;
  const local = ctx.resolveLocal(name);
  if (local) return readLocal(local.depth, local.binding.slot);
  if (CONSTANT_GLOBALS.has(name)) {
    const value = GLOBAL_VALUES.get(name);
    return () => value;
  }
  if (GLOBAL_VALUES.has(name)) {
    const fallback = GLOBAL_VALUES.get(name);
    return (s) => {
      const value = lookupName(s, name);
      return value === MISSING ? fallback : value;
    };
  }
  ctx.noteRoot(name);
  const source = ctx.source;
  return (s) => {
    const value = lookupName(s, name);
    if (value === MISSING) throw new ExpressionError('runtime', source, `${name} is not defined`);
    return value;
  };
}

/** `typeof name` answers "undefined" for unknown names instead of failing, as in JS. */
function compileTypeofIdentifier(node: Identifier, ctx: CompileContext): Evaluator {
  const name = node.name;
  if (ctx.resolveLocal(name) || CONSTANT_GLOBALS.has(name)) {
    const read = compileIdentifier(node, ctx);
    return (s, f) => typeof read(s, f);
  }
  const fallback = GLOBAL_VALUES.has(name) ? typeof GLOBAL_VALUES.get(name) : 'undefined';
  if (!GLOBAL_VALUES.has(name)) ctx.noteRoot(name);
  return (s) => {
    const value = lookupName(s, name);
    return value === MISSING ? fallback : typeof value;
  };
}

function compileUnary(node: UnaryExpression, ctx: CompileContext): Evaluator {
  if (node.operator === 'delete') return compileDelete(node, ctx);
  const argumentNode = unwrapParens(node.argument);
  if (node.operator === 'typeof' && argumentNode.type === 'Identifier') {
    return compileTypeofIdentifier(argumentNode, ctx);
  }
  const argument = compileNode(node.argument, ctx);
  switch (node.operator) {
    case '!':
      return (s, f) => !argument(s, f);
    case '-':
      return (s, f) => -argument(s, f);
    case '+':
      return (s, f) => +argument(s, f);
    case '~':
      return (s, f) => ~argument(s, f);
    case 'typeof':
      return (s, f) => typeof argument(s, f);
    case 'void':
      return (s, f) => void argument(s, f);
  }
}

function compileBinary(node: BinaryExpression, ctx: CompileContext): Evaluator {
  if (node.left.type === 'PrivateIdentifier') throw ctx.unsupported('private names are');
  const l = compileNode(node.left, ctx);
  const r = compileNode(node.right, ctx);
  const source = ctx.source;
  switch (node.operator) {
    case '+':
      return (s, f) => l(s, f) + r(s, f);
    case '-':
      return (s, f) => l(s, f) - r(s, f);
    case '*':
      return (s, f) => l(s, f) * r(s, f);
    case '/':
      return (s, f) => l(s, f) / r(s, f);
    case '%':
      return (s, f) => l(s, f) % r(s, f);
    case '**':
      return (s, f) => l(s, f) ** r(s, f);
    case '==':
      return (s, f) => l(s, f) == r(s, f);
    case '!=':
      return (s, f) => l(s, f) != r(s, f);
    case '===':
      return (s, f) => l(s, f) === r(s, f);
    case '!==':
      return (s, f) => l(s, f) !== r(s, f);
    case '<':
      return (s, f) => l(s, f) < r(s, f);
    case '<=':
      return (s, f) => l(s, f) <= r(s, f);
    case '>':
      return (s, f) => l(s, f) > r(s, f);
    case '>=':
      return (s, f) => l(s, f) >= r(s, f);
    case '<<':
      return (s, f) => l(s, f) << r(s, f);
    case '>>':
      return (s, f) => l(s, f) >> r(s, f);
    case '>>>':
      return (s, f) => l(s, f) >>> r(s, f);
    case '&':
      return (s, f) => l(s, f) & r(s, f);
    case '|':
      return (s, f) => l(s, f) | r(s, f);
    case '^':
      return (s, f) => l(s, f) ^ r(s, f);
    case 'in': {
      const text = ctx.textOf(node.right);
      return (s, f) => {
        const key = l(s, f);
        const target = r(s, f);
        if (target === null || (typeof target !== 'object' && typeof target !== 'function')) {
          throw new ExpressionError('runtime', source, `cannot use "in" on ${describeValue(target)} (${text})`);
        }
        return key in target;
      };
    }
    case 'instanceof': {
      const text = ctx.textOf(node.right);
      return (s, f) => {
        const value = l(s, f);
        const type = r(s, f);
        if (typeof type !== 'function') {
          throw new ExpressionError('runtime', source, `${text} is not a constructor (it is ${describeValue(type)})`);
        }
        return value instanceof type;
      };
    }
  }
}

function compileLogical(node: LogicalExpression, ctx: CompileContext): Evaluator {
  const l = compileNode(node.left, ctx);
  const r = compileNode(node.right, ctx);
  switch (node.operator) {
    case '&&':
      return (s, f) => l(s, f) && r(s, f);
    case '||':
      return (s, f) => l(s, f) || r(s, f);
    case '??':
      return (s, f) => l(s, f) ?? r(s, f);
  }
}
