// Typed failures of an action. Each carries the HTTP status the client gets and, for step
// failures, the step's path in the manifest so an author can find it.
import type { ErrorBody } from '../../protocol/wire.js';

export class ActionError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: { fields?: Record<string, string>; step?: string; cause?: unknown } = {},
  ) {
    super(message);
    this.name = 'ActionError';
  }

  toBody(debug: boolean): ErrorBody {
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
