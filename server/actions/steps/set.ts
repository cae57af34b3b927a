import { assignPath, childPath } from '../paths.js';
import { evaluate, stepFailure } from '../evaluate.js';
import type { StepKind } from '../context.js';

export const setStep: StepKind = {
  key: 'set',
  run(step, state, path) {
    if (typeof step.set !== 'string') throw stepFailure(new Error('"set" must be a dotted path string'), state, path);
    const value = evaluate(step.to, state, childPath(path, 'to'));
    try {
      assignPath(state.vars, step.set, value);
    } catch (error) {
      throw stepFailure(error, state, childPath(path, 'set'));
    }
  },
};
