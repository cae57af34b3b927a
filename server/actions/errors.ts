// Typed failures of an action. Each carries the HTTP status the client gets and, for step
// failures, the step's path in the manifest so an author can find it.
import { randomBytes } from 'node:crypto';
import type { ErrorBody } from '../../protocol/wire.js';

export class ActionError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: {
      fields?: Record<string, string>;
      step?: string;
      cause?: unknown;
      /** for a 5xx: what the client may be told outside debug mode (the rest goes to the log only) */
      publicMessage?: string;
    } = {},
  ) {
    super(message);
    this.name = 'ActionError';
  }

  /**
   * The answer's error body. Outside debug mode a server-side failure (5xx) tells the client only that it
   * happened and an id: its message (a failing expression's source, the step path, the cause) goes to
   * the host's log through `logError` under that id, so "код ошибки 1a2b3c4d" finds it there.
   */
  toBody(debug: boolean, logError?: (line: string) => void): ErrorBody {
    if (this.status >= 500 && !debug) {
      const id = randomBytes(4).toString('hex');
      const cause = this.details.cause instanceof Error && this.details.cause.stack ? `\n${this.details.cause.stack}` : '';
      logError?.(`[${id}] ${this.message}${this.details.step ? ` (at ${this.details.step})` : ''}${cause}`);
      const headline = this.details.publicMessage ?? 'Внутренняя ошибка кассы';
      return { status: this.status, message: `${headline} (код ошибки ${id}; подробности в журнале хоста)` };
    }
    const body: ErrorBody = { status: this.status, message: this.message };
    if (this.details.fields) body.fields = this.details.fields;
    if (this.details.step) body.step = this.details.step;
    if (debug && this.details.cause instanceof Error && this.details.cause.stack) {
      body.message += `\n${this.details.cause.stack}`;
    }
    return body;
  }
}

interface ZodLikeIssue {
  path: PropertyKey[];
  message: string;
}

export function isZodError(error: unknown): error is Error & { issues: ZodLikeIssue[] } {
  return (
    error instanceof Error &&
    (error.name === 'ZodError' || error.constructor?.name === 'ZodError') &&
    Array.isArray((error as { issues?: unknown }).issues)
  );
}

/** zod failure → 422 with field messages; the first message is the headline a cashier sees. */
export function validationError(error: Error & { issues: ZodLikeIssue[] }, step: string, field?: string): ActionError {
  const fields: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.length > 0 ? issue.path.map(String).join('.') : (field ?? 'value');
    fields[key] ??= issue.message;
  }
  const headline = error.issues[0]?.message ?? 'invalid input';
  return new ActionError(422, headline, { fields, step, cause: error });
}
