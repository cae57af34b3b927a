// What the validator reports: one finding per problem, with where it is (a manifest key path such as
// routes["GET /"].layout, or a template's file:line) and what to do about it.

export type Severity = 'critical' | 'error' | 'warning';

export interface Finding {
  severity: Severity;
  /** manifest key path (routes["GET /"].layout) or file:line (app/components/receipt.html:12) */
  location: string;
  message: string;
  /** what to change; '' when there is nothing better to say than the message */
  suggestion: string;
}

export class Findings {
  readonly list: Finding[] = [];
  private readonly seen = new Set<string>();

  add(severity: Severity, location: string, message: string, suggestion = ''): void {
    // A template shared by several components, or a step reached from several routes, is checked once.
    const key = `${severity}\u0000${location}\u0000${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push({ severity, location, message, suggestion });
  }

  critical(location: string, message: string, suggestion = ''): void {
    this.add('critical', location, message, suggestion);
  }

  error(location: string, message: string, suggestion = ''): void {
    this.add('error', location, message, suggestion);
  }

  warning(location: string, message: string, suggestion = ''): void {
    this.add('warning', location, message, suggestion);
  }

  get hasErrors(): boolean {
    return this.list.some((f) => f.severity !== 'warning');
  }
}

export function countBySeverity(findings: readonly Finding[]): { errors: number; warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const finding of findings) {
    if (finding.severity === 'warning') warnings++;
    else errors++;
  }
  return { errors, warnings };
}
