// Where an expression's free names come from. The compiler reads ObjectScope directly (no result
// object per lookup); any other ExpressionScope goes through lookup().

export interface ExpressionScope {
  lookup(name: string): { found: boolean; value?: unknown };
}

export class ObjectScope implements ExpressionScope {
  constructor(
    readonly vars: Record<string, unknown>,
    readonly parent?: ExpressionScope,
  ) {}

  lookup(name: string): { found: boolean; value?: unknown } {
    const value = lookupName(this, name);
    return value === MISSING ? NOT_FOUND : { found: true, value };
  }
}

const NOT_FOUND = Object.freeze({ found: false });

/** Marks "no such name" without allocating; never escapes the engine. */
export const MISSING: unique symbol = Symbol('missing');

const hasOwn = Object.hasOwn;

/** Only own keys count, so names inherited from Object.prototype (toString, constructor) are not found. */
export function lookupName(scope: ExpressionScope, name: string): unknown {
  let current: ExpressionScope | undefined = scope;
  while (current instanceof ObjectScope) {
    if (hasOwn(current.vars, name)) return current.vars[name];
    current = current.parent;
  }
  if (current === undefined) return MISSING;
  const result = current.lookup(name);
  return result.found ? result.value : MISSING;
}

export function scopeFromObject(vars: Record<string, unknown>, parent?: ExpressionScope): ExpressionScope {
  return new ObjectScope(vars, parent);
}
