// Source text → acorn AST. The text is wrapped in parentheses (so `{ url: '/' }` is an object
// literal, as in the original engine) and must be exactly one expression.
import { getLineInfo, parseExpressionAt, type Expression } from 'acorn';
import { ExpressionError } from './errors.js';

/** Every AST position is one past the source position because of the opening parenthesis. */
export const WRAP_OFFSET = 1;

export function parseSource(source: string): Expression {
  // The newline keeps a trailing `// comment` from swallowing the closing parenthesis.
  const wrapped = `(${source}\n)`;
  let node: Expression;
  try {
    node = parseExpressionAt(wrapped, 0, { ecmaVersion: 'latest', sourceType: 'script', preserveParens: true });
  } catch (error) {
    if (error instanceof SyntaxError) {
      const position = (error as SyntaxError & { pos?: number }).pos ?? WRAP_OFFSET;
      throw syntaxError(source, error.message.replace(/\s*\(\d+:\d+\)$/, ''), position - WRAP_OFFSET);
    }
    throw error;
  }
  // `a), (b` parses as two parenthesised expressions; `a); b; (c` stops early. Both are refused.
  if (node.type !== 'ParenthesizedExpression' || node.end !== wrapped.length) {
    const at = node.type === 'ParenthesizedExpression' ? node.end - WRAP_OFFSET : source.length;
    throw syntaxError(source, 'the text must be one single expression (unbalanced parentheses or extra text)', at);
  }
  return node.expression;
}

function syntaxError(source: string, reason: string, position: number): ExpressionError {
  const clamped = Math.max(0, Math.min(position, source.length));
  const { line, column } = getLineInfo(source, clamped);
  const where = source.includes('\n') ? `line ${line}, column ${column + 1}` : `column ${column + 1}`;
  return new ExpressionError('syntax', source, `${reason} at ${where}`);
}
