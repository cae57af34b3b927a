// fail: refuse the action with a message the cashier sees (e.g. "unknown product"). Nothing is written.
import { ActionError } from '../errors.js';
import { childPath } from '../paths.js';
import { evaluate } from '../evaluate.js';
import type { StepKind } from '../context.js';

export const failStep: StepKind = {
  key: 'fail',
  run(step, state, path) {
    const message = String(evaluate(step.fail, state, childPath(path, 'fail')) ?? 'action refused');
    const status = typeof step.status === 'number' && step.status >= 400 && step.status < 600 ? step.status : 422;
    const fields = typeof step.field === 'string' ? { [step.field]: message } : undefined;
    throw new ActionError(status, message, { step: path, fields });
  },
};
