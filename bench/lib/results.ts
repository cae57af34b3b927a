// Printing a benchmark's figures and appending them, dated, to bench/RESULTS.md.
import { existsSync } from 'node:fs';
import { appendFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineFacts, machineLine, type MachineFacts } from './machine.js';

export const benchDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const projectRoot = path.resolve(benchDir, '..');
export const resultsFile = path.join(benchDir, 'RESULTS.md');

const RESULTS_HEADER = `# Benchmark results

Every run of \`npm run bench\` (or \`npm run bench -- <name>\`) appends one dated section per benchmark
below; nothing here is edited by hand. How to read a section:

- The first line names the machine (CPU, cores, memory, Node, kernel), the load average when the benchmark
  started and the date. Figures from different machines, or from a busy machine, are not comparable.
- "engine" is this project's host (\`createHost\`, run from \`dist/\` in its own process); "baseline" is the
  hand-written express + ws + lowdb server in \`bench/baseline/\` doing the same work with the same
  durability. Absolute numbers move between runs; the **ratio to the baseline, measured side by side in
  the same run**, is the figure to compare across runs.
- "original" is the figure the original engine gave on a machine of this kind (quoted in the issue);
  targets are listed under each table with ✅ (met) or ❌ (missed) for that run.
- Latencies are milliseconds, measured over loopback by a client process separate from the host
  (runner, render and store run in process); p50/p99 are percentiles of every request in the
  measured window.
- The final figures are meant to come from a quiet machine: the load average in the first line says
  how quiet it was.

See \`bench/README.md\` for what each benchmark does.
`;

export function mdTable(headers: string[], rows: Array<Array<string | number>>): string {
  const line = (cells: Array<string | number>) => `| ${cells.map((c) => String(c)).join(' | ')} |`;
  return [line(headers), line(headers.map(() => '---')), ...rows.map(line)].join('\n');
}

export interface Check {
  label: string;
  pass: boolean | null;
  detail: string;
}

export function checkList(checks: Check[]): string {
  return checks.map((c) => `- ${c.pass === null ? '➖' : c.pass ? '✅' : '❌'} ${c.label}: ${c.detail}`).join('\n');
}

export async function ensureResultsFile(): Promise<void> {
  if (!existsSync(resultsFile)) await writeFile(resultsFile, RESULTS_HEADER);
}

export class Report {
  private readonly parts: string[] = [];
  readonly facts: MachineFacts = machineFacts();

  constructor(
    readonly title: string,
    readonly record = true,
  ) {
    console.log(`\n## ${title}\n\n${machineLine(this.facts)}\n`);
  }

  /** Prints a block now (unless it was printed already) and keeps it for RESULTS.md. */
  add(markdown: string, options: { echo?: boolean } = {}): void {
    if (options.echo !== false) console.log(`${markdown}\n`);
    this.parts.push(markdown);
  }

  note(text: string): void {
    this.add(`_${text}_`);
  }

  async save(): Promise<void> {
    if (!this.record) {
      console.log('(not recorded: --no-record)');
      return;
    }
    await ensureResultsFile();
    const when = this.facts.date.replace('T', ' ').slice(0, 16);
    const section = `\n## ${when} UTC — ${this.title}\n\n${machineLine(this.facts)}\n\n${this.parts.join('\n\n')}\n`;
    await appendFile(resultsFile, section);
    console.log(`appended to ${path.relative(process.cwd(), resultsFile)}`);
  }
}
