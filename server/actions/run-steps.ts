// The step registry: each kind is one module; a step's kind is the first of these keys it has.
import { stepFailure } from './evaluate.js';
import { childPath } from './paths.js';
import type { RunState, StepKind } from './context.js';
import type { Step } from '../manifest/types.js';
import { setStep } from './steps/set.js';
import { ifStep } from './steps/if.js';
import { forEachStep } from './steps/for-each.js';
import { httpGetStep } from './steps/http-get.js';
import { authEndSessionsStep, authLoginStep, authLogoutStep } from './steps/auth.js';
import { clientRedirectStep } from './steps/client-redirect.js';
import { runStep } from './steps/run.js';
import { actionRunStep } from './steps/action-run.js';
import { failStep } from './steps/fail.js';
import { journalReadStep } from './steps/journal-read.js';
import { sqlStep } from './steps/sql.js';

export const STEP_KINDS: readonly StepKind[] = [
  setStep,
  ifStep,
  forEachStep,
  httpGetStep,
  authLoginStep,
  authLogoutStep,
  authEndSessionsStep,
  clientRedirectStep,
  runStep,
  actionRunStep,
  failStep,
  journalReadStep,
  sqlStep,
];

export function stepKindOf(step: unknown): StepKind | undefined {
  if (!step || typeof step !== 'object') return undefined;
  return STEP_KINDS.find((kind) => Object.hasOwn(step, kind.key));
}

export async function runSteps(steps: Step[], state: RunState, path: string): Promise<void> {
  for (let i = 0; i < steps.length; i++) {
    if (state.interrupted) return;
    const step = steps[i] as Step & Record<string, unknown>;
    const stepPath = `${path}[${i}]`;
    const kind = stepKindOf(step);
    if (!kind) {
      throw stepFailure(
        new Error(`unknown step kind (keys: ${Object.keys(step ?? {}).join(', ') || 'none'}); known: ${STEP_KINDS.map((k) => k.key).join(', ')}`),
        state,
        stepPath,
      );
    }
    await kind.run(step, state, stepPath);
  }
}

export { childPath };
