// Arrow functions: parameters (with defaults, rest and destructuring), expression bodies and
// block bodies made of const/let, if, return, throw and expression statements.
import type { ArrowFunctionExpression, BlockStatement, Expression, Pattern, Statement } from 'acorn';
import { type CompileContext, type Evaluator, type Frame, FunctionScope } from './compile-context.js';
import { compileNode } from './compile.js';
import type { ExpressionScope } from './scope.js';
import { safeKey } from './guards.js';
import { staticPropertyKey } from './literals.js';

/** Stores a value (an argument, a destructured part) into the current frame. */
type Binder = (scope: ExpressionScope, frame: Frame, value: any) => void;

/** A statement's outcome: CONTINUE to run the next one, anything else is the returned value. */
type StatementRunner = (scope: ExpressionScope, frame: Frame) => any;
const CONTINUE: unique symbol = Symbol('continue');

export function compileArrow(node: ArrowFunctionExpression, ctx: CompileContext): Evaluator {
  if (node.async) throw ctx.unsupported('async functions are');
  const fn = new FunctionScope(ctx.fn);
  const outer = ctx.fn;
  ctx.fn = fn;
  let binders: Binder[];
  let body: Evaluator;
  try {
    for (const param of node.params) for (const name of boundNames(param)) fn.declare(name, false);
    binders = node.params.map((param) => (param.type === 'RestElement' ? compileBinder(param.argument, ctx) : compileBinder(param, ctx)));
    body = node.expression ? compileNode(node.body as Expression, ctx) : compileFunctionBody(node.body as BlockStatement, ctx);
  } finally {
    ctx.fn = outer;
  }
  const size = fn.size;
  const simple = node.params.every((param) => param.type === 'Identifier');
  const count = node.params.length;

  // Plain parameters land in slots 1..count in order; the frame is built directly.
  if (simple && size === count + 1 && count <= 3) {
    switch (count) {
      case 0:
        return (s, f) => () => body(s, [f]);
      case 1:
        return (s, f) => (a: unknown) => body(s, [f, a]);
      case 2:
        return (s, f) => (a: unknown, b: unknown) => body(s, [f, a, b]);
      case 3:
        return (s, f) => (a: unknown, b: unknown, c: unknown) => body(s, [f, a, b, c]);
    }
  }
  const restAt = node.params.findIndex((param) => param.type === 'RestElement');
  return (s, f) =>
    (...args: unknown[]) => {
      const frame: Frame = new Array(size);
      frame[0] = f;
      for (let i = 0; i < binders.length; i++) binders[i](s, frame, i === restAt ? args.slice(i) : args[i]);
      return body(s, frame);
    };
}

/** Names a parameter or declaration pattern introduces, in source order. */
function boundNames(pattern: Pattern): string[] {
  switch (pattern.type) {
    case 'Identifier':
      return [pattern.name];
    case 'AssignmentPattern':
      return boundNames(pattern.left);
    case 'RestElement':
      return boundNames(pattern.argument);
    case 'ArrayPattern':
      return pattern.elements.flatMap((element) => (element ? boundNames(element) : []));
    case 'ObjectPattern':
      return pattern.properties.flatMap((property) =>
        property.type === 'RestElement' ? boundNames(property.argument) : boundNames(property.value),
      );
    default:
      return [];
  }
}

/** Patterns read leniently, like member access: destructuring undefined gives undefined parts. */
function compileBinder(pattern: Pattern, ctx: CompileContext): Binder {
  const source = ctx.source;
  switch (pattern.type) {
    case 'Identifier': {
      const slot = ctx.fn!.findOwn(pattern.name)!.slot;
      return (_s, frame, value) => {
        frame[slot] = value;
      };
    }
    case 'AssignmentPattern': {
      const inner = compileBinder(pattern.left, ctx);
      const fallback = compileNode(pattern.right, ctx);
      return (s, frame, value) => inner(s, frame, value === undefined ? fallback(s, frame) : value);
    }
    case 'ArrayPattern': {
      const parts = pattern.elements.map((element) => {
        if (element === null) return null;
        if (element.type === 'RestElement') return { rest: true, bind: compileBinder(element.argument, ctx) };
        return { rest: false, bind: compileBinder(element, ctx) };
      });
      return (s, frame, value) => {
        const items: unknown[] =
          value === null || value === undefined ? [] : Array.isArray(value) ? value : Array.from(value);
        for (let i = 0; i < parts.length; i++) {
          const part = parts[i];
          if (part === null) continue;
          part.bind(s, frame, part.rest ? items.slice(i) : items[i]);
        }
      };
    }
    case 'ObjectPattern': {
      type Part =
        | { kind: 'static'; key: string; bind: Binder }
        | { kind: 'computed'; key: Evaluator; bind: Binder }
        | { kind: 'rest'; bind: Binder };
      const parts: Part[] = pattern.properties.map((property): Part => {
        if (property.type === 'RestElement') return { kind: 'rest', bind: compileBinder(property.argument, ctx) };
        const key = staticPropertyKey(property.key, property.computed, ctx);
        if (key !== undefined) return { kind: 'static', key, bind: compileBinder(property.value, ctx) };
        return { kind: 'computed', key: compileNode(property.key, ctx), bind: compileBinder(property.value, ctx) };
      });
      return (s, frame, value) => {
        const present = value !== null && value !== undefined;
        const used: PropertyKey[] = [];
        for (const part of parts) {
          if (part.kind === 'rest') {
            const rest: Record<PropertyKey, unknown> = present ? { ...value } : {};
            for (const key of used) delete rest[key];
            part.bind(s, frame, rest);
            continue;
          }
          const key = part.kind === 'static' ? part.key : safeKey(part.key(s, frame), source);
          used.push(key);
          part.bind(s, frame, present ? value[key] : undefined);
        }
      };
    }
    default:
      throw ctx.unsupported(`${pattern.type} as a parameter or declaration is`);
  }
}

function compileFunctionBody(block: BlockStatement, ctx: CompileContext): Evaluator {
  const run = compileBlock(block.body, ctx);
  return (s, f) => {
    const outcome = run(s, f!);
    return outcome === CONTINUE ? undefined : outcome;
  };
}

function compileBlock(statements: Statement[], ctx: CompileContext): StatementRunner {
  const fn = ctx.fn!;
  fn.enterBlock();
  try {
    // let/const are visible in the whole block (an arrow may use a name declared below it).
    for (const statement of statements) {
      if (statement.type !== 'VariableDeclaration') continue;
      if (statement.kind !== 'const' && statement.kind !== 'let') throw ctx.unsupported(`"${statement.kind}" is (use const or let)`);
      for (const declarator of statement.declarations) {
        for (const name of boundNames(declarator.id)) fn.declare(name, statement.kind === 'const');
      }
    }
    const runners = statements.map((statement) => compileStatement(statement, ctx));
    if (runners.length === 1) return runners[0];
    return (s, f) => {
      for (let i = 0; i < runners.length; i++) {
        const outcome = runners[i](s, f);
        if (outcome !== CONTINUE) return outcome;
      }
      return CONTINUE;
    };
  } finally {
    fn.leaveBlock();
  }
}

function compileStatement(statement: Statement, ctx: CompileContext): StatementRunner {
  switch (statement.type) {
    case 'ExpressionStatement': {
      const expression = compileNode(statement.expression as Expression, ctx);
      return (s, f) => {
        expression(s, f);
        return CONTINUE;
      };
    }
    case 'ReturnStatement': {
      if (!statement.argument) return () => undefined;
      return compileNode(statement.argument, ctx);
    }
    case 'VariableDeclaration': {
      const declarators = statement.declarations.map((declarator) => ({
        bind: compileBinder(declarator.id, ctx),
        init: declarator.init ? compileNode(declarator.init, ctx) : undefined,
      }));
      return (s, f) => {
        for (const { bind, init } of declarators) bind(s, f, init === undefined ? undefined : init(s, f));
        return CONTINUE;
      };
    }
    case 'IfStatement': {
      const test = compileNode(statement.test, ctx);
      const consequent = compileStatement(statement.consequent, ctx);
      const alternate = statement.alternate ? compileStatement(statement.alternate, ctx) : undefined;
      return (s, f) => (test(s, f) ? consequent(s, f) : alternate === undefined ? CONTINUE : alternate(s, f));
    }
    case 'BlockStatement':
      return compileBlock(statement.body, ctx);
    case 'EmptyStatement':
      return () => CONTINUE;
    case 'ThrowStatement': {
      const value = compileNode(statement.argument, ctx);
      return (s, f) => {
        throw value(s, f);
      };
    }
    default:
      throw ctx.unsupported(
        `${statement.type} is`,
        'arrow function bodies may use const, let, if, return, throw and expression statements',
      );
  }
}
