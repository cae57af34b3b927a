// One render context for every path: full page, SPA payload and action update see the same
// names (compatibility.md D6), and `globals` keeps the manifest's globals intact next to the computed title (D7).
import { asJSON } from './safe-json.js';
import { money } from './formatters.js';

export const DEFAULT_APP_TITLE = 'Serverokey';

export interface RenderInputLike {
  data: Record<string, unknown>;
  user: Record<string, unknown> | null;
  url: { pathname: string; query: Record<string, string> };
  context?: Record<string, unknown>;
  extra?: Record<string, unknown>;
}

/** launch.window.title → globals.appName → 'Serverokey'. */
export function appTitle(windowTitle: string | undefined, globals: Record<string, unknown> | undefined): string {
  return firstTitle(windowTitle, globals?.appName) ?? DEFAULT_APP_TITLE;
}

/** The first non-empty string (or number) among the candidates. */
export function firstTitle(...candidates: unknown[]): string | undefined {
  for (const candidate of candidates) {
    if (typeof candidate === 'string' && candidate.trim() !== '') return candidate;
    if (typeof candidate === 'number') return String(candidate);
  }
  return undefined;
}

export function buildRenderContext(
  input: RenderInputLike,
  globals: Record<string, unknown>,
  title: string,
): Record<string, unknown> {
  return {
    ...globals,
    globals: { ...globals, appName: title },
    data: input.data,
    user: input.user,
    url: input.url,
    // what the route's steps computed (e.g. a view's `context.sale` found from the query string)
    context: input.context ?? {},
    asJSON,
    money,
    ...input.extra,
  };
}
