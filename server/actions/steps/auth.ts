import { evaluate, stepFailure } from '../evaluate.js';
import type { StepKind } from '../context.js';

export const authLoginStep: StepKind = {
  key: 'auth:login',
  run(step, state, path) {
    const user = evaluate(step['auth:login'], state, path);
    if (!user || typeof user !== 'object') {
      throw stepFailure(new Error('auth:login needs a user record (the expression gave nothing)'), state, path);
    }
    state.login = user as Record<string, unknown>;
    state.logout = false;
  },
};

export const authLogoutStep: StepKind = {
  key: 'auth:logout',
  run(step, state) {
    if (step['auth:logout'] === false) return;
    state.logout = true;
    state.login = undefined;
  },
};
