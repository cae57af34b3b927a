// The Mustache writer every component renders through. Its cache holds one parsed template per
// prepared file text (never per rendered output, D13). Two reserved sections are evaluated here,
// inside the Mustache pass, so they see loop items through the context's frames:
//  - {{#__atomIf_N}}…{{/__atomIf_N}}: the atom-if condition N (compiled once with the same
//    expression compiler as action steps);
//  - {{#asJSON}}path{{/asJSON}}: the JSON of the value at `path`, safe inside <script>.
import Mustache from 'mustache';
import { compileExpression, type ExpressionScope } from '../actions/expression.js';
import { asJSON, safeJson } from './safe-json.js';

export interface Condition {
  section: string;
  expression: string;
  file: string;
  component: string;
  evaluate?: (scope: ExpressionScope) => unknown;
  compileError?: unknown;
}

export type ConditionFailure = (condition: Condition, error: unknown) => void;

/** A parsed section token: [type, name, start, end, innerTokens, closeTagStart]. */
type SectionToken = [string, string, number, number, string[][], number];

export class TemplateWriter extends Mustache.Writer {
  private readonly conditions = new Map<string, Condition>();

  constructor(private readonly onConditionFailure: ConditionFailure) {
    super();
  }

  /** Compiles and registers an atom-if condition; returns it (with compileError set on failure). */
  addCondition(condition: Omit<Condition, 'evaluate' | 'compileError'>): Condition {
    const entry: Condition = { ...condition };
    try {
      const compiled = compileExpression(condition.expression);
      entry.evaluate = (scope) => compiled.evaluate(scope);
    } catch (error) {
      entry.compileError = error;
    }
    this.conditions.set(condition.section, entry);
    return entry;
  }

  /** Number of parsed templates held (one per prepared file text). */
  cachedTemplateCount(): number {
    const cache = (this as unknown as { templateCache?: { _cache?: Record<string, unknown> } }).templateCache;
    return Object.keys(cache?._cache ?? {}).length;
  }

  override renderSection(
    rawToken: string[],
    context: Mustache.Context,
    partials?: Mustache.PartialsOrLookupFn,
    originalTemplate?: string,
    config?: Mustache.RenderOptions,
  ): string {
    const token = rawToken as unknown as SectionToken;
    const name = token[1];
    const condition = this.conditions.get(name);
    if (condition) return this.renderCondition(condition, token, context, partials, originalTemplate, config);
    if (name === 'asJSON' && originalTemplate !== undefined && frameLookup(context, name).value === asJSON) {
      const path = originalTemplate.slice(token[3], token[5]).trim();
      return safeJson(path === '.' || path === '' ? context.view : context.lookup(path));
    }
    // mustache.js returns undefined for a skipped section although its types say string
    return super.renderSection(rawToken, context, partials, originalTemplate, config) ?? '';
  }

  private renderCondition(
    condition: Condition,
    token: SectionToken,
    context: Mustache.Context,
    partials?: Mustache.PartialsOrLookupFn,
    originalTemplate?: string,
    config?: Mustache.RenderOptions,
  ): string {
    if (!condition.evaluate) {
      this.onConditionFailure(condition, condition.compileError);
      return '';
    }
    let result: unknown;
    try {
      result = condition.evaluate({ lookup: (name: string) => frameLookup(context, name) });
    } catch (error) {
      this.onConditionFailure(condition, error);
      return '';
    }
    if (!result) return '';
    // The inner tokens render in the same context: a condition pushes no frame.
    return this.renderTokens(token[4], context, partials, originalTemplate, config);
  }
}

/**
 * A name as Mustache resolves it: innermost frame (loop item) outward. Only own properties
 * count, so an expression cannot reach Object.prototype members such as `constructor`. Values
 * are returned as they are (functions are not called).
 */
export function frameLookup(context: Mustache.Context, name: string): { found: boolean; value?: unknown } {
  if (name === '__proto__') return { found: false };
  for (let frame: Mustache.Context | undefined = context; frame; frame = frame.parent) {
    const view: unknown = frame.view;
    if (view !== null && typeof view === 'object' && Object.hasOwn(view, name)) {
      return { found: true, value: (view as Record<string, unknown>)[name] };
    }
  }
  return { found: false };
}
