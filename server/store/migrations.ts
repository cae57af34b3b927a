// Migrations (compatibility.md §3.7): back-fill fields on records that lack them. Applied when a state is loaded; the
// store persists the result once when anything changed.
import type { MigrationRule } from '../manifest/types.js';
import { isPlainRecord } from './json-value.js';

/** Applies the rules to `state.items` in place; returns true when any record changed. */
export function applyMigrations(state: unknown, rules: MigrationRule[] | undefined): boolean {
  if (!rules?.length || !isPlainRecord(state) || !Array.isArray(state.items)) return false;
  let changed = false;
  for (const rule of rules) {
    if (!rule.if_not_exists || !isPlainRecord(rule.set)) continue;
    for (const item of state.items) {
      if (!isPlainRecord(item) || Object.hasOwn(item, rule.if_not_exists)) continue;
      // Values are literal JSON, never evaluated; each record gets its own copy.
      for (const [key, value] of Object.entries(rule.set)) item[key] = structuredClone(value);
      changed = true;
    }
  }
  return changed;
}
