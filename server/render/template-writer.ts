// The Mustache writer every component renders through. Its cache holds one parsed template per
// prepared file text (never per rendered output, compatibility.md D13). Two reserved sections are evaluated here,
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

/**
 * `{{{__atomComponentId}}}` renders the id of the component instance being rendered: prepared templates
 * carry it in data-component-id, so the id needs no pass over the output.
 */
export const COMPONENT_ID_VARIABLE = '__atomComponentId';

/** A parsed section token: [type, name, start, end, innerTokens, closeTagStart]. */
type SectionToken = [string, string, number, number, string[][], number];

/** One token turned into a function: appends what the token renders in `context` to `out`. */
type Piece = (context: Mustache.Context, out: string[]) => void;

function runPieces(pieces: Piece[], context: Mustache.Context, out: string[]): void {
  for (let i = 0; i < pieces.length; i++) pieces[i](context, out);
}

/** mustache.js's hasProperty and primitiveHasOwnProperty */
function hasProperty(value: unknown, name: string): boolean {
  return value != null && typeof value === 'object' && name in value;
}

function primitiveHasOwnProperty(value: unknown, name: string): boolean {
  return value != null && typeof value !== 'object' && Object.prototype.hasOwnProperty.call(value, name);
}

/**
 * A name looked up as mustache.js's Context.lookup does (innermost frame outward, dotted paths, functions
 * called with the frame's view), with the path split once when the template is compiled and without the
 * per-frame cache (every loop item is a new frame, so that cache only ever missed).
 */
function compileLookup(name: string): (context: Mustache.Context) => unknown {
  if (name === '.') {
    return (context) => {
      const value: unknown = context.view;
      return typeof value === 'function' ? value.call(context.view) : value;
    };
  }
  const names = name.indexOf('.') > 0 ? name.split('.') : null;
  const last = names ? names.length - 1 : 0;
  return (context) => {
    let value: unknown;
    for (let frame: Mustache.Context | undefined = context; frame; frame = frame.parent) {
      let hit = false;
      let found: any;
      if (names) {
        found = frame.view;
        let index = 0;
        while (found != null && index <= last) {
          if (index === last) hit = hasProperty(found, names[index]) || primitiveHasOwnProperty(found, names[index]);
          found = found[names[index++]];
        }
      } else {
        found = frame.view[name];
        hit = hasProperty(frame.view, name);
      }
      if (hit) {
        value = found;
        break;
      }
    }
    return typeof value === 'function' ? value.call(context.view) : value;
  };
}

export class TemplateWriter extends Mustache.Writer {
  private readonly conditions = new Map<string, Condition>();
  /** the instance id `{{{__atomComponentId}}}` stands for during the current render */
  componentId = '';

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

  /**
   * Templates rendered by `render` without partials or options run as compiled pieces writing into one
   * array joined once, instead of mustache.js's string concatenation per token: the same tokens, lookups
   * and lambdas in the same order, and one flat string at the end instead of a rope of thousands of parts
   * (whose flattening, on the way to the wire, used to cost more than the rendering itself).
   */
  private readonly programs = new Map<string, Piece[] | null>();

  override render(template: string, view: unknown, partials?: Mustache.PartialsOrLookupFn, config?: Mustache.RenderOptions): string {
    if (partials !== undefined || config !== undefined) return super.render(template, view, partials, config);
    let program = this.programs.get(template);
    if (program === undefined) {
      program = this.compile(this.parse(template) as unknown as SectionToken[], template);
      this.programs.set(template, program);
    }
    if (program === null) return super.render(template, view, partials, config);
    const context = view instanceof Mustache.Context ? view : new Mustache.Context(view);
    const out: string[] = [];
    runPieces(program, context, out);
    return out.join('');
  }

  /** Pieces for the tokens of `template`, or null when it needs what only mustache.js does (partials). */
  private compile(tokens: SectionToken[], template: string): Piece[] | null {
    const pieces: Piece[] = [];
    for (const token of tokens) {
      if (token[0] === '!' || token[0] === '=') continue; // render nothing, as in mustache.js
      const piece = this.compileToken(token, template);
      if (piece === null) return null;
      pieces.push(piece);
    }
    return pieces;
  }

  private compileToken(token: SectionToken, template: string): Piece | null {
    const [type, name] = token;
    switch (type) {
      case 'text': {
        // mustache.js builds a text token one character at a time (a rope of single characters): copy it
        // into one flat string once, or every render would walk those characters again
        const text = JSON.parse(JSON.stringify(name)) as string;
        token[1] = text; // the cached token keeps the flat copy, and the rope of characters can go
        return (_context, out) => void out.push(text);
      }
      case 'name': {
        const lookup = compileLookup(name);
        return (context, out) => {
          const value: unknown = lookup(context);
          if (value == null) return;
          // as mustache.js: numbers are written as they are, everything else through Mustache.escape
          out.push(typeof value === 'number' ? String(value) : Mustache.escape(value as string));
        };
      }
      case '&': {
        if (name === COMPONENT_ID_VARIABLE) return (_context, out) => void out.push(this.componentId);
        const lookup = compileLookup(name);
        return (context, out) => {
          const value: unknown = lookup(context);
          if (value != null) out.push('' + (value as string)); // `+` as mustache.js's `buffer += value`
        };
      }
      case '#': {
        const inner = this.compile(token[4] as unknown as SectionToken[], template);
        if (inner === null) return null;
        const lookup = compileLookup(name);
        return (context, out) => this.runSection(token, inner, lookup, template, context, out);
      }
      case '^': {
        const inner = this.compile(token[4] as unknown as SectionToken[], template);
        if (inner === null) return null;
        const lookup = compileLookup(name);
        return (context, out) => {
          const value: unknown = lookup(context);
          if (!value || (Array.isArray(value) && value.length === 0)) runPieces(inner, context, out);
        };
      }
      default:
        return null;
    }
  }

  /** A section as renderSection renders it (conditions, asJSON, lists, objects, lambdas, flags). */
  private runSection(
    token: SectionToken,
    inner: Piece[],
    lookup: (context: Mustache.Context) => unknown,
    template: string,
    context: Mustache.Context,
    out: string[],
  ): void {
    const name = token[1];
    const condition = this.conditions.get(name);
    if (condition) {
      if (this.conditionHolds(condition, context)) runPieces(inner, context, out);
      return;
    }
    if (name === 'asJSON' && frameLookup(context, name).value === asJSON) {
      const path = template.slice(token[3], token[5]).trim();
      out.push(safeJson(path === '.' || path === '' ? context.view : context.lookup(path)));
      return;
    }
    const value: unknown = lookup(context);
    if (!value) return;
    if (Array.isArray(value)) {
      for (let j = 0; j < value.length; j++) runPieces(inner, context.push(value[j]), out);
    } else if (typeof value === 'object' || typeof value === 'string' || typeof value === 'number') {
      runPieces(inner, context.push(value), out);
    } else if (typeof value === 'function') {
      const subRender = (text: string) => this.render(text, context);
      const result: unknown = value.call(context.view, template.slice(token[3], token[5]), subRender);
      if (result != null) out.push('' + (result as string));
    } else {
      runPieces(inner, context, out);
    }
  }

  /** Number of parsed templates held (one per prepared file text). */
  cachedTemplateCount(): number {
    const cache = (this as unknown as { templateCache?: { _cache?: Record<string, unknown> } }).templateCache;
    return Object.keys(cache?._cache ?? {}).length;
  }

  override unescapedValue(token: string[], context: Mustache.Context): string {
    if (token[1] === COMPONENT_ID_VARIABLE) return this.componentId;
    return super.unescapedValue(token, context);
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
    // The inner tokens render in the same context: a condition pushes no frame.
    return this.conditionHolds(condition, context) ? this.renderTokens(token[4], context, partials, originalTemplate, config) : '';
  }

  private conditionHolds(condition: Condition, context: Mustache.Context): boolean {
    if (!condition.evaluate) {
      this.onConditionFailure(condition, condition.compileError);
      return false;
    }
    try {
      return Boolean(condition.evaluate({ lookup: (name: string) => frameLookup(context, name) }));
    } catch (error) {
      this.onConditionFailure(condition, error);
      return false;
    }
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
