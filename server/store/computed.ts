// `computed` (compatibility.md §3.8, deprecated): derived meta fields recomputed on every read for manifests written for
// the original engine. The formula language is two functions; nothing is ever executed as JavaScript.
import type { ComputedRule } from '../manifest/types.js';
import { isPlainRecord } from './json-value.js';

type State = Record<string, unknown>;

function parseFormula(formula: string): { name: string; args: string[] } | null {
  const call = /^(\w+)\((.*)\)$/s.exec(formula.trim());
  if (!call) return null;
  const args = call[2]
    .split(',')
    .map((arg) => arg.trim().replace(/['"`]/g, ''))
    .filter(Boolean);
  return { name: call[1], args };
}

const formulas: Record<string, (state: State, args: string[]) => number> = {
  sum(state, [arrayKey, field]) {
    const list = arrayKey === undefined ? undefined : state[arrayKey];
    if (!Array.isArray(list)) return 0;
    return list.reduce<number>((total, item) => {
      const raw = isPlainRecord(item) && field !== undefined ? item[field] : undefined;
      return total + parseFloat(String(raw || 0));
    }, 0);
  },
  count(state, [arrayKey]) {
    const list = arrayKey === undefined ? undefined : state[arrayKey];
    return Array.isArray(list) ? list.length : 0;
  },
};

export function evaluateFormula(formula: string, state: State): number {
  const call = parseFormula(formula);
  const fn = call ? formulas[call.name] : undefined;
  return call && fn ? fn(state, call.args) : NaN;
}

/** Applies the rules to `state` in place (the copy a read returns, never the stored state). */
export function applyComputed(state: unknown, rules: ComputedRule[] | undefined): void {
  if (!rules?.length || !isPlainRecord(state)) return;
  for (const rule of rules) {
    if (!rule.target) continue;
    const fallback = rule.defaultValue !== undefined ? rule.defaultValue : 0;
    if (rule.formula) {
      const value = evaluateFormula(rule.formula, state);
      state[rule.target] = Number.isNaN(value) ? fallback : value;
    } else if (state[rule.target] === undefined) {
      // A format-only rule keeps the stored value (observed: meta 1 reads as "1.00").
      state[rule.target] = fallback;
    }
    if (rule.format === 'toFixed(2)' && Object.hasOwn(state, rule.target)) {
      const number = parseFloat(String(state[rule.target]));
      if (!Number.isNaN(number)) state[rule.target] = number.toFixed(2);
    }
  }
}

/**
 * Drops the targets of formula rules from a committed state: they are recomputed on every read, so
 * storing them would only keep stale copies. Format- and default-only targets hold real values and stay.
 */
export function removeDerived(state: unknown, rules: ComputedRule[] | undefined): void {
  if (!rules?.length || !isPlainRecord(state)) return;
  for (const rule of rules) if (rule.target && rule.formula) delete state[rule.target];
}
