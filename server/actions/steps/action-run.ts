// action:run runs another route's steps as a subroutine of the caller (compatibility.md D5): same transaction, same
// variables; its writes, redirect, login and logout belong to the outer action.
import { childPath, routePath } from '../paths.js';
import { stepFailure } from '../evaluate.js';
import { runSteps } from '../run-steps.js';
import type { StepKind } from '../context.js';
import type { ActionRoute } from '../../manifest/types.js';

const MAX_DEPTH = 16;

export const actionRunStep: StepKind = {
  key: 'action:run',
  async run(step, state, path) {
    const spec = step['action:run'];
    const name = typeof spec === 'string' ? spec : (spec as { name?: unknown } | null)?.name;
    if (typeof name !== 'string') throw stepFailure(new Error('"action:run" needs { name: "<route key>" }'), state, path);
    const route = state.services.manifest.routes[name] as ActionRoute | undefined;
    if (!route || route.type !== 'action') {
      throw stepFailure(new Error(`no action route named "${name}"`), state, childPath(path, 'action:run'));
    }
    if (state.depth >= MAX_DEPTH) {
      throw stepFailure(new Error(`action:run nested deeper than ${MAX_DEPTH} (a cycle through "${name}"?)`), state, path);
    }
    for (const read of route.reads ?? []) {
      if (!Object.hasOwn(state.vars.data, read)) state.vars.data[read] = await state.services.read(read);
    }
    for (const write of route.writes ?? []) state.writes.add(write);
    state.depth++;
    try {
      await runSteps(route.steps ?? [], state, `${routePath(name)}.steps`);
    } finally {
      state.depth--;
    }
  },
};
