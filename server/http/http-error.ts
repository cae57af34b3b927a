// One error type for the HTTP layer: thrown anywhere (a middleware, a view, an action) and turned into an
// answer in one place (error-handler.ts), like Hono's HTTPException.
import type { ErrorBody, Redirect } from '../../protocol/wire.js';

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly options: { fields?: Record<string, string>; redirect?: Redirect; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = 'HttpError';
  }

  body(): ErrorBody {
    return this.options.fields ? { status: this.status, message: this.message, fields: this.options.fields } : { status: this.status, message: this.message };
  }
}
