// sql runs one statement on the app's PostgreSQL database and puts the rows into a path:
//   { sql: { query: "SELECT shop, count(*) AS sales FROM t WHERE at >= $1 GROUP BY shop", params: ["query.day"], saveTo: "context.rows" } }
// Values go in as bound parameters ($1, $2, … — never spliced into the text). In a view the statement runs in
// a READ ONLY transaction (a view writes nothing); in an action it is its own transaction, committed when the
// step ends — like http:get it is not undone by a later step's failure, so put checks before it. A refused
// statement answers its status (a constraint: 409, a bad value: 400, the database away: 503).
import { assignPath, childPath } from '../paths.js';
import { evaluate, stepFailure } from '../evaluate.js';
import { ActionError } from '../errors.js';
import { SqlError } from '../../database/app-database.js';
import type { StepKind } from '../context.js';

/** Timestamps as ISO text, like every other date the templates and expressions see. */
function plainRow(row: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(row)) if (value instanceof Date) row[key] = value.toISOString();
  return row;
}

export const sqlStep: StepKind = {
  key: 'sql',
  async run(step, state, path) {
    const base = childPath(path, 'sql');
    const spec = step.sql as { query?: unknown; params?: unknown; saveTo?: unknown } | null;
    if (!spec || typeof spec !== 'object' || typeof spec.query !== 'string' || spec.query.trim() === '') {
      throw stepFailure(new Error('"sql" needs { query: "SELECT …", params?: [expressions], saveTo?: "context.rows" }'), state, path);
    }
    const database = state.services.database;
    if (!database) {
      throw stepFailure(new Error('the sql step needs a database: serve the app with --database postgres://… (or SERVEROKEY_DATABASE_URL)'), state, base);
    }
    const params = Array.isArray(spec.params) ? spec.params.map((param, i) => evaluate(param, state, `${base}.params[${i}]`)) : [];
    let result;
    try {
      result = await database.query(spec.query, params, { readOnly: state.view === true });
    } catch (error) {
      if (error instanceof SqlError) {
        throw new ActionError(error.status, error.message, { step: base, cause: error.cause, publicMessage: error.shown ? error.message : undefined });
      }
      throw stepFailure(error, state, base);
    }
    if (typeof spec.saveTo === 'string' && spec.saveTo !== '') {
      try {
        assignPath(state.vars, spec.saveTo, result.rows.map(plainRow));
      } catch (error) {
        throw stepFailure(error, state, `${base}.saveTo`);
      }
    }
  },
};
