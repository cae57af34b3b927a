// The one error type the expression engine raises itself. Errors thrown by code an expression
// calls (a zod parse, bcrypt, a user's arrow) are never wrapped: callers recognise them as they are.

export type ExpressionErrorKind = 'syntax' | 'runtime' | 'forbidden';

export class ExpressionError extends Error {
  /** the expression text as written in the manifest */
  readonly source: string;
  /**
   * syntax: the text does not parse, or uses a form the engine does not support;
   * runtime: evaluation failed (unknown name, calling a non-function, …);
   * forbidden: the expression tried to leave the sandbox (prototype access, assigning a root, …).
   */
  readonly kind: ExpressionErrorKind;

  constructor(kind: ExpressionErrorKind, source: string, message: string) {
    super(message);
    this.name = 'ExpressionError';
    this.kind = kind;
    this.source = source;
  }
}

/** Short, readable description of a value for error messages ("undefined", "a number", …). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
