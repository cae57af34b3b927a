// journal:read puts one page of a journal's records into a context path: the records beyond the
// `view.last` that `data.<journal>.items` holds, filtered by the connector's `index` fields, newest first.
// It only reads, so views may use it (a history page with the query string as its filter):
//   { 'journal:read': { journal: 'sales', where: { day: 'query.day', total: { from: 'query.min' } },
//                       page: 'query.page', size: 50, saveTo: 'context.history' } }
// saves { items, page, pages, total, size }. The rules of `where` are in store/journal-query.ts.
import { assignPath, childPath } from '../paths.js';
import { evaluate, stepFailure } from '../evaluate.js';
import type { StepKind } from '../context.js';
import type { JournalReadSpec } from '../../manifest/types.js';

export const journalReadStep: StepKind = {
  key: 'journal:read',
  async run(step, state, path) {
    const here = childPath(path, 'journal:read');
    const spec = step['journal:read'] as Partial<JournalReadSpec> | null;
    if (!spec || typeof spec !== 'object' || typeof spec.journal !== 'string' || typeof spec.saveTo !== 'string' || !spec.saveTo) {
      throw stepFailure(new Error('"journal:read" needs { journal: "<journal connector>", saveTo: "context.<name>" }'), state, path);
    }
    let where: Record<string, unknown> | undefined;
    if (spec.where !== undefined) {
      if (!spec.where || typeof spec.where !== 'object' || Array.isArray(spec.where)) {
        throw stepFailure(new Error('where is an object { field: "<expression>" | { from, to } }'), state, childPath(here, 'where'));
      }
      where = {};
      for (const [field, value] of Object.entries(spec.where)) {
        const at = childPath(childPath(here, 'where'), field);
        where[field] =
          value !== null && typeof value === 'object'
            ? {
                from: evaluate((value as { from?: unknown }).from, state, childPath(at, 'from')),
                to: evaluate((value as { to?: unknown }).to, state, childPath(at, 'to')),
              }
            : evaluate(value, state, at);
      }
    }
    const page = evaluate(spec.page, state, childPath(here, 'page'));
    const size = evaluate(spec.size, state, childPath(here, 'size'));
    let result: unknown;
    try {
      result = await state.services.queryJournal(spec.journal, { where, page, size, order: spec.order });
    } catch (error) {
      throw stepFailure(error, state, here);
    }
    try {
      assignPath(state.vars, spec.saveTo, result);
    } catch (error) {
      throw stepFailure(error, state, childPath(here, 'saveTo'));
    }
  },
};
