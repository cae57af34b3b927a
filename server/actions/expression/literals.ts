// Literal values: primitives, regular expressions, templates, arrays and object literals.
import type { ArrayExpression, Expression, Literal, ObjectExpression, SpreadElement, TemplateLiteral } from 'acorn';
import type { CompileContext, Evaluator } from './compile-context.js';
import { compileNode } from './compile.js';
import { describeValue, ExpressionError } from './errors.js';
import { checkStaticKey, safeKey } from './guards.js';

export function compileLiteral(node: Literal): Evaluator {
  if (node.regex) {
    const { pattern, flags } = node.regex;
    // A literal makes a new object on each evaluation: lastIndex and any mutation stay per evaluation.
    return () => new RegExp(pattern, flags);
  }
  if (node.bigint !== undefined) {
    const value = BigInt(node.bigint);
    return () => value;
  }
  const value = node.value;
  return () => value;
}

export function compileTemplate(node: TemplateLiteral, ctx: CompileContext): Evaluator {
  const strings = node.quasis.map((quasi) => quasi.value.cooked ?? quasi.value.raw);
  const parts = node.expressions.map((part) => compileNode(part, ctx));
  if (parts.length === 0) {
    const text = strings[0];
    return () => text;
  }
  return (s, f) => {
    let text = strings[0];
    for (let i = 0; i < parts.length; i++) text += `${parts[i](s, f)}${strings[i + 1]}`;
    return text;
  };
}

/** Spread sources must be iterable, as in JS, but with a message that names the expression. */
export function iterableOf(value: unknown, text: string, source: string): Iterable<unknown> {
  if (Array.isArray(value)) return value;
  if (value !== null && value !== undefined && typeof (value as Iterable<unknown>)[Symbol.iterator] === 'function') {
    return value as Iterable<unknown>;
  }
  throw new ExpressionError('runtime', source, `${text} is not iterable (it is ${describeValue(value)})`);
}

export function compileArray(node: ArrayExpression, ctx: CompileContext): Evaluator {
  const source = ctx.source;
  type Element = { value: Evaluator; spread: false } | { value: Evaluator; spread: true; text: string } | null;
  const elements: Element[] = node.elements.map((element) => {
    if (element === null) return null;
    if (element.type === 'SpreadElement') {
      return { value: compileNode(element.argument, ctx), spread: true, text: ctx.textOf(element.argument) };
    }
    return { value: compileNode(element, ctx), spread: false };
  });
  if (elements.every((element) => element !== null && !element.spread)) {
    const values = elements.map((element) => element!.value);
    return (s, f) => {
      const out: unknown[] = [];
      for (let i = 0; i < values.length; i++) out.push(values[i](s, f));
      return out;
    };
  }
  return (s, f) => {
    const out: unknown[] = [];
    for (const element of elements) {
      if (element === null) out.length++; // a hole, as in [1, , 2]
      else if (!element.spread) out.push(element.value(s, f));
      else for (const item of iterableOf(element.value(s, f), element.text, source)) out.push(item);
    }
    return out;
  };
}

/** `{ ...x }` defines properties; Object.assign would run the __proto__ setter for an own "__proto__" key. */
function spreadInto(out: Record<PropertyKey, unknown>, value: unknown): void {
  if (value === null || value === undefined) return;
  if (typeof value === 'object' && Object.hasOwn(value, '__proto__')) {
    for (const key of Reflect.ownKeys(value)) {
      if (Object.prototype.propertyIsEnumerable.call(value, key)) {
        Object.defineProperty(out, key, {
          value: (value as Record<PropertyKey, unknown>)[key],
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
    }
    return;
  }
  Object.assign(out, value);
}

/** A key known at compile time, or undefined when the key is computed. */
export function staticPropertyKey(key: Expression, computed: boolean, ctx: CompileContext): string | undefined {
  if (computed) return undefined;
  if (key.type === 'Identifier') return checkStaticKey(key.name, ctx.source);
  if (key.type === 'Literal') return checkStaticKey(String(key.value), ctx.source);
  throw ctx.unsupported(`${key.type} as a property key is`);
}

type ObjectPart =
  | { kind: 'static'; key: string; value: Evaluator }
  | { kind: 'computed'; key: Evaluator; value: Evaluator }
  | { kind: 'spread'; value: Evaluator };

export function compileObject(node: ObjectExpression, ctx: CompileContext): Evaluator {
  const source = ctx.source;
  const parts: ObjectPart[] = node.properties.map((property): ObjectPart => {
    if (property.type === 'SpreadElement') return { kind: 'spread', value: compileNode((property as SpreadElement).argument, ctx) };
    if (property.kind !== 'init' || property.method) throw ctx.unsupported('getters, setters and methods in object literals are');
    const key = staticPropertyKey(property.key, property.computed, ctx);
    if (key !== undefined) return { kind: 'static', key, value: compileNode(property.value, ctx) };
    return { kind: 'computed', key: compileNode(property.key, ctx), value: compileNode(property.value, ctx) };
  });
  if (parts.every((part) => part.kind === 'static')) {
    const keys = parts.map((part) => (part as { key: string }).key);
    const values = parts.map((part) => part.value);
    return (s, f) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < keys.length; i++) out[keys[i]] = values[i](s, f);
      return out;
    };
  }
  return (s, f) => {
    const out: Record<PropertyKey, unknown> = {};
    for (const part of parts) {
      if (part.kind === 'static') out[part.key] = part.value(s, f);
      else if (part.kind === 'spread') spreadInto(out, part.value(s, f));
      else {
        const key = safeKey(part.key(s, f), source);
        out[key] = part.value(s, f);
      }
    }
    return out;
  };
}
