// client:redirect ends the action with a redirect. A bare path ("/login", "/orders/") is taken literally,
// where the original evaluated it to undefined and silently sent nothing.
import { evaluate, stepFailure } from '../evaluate.js';
import type { StepKind } from '../context.js';
import type { Redirect } from '../../../protocol/wire.js';

// An expression cannot start with "/" except as a regular expression, which is never a redirect target.
export function isBarePath(value: string): boolean {
  return value.startsWith('/');
}

export const clientRedirectStep: StepKind = {
  key: 'client:redirect',
  run(step, state, path) {
    const spec = step['client:redirect'];
    const value = typeof spec === 'string' && isBarePath(spec.trim()) ? spec.trim() : evaluate(spec, state, path);
    const valid =
      (typeof value === 'string' && value !== '') ||
      (value !== null && typeof value === 'object' && typeof (value as { url?: unknown }).url === 'string');
    if (!valid) {
      throw stepFailure(new Error(`client:redirect needs a URL string or { url, full } (got ${JSON.stringify(value)})`), state, path);
    }
    state.redirect = value as Redirect;
    state.interrupted = true;
  },
};
