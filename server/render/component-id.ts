// Ids are derived from the component name so they survive re-renders (an action update gets the
// same id the page had, compatibility.md D11). Hex keeps the base free of '-', so "<base>-<n>" can only be another
// instance of the same component and the scoped CSS can match every instance with `|=`.
import { createHash } from 'node:crypto';

export const COMPONENT_ID_ATTRIBUTE = 'data-component-id';

export function componentBaseId(name: string): string {
  return `c-${createHash('sha256').update(name).digest('hex').slice(0, 8)}`;
}

/** The n-th (1-based) instance of a component within one render. */
export function instanceId(baseId: string, n: number): string {
  return n <= 1 ? baseId : `${baseId}-${n}`;
}
