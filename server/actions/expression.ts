// The sandboxed expression language of manifests (step values, atom-if): JavaScript expressions
// parsed with acorn and compiled once into closures. No eval, no Function, no vm; only the scope's
// names and a vetted set of globals are reachable (compatibility.md §6.3, §6.4, §4.6, D2).
import { CompileContext, type Evaluator } from './expression/compile-context.js';
import { compileNode } from './expression/compile.js';
import { ExpressionError } from './expression/errors.js';
import { parseSource } from './expression/parse.js';
import type { ExpressionScope } from './expression/scope.js';

export { ExpressionError, type ExpressionErrorKind } from './expression/errors.js';
export { EXPRESSION_GLOBALS } from './expression/globals.js';
export { scopeFromObject, type ExpressionScope } from './expression/scope.js';

export interface CompiledExpression {
  readonly source: string;
  /** free root identifiers the expression reads (not arrow params, not allowed globals), e.g. ['data','body'] */
  readonly roots: string[];
  evaluate(scope: ExpressionScope): unknown;
}

class Compiled implements CompiledExpression {
  readonly roots: string[];

  constructor(
    readonly source: string,
    roots: string[],
    private readonly run: Evaluator,
  ) {
    this.roots = Object.freeze(roots) as string[];
    Object.freeze(this);
  }

  evaluate(scope: ExpressionScope): unknown {
    try {
      return this.run(scope, undefined);
    } catch (error) {
      // Built-in helpers (the Object facade) cannot know which expression called them.
      if (error instanceof ExpressionError && error.source === '') {
        throw new ExpressionError(error.kind, this.source, error.message);
      }
      throw error;
    }
  }
}

/** Manifests hold a bounded set of expressions; the bound only guards against generated sources. */
const CACHE_LIMIT = 5000;
const cache = new Map<string, CompiledExpression>();

/**
 * Parses and compiles once per distinct source (cached). Throws ExpressionError: kind 'syntax' for
 * text that does not parse or uses an unsupported form, 'forbidden' for sandbox violations visible
 * without running it (`x.constructor`, assigning to `data`, `import()`).
 */
export function compileExpression(source: string): CompiledExpression {
  const cached = cache.get(source);
  if (cached !== undefined) return cached;
  if (typeof source !== 'string') throw new TypeError(`an expression must be a string, got ${typeof source}`);
  const ctx = new CompileContext(source);
  const compiled = new Compiled(source, ctx.roots, compileNode(parseSource(source), ctx));
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(source, compiled);
  return compiled;
}
