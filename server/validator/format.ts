// Output of `serverokey validate`: one line per finding (severity, location, message — suggestion),
// then a summary; or JSON for tools.
import { countBySeverity, type Finding } from './findings.js';

const COLORS = { critical: '\x1b[31m', error: '\x1b[31m', warning: '\x1b[33m' } as const;
const RESET = '\x1b[0m';

/** `error   routes["GET /"].layout: component "myComponant" does not exist — Did you mean "myComponent"?` */
export function formatFinding(finding: Finding, options: { color?: boolean } = {}): string {
  const label = `${finding.severity} `.padEnd(8);
  const severity = options.color ? `${COLORS[finding.severity]}${label}${RESET}` : label;
  const suggestion = finding.suggestion ? ` — ${finding.suggestion}` : '';
  return `${severity}${finding.location}: ${finding.message}${suggestion}`;
}

export function formatSummary(findings: readonly Finding[]): string {
  const { errors, warnings } = countBySeverity(findings);
  if (errors === 0 && warnings === 0) return 'no errors, no warnings';
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
}

export function formatReport(findings: readonly Finding[], options: { color?: boolean } = {}): string {
  return [...findings.map((f) => formatFinding(f, options)), formatSummary(findings)].join('\n');
}

export function findingsAsJson(findings: readonly Finding[]): string {
  return JSON.stringify(
    findings.map(({ severity, location, message, suggestion }) => ({ severity, location, message, suggestion })),
    null,
    2,
  );
}
