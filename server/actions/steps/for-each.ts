// forEach runs its body in the same context with the loop variable bound (fixing the original's
// copy-per-iteration, D4): mutations through the variable reach data, a redirect stops the loop.
import { childPath } from '../paths.js';
import { evaluate, stepFailure } from '../evaluate.js';
import { runSteps } from '../run-steps.js';
import type { StepKind } from '../context.js';
import type { Step } from '../../manifest/types.js';

export const forEachStep: StepKind = {
  key: 'forEach',
  async run(step, state, path) {
    const list = evaluate(step.forEach, state, childPath(path, 'forEach'));
    if (!Array.isArray(list)) return;
    const name = typeof step.as === 'string' && step.as ? step.as : 'item';
    if (['data', 'user', 'body', 'query', 'context', 'zod', 'require'].includes(name)) {
      throw stepFailure(new Error(`"as: ${name}" would hide a built-in variable; choose another name`), state, childPath(path, 'as'));
    }
    const body = step.steps as Step[] | undefined;
    if (!Array.isArray(body)) return;
    const had = Object.hasOwn(state.vars, name);
    const previous = state.vars[name];
    try {
      for (let i = 0; i < list.length && !state.interrupted; i++) {
        state.vars[name] = list[i];
        state.vars[`${name}Index`] = i;
        await runSteps(body, state, childPath(path, 'steps'));
      }
    } finally {
      if (had) state.vars[name] = previous;
      else delete state.vars[name];
      delete state.vars[`${name}Index`];
    }
  },
};
