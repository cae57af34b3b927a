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

/**
 * auth:endSessions: ends every login of the users named (an identity value, e.g. "body.login", or a list of
 * them) once the action's changes are saved: their sessions are deleted on every terminal, and their open
 * windows are told to reload (so they land on the login page at once). For deactivating an account or
 * resetting a password.
 */
export const authEndSessionsStep: StepKind = {
  key: 'auth:endSessions',
  run(step, state, path) {
    const value = evaluate(step['auth:endSessions'], state, path);
    const keys = (Array.isArray(value) ? value : [value]).filter((key) => key !== undefined && key !== null && key !== '');
    for (const key of keys) {
      if (typeof key !== 'string' && typeof key !== 'number') {
        throw stepFailure(new Error('auth:endSessions needs the identity value of a user (or a list of them)'), state, path);
      }
      const userKey = String(key);
      state.endSessions ??= [];
      if (!state.endSessions.includes(userKey)) state.endSessions.push(userKey);
    }
  },
};
