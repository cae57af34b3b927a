// Evaluates step values: non-strings as they are, strings as compiled expressions over the action's
// variables. Failures become ActionErrors that name the step path and the expression.
import { compileExpression, ExpressionError, scopeFromObject, type ExpressionScope } from './expression.js';
import { ActionError, isZodError, validationError } from './errors.js';
import type { RunState, Vars } from './context.js';

export function scopeOf(vars: Vars): ExpressionScope {
  return scopeFromObject(vars);
}

export function stepFailure(error: unknown, state: RunState, path: string, expression?: string): ActionError {
  if (error instanceof ActionError) return error;
  if (isZodError(error)) return validationError(error, path);
  // a handler may refuse with its own status: throw Object.assign(new Error('…'), { status: 409 })
  const refusal = error as { status?: unknown; message?: unknown; fields?: unknown };
  if (typeof refusal?.status === 'number' && refusal.status >= 400 && refusal.status < 500 && typeof refusal.message === 'string') {
    const fields = refusal.fields && typeof refusal.fields === 'object' ? (refusal.fields as Record<string, string>) : undefined;
    return new ActionError(refusal.status, refusal.message, { step: path, fields, cause: error });
  }
  const err = error instanceof Error ? error : new Error(String(error));
  const where = path;
  const expr = expression === undefined ? '' : ` (expression: ${expression})`;
  const kind = err instanceof ExpressionError && err.kind === 'syntax' ? 'syntax error' : 'failed';
  return new ActionError(500, `step ${kind} at ${where}: ${err.message}${expr}`, { step: where, cause: err });
}

export function evaluate(value: unknown, state: RunState, path: string): unknown {
  if (typeof value !== 'string') {
    // a literal object or array from the manifest is copied, or a later step would change it for every next request
    if (value === null || typeof value !== 'object') return value;
    try {
      return structuredClone(value);
    } catch (error) {
      throw stepFailure(error, state, path);
    }
  }
  try {
    return compileExpression(value).evaluate(scopeOf(state.vars));
  } catch (error) {
    throw stepFailure(error, state, path, value);
  }
}
