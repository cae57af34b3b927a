// A failure to render that a person must fix in the app (manifest, templates, inject maps).
export class RenderError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RenderError';
  }
}
