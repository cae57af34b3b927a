// run: an app/actions/<name>.js handler called as (context, body); it mutates the context in place.
import { stepFailure } from '../evaluate.js';
import type { StepKind } from '../context.js';

export function handlerName(value: string): string {
  const last = value.split(/[\\/]/).pop() ?? value;
  return last.replace(/\.(c|m)?js$/, '');
}

export const runStep: StepKind = {
  key: 'run',
  async run(step, state, path) {
    if (typeof step.run !== 'string') throw stepFailure(new Error('"run" must name a file in app/actions'), state, path);
    let handler;
    try {
      handler = await state.services.handler(handlerName(step.run));
    } catch (error) {
      throw stepFailure(error, state, path);
    }
    try {
      await handler(state.vars, state.vars.body);
    } catch (error) {
      throw stepFailure(error, state, path);
    }
  },
};
