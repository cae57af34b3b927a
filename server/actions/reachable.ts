// The action routes an action can reach: itself and every sub-action named by an action:run step at any
// depth (then/else/steps). Static, so start-up can know what an action may write or whether it logs in.
import type { ActionRoute, Manifest } from '../manifest/types.js';

export type StepObject = Record<string, unknown>;

/** Calls visit for every step of the route and of the sub-actions it reaches (each route once). */
export function forEachReachableStep(manifest: Manifest, route: ActionRoute, visit: (step: StepObject, owner: ActionRoute) => void): void {
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
        const target = typeof name === 'string' ? manifest.routes[name] : undefined;
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
export function collectWrites(manifest: Manifest, route: ActionRoute): Set<string> {
  const out = new Set(route.writes ?? []);
  forEachReachableStep(manifest, route, (_step, owner) => {
    for (const name of owner.writes ?? []) out.add(name);
  });
  return out;
}

/** Whether the action (or a sub-action it reaches) has a step of this kind, e.g. auth:login. */
export function reachesStep(manifest: Manifest, route: ActionRoute, key: string): boolean {
  let found = false;
  forEachReachableStep(manifest, route, (step) => {
    if (Object.hasOwn(step, key)) found = true;
  });
  return found;
}
