// forEach runs its body in the same context with the loop variable bound (fixing the original's
// copy-per-iteration, compatibility.md D4): mutations through the variable reach data, a redirect stops the loop.
import { childPath } from '../paths.js';
import { evaluate, stepFailure } from '../evaluate.js';
import { runSteps } from '../run-steps.js';
import { isExpressionName, type StepKind } from '../context.js';
import type { Step } from '../../manifest/types.js';

export const forEachStep: StepKind = {
  key: 'forEach',
  async run(step, state, path) {
    const list = evaluate(step.forEach, state, childPath(path, 'forEach'));
    if (!Array.isArray(list)) return;
    const name = typeof step.as === 'string' && step.as ? step.as : 'item';
    if (isExpressionName(name)) {
      throw stepFailure(new Error(`"as: ${name}" would hide a built-in variable; choose another name`), state, childPath(path, 'as'));
    }
    const body = step.steps as Step[] | undefined;
    if (!Array.isArray(body)) return;
    // both bindings are restored afterwards, so a nested loop reusing the name leaves the outer one intact
    const indexName = `${name}Index`;
    const saved = [name, indexName].map((key) => ({ key, had: Object.hasOwn(state.vars, key), value: state.vars[key] }));
    try {
      for (let i = 0; i < list.length && !state.interrupted; i++) {
        state.vars[name] = list[i];
        state.vars[indexName] = i;
        await runSteps(body, state, childPath(path, 'steps'));
      }
    } finally {
      for (const { key, had, value } of saved) {
        if (had) state.vars[key] = value;
        else delete state.vars[key];
      }
    }
  },
};
