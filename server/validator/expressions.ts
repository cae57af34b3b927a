// Expressions are checked with the runtime's own compiler (compatibility.md D29): what does not compile there is a
// syntax error here, and the free names it reports are the roots checked against what the step or
// template can see. A small walk over the same AST finds the connectors read as data.<name>.
import type { Node } from 'acorn';
import { compileExpression, ExpressionError } from '../actions/expression.js';
import { parseSource } from '../actions/expression/parse.js';

export interface ExpressionFacts {
  /** set when the runtime would refuse the text (syntax error, unsupported or forbidden form) */
  problem?: string;
  roots: string[];
  /** connector names read as data.<name> or data['<name>'] */
  dataKeys: string[];
  /** names used only as `typeof name` (reading them never fails) */
  typeofNames: Set<string>;
}

export function inspectExpression(source: string): ExpressionFacts {
  let roots: string[];
  try {
    roots = [...compileExpression(source).roots];
  } catch (error) {
    if (error instanceof ExpressionError) return { problem: error.message, roots: [], dataKeys: [], typeofNames: new Set() };
    throw error;
  }
  const dataKeys = new Set<string>();
  const typeofNames = new Set<string>();
  walk(parseSource(source) as Node, new Set(), (node, shadowed) => {
    if (node.type === 'UnaryExpression' && node.operator === 'typeof' && node.argument.type === 'Identifier') {
      typeofNames.add(node.argument.name);
    }
    if (node.type !== 'MemberExpression' || node.object.type !== 'Identifier' || node.object.name !== 'data' || shadowed.has('data')) return;
    const property = node.property;
    if (!node.computed && property.type === 'Identifier') dataKeys.add(property.name);
    else if (node.computed && property.type === 'Literal' && typeof property.value === 'string') dataKeys.add(property.value);
  });
  return { roots, dataKeys: [...dataKeys], typeofNames };
}

/** Visits every node; names bound by arrow parameters are passed down as shadowed. */
function walk(node: Node, shadowed: Set<string>, visit: (node: any, shadowed: Set<string>) => void): void {
  visit(node, shadowed);
  let inner = shadowed;
  if (node.type === 'ArrowFunctionExpression') {
    inner = new Set(shadowed);
    for (const param of (node as any).params as Node[]) collectNames(param, inner);
  }
  for (const [key, value] of Object.entries(node)) {
    if (key === 'type' || key === 'start' || key === 'end') continue;
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) walk(item, inner, visit);
    } else if (isNode(value)) {
      walk(value, inner, visit);
    }
  }
}

function collectNames(node: Node, into: Set<string>): void {
  if (node.type === 'Identifier') {
    into.add((node as any).name);
    return;
  }
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) {
      for (const item of value) if (isNode(item)) collectNames(item, into);
    } else if (isNode(value)) {
      collectNames(value, into);
    }
  }
}

function isNode(value: unknown): value is Node {
  return value !== null && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string';
}

/** A syntax error caused by text written without quotes: note saved must be "'note saved'". */
export function quoteHint(source: string): string {
  const text = source.trim();
  const prose = /^[\p{L}\p{N}][\p{L}\p{N} ,.!?%'-]*$/u.test(text) && /\s/.test(text);
  if (!prose && !/^https?:\/\//.test(text)) return '';
  return `if this is text, quote it inside the string: "'${text.replace(/'/g, "\\'")}'"`;
}
