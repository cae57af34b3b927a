// The action routes an action can reach: itself and every sub-action named by an action:run step at any
// depth (then/else/steps). Static, so start-up can know what an action may write or whether it logs in,
// and the validator can ask the same questions (it passes a manifest not yet checked: the walk skips
// anything that is not a list of step objects).
import type { ActionRoute } from '../manifest/types.js';

export type StepObject = Record<string, unknown>;

/** The part of a manifest the walk reads; a loaded Manifest and the validator's raw one both fit. */
export interface RoutesOf {
  routes: Record<string, unknown>;
}

/** Calls visit for every step of the route and of the sub-actions it reaches (each route once). */
export function forEachReachableStep(manifest: RoutesOf, route: ActionRoute, visit: (step: StepObject, owner: ActionRoute) => void): void {
  const seen = new Set<ActionRoute>();
  const walkRoute = (owner: ActionRoute) => {
    if (seen.has(owner)) return;
    seen.add(owner);
    const walk = (steps: unknown) => {
      if (!Array.isArray(steps)) return;
      for (const step of steps as StepObject[]) {
        if (!step || typeof step !== 'object') continue;
        visit(step, owner);
        const sub = step['action:run'] as { name?: unknown } | string | undefined;
        const name = typeof sub === 'string' ? sub : sub?.name;
        const target = typeof name === 'string' && Object.hasOwn(manifest.routes, name) ? (manifest.routes[name] as ActionRoute | null) : undefined;
        if (target?.type === 'action') walkRoute(target);
        walk(step.then);
        walk(step.else);
        walk(step.steps);
      }
    };
    walk(owner.steps);
  };
  walkRoute(route);
}

/** Connectors an action may write: its own writes and those of every sub-action it can reach. */
export function collectWrites(manifest: RoutesOf, route: ActionRoute): Set<string> {
  const out = new Set(route.writes ?? []);
  forEachReachableStep(manifest, route, (_step, owner) => {
    for (const name of owner.writes ?? []) out.add(name);
  });
  return out;
}

/** Whether the action (or a sub-action it reaches) has a step of this kind, e.g. auth:login. */
export function reachesStep(manifest: RoutesOf, route: ActionRoute, key: string): boolean {
  let found = false;
  forEachReachableStep(manifest, route, (step) => {
    if (Object.hasOwn(step, key)) found = true;
  });
  return found;
}
