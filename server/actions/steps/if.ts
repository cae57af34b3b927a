import { childPath } from '../paths.js';
import { evaluate } from '../evaluate.js';
import { runSteps } from '../run-steps.js';
import type { StepKind } from '../context.js';
import type { Step } from '../../manifest/types.js';

export const ifStep: StepKind = {
  key: 'if',
  async run(step, state, path) {
    const condition = evaluate(step.if, state, childPath(path, 'if'));
    const branch = condition ? 'then' : 'else';
    const steps = step[branch] as Step[] | undefined;
    if (Array.isArray(steps)) await runSteps(steps, state, childPath(path, branch));
  },
};
