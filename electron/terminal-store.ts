// The local terminals of this computer (one cashier window each), kept in the data folder so the same
// windows, with the same identities and logins, come back after a restart.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { isValidTerminalId, type TerminalSpec } from './window-plan.js';

export const TERMINALS_FILE = 'desktop-terminals.json';
export const DEFAULT_TERMINALS: readonly TerminalSpec[] = [{ id: 'till-1', name: 'Касса 1' }];

const fileSchema = z.object({
  terminals: z
    .array(z.object({ id: z.string().refine(isValidTerminalId), name: z.string().min(1).max(80) }))
    .min(1),
});

export interface TerminalStore {
  readonly file: string;
  load(): Promise<TerminalSpec[]>;
  save(terminals: readonly TerminalSpec[]): Promise<void>;
}

export function createTerminalStore(dataDir: string, onProblem: (message: string) => void = () => {}): TerminalStore {
  const file = path.join(dataDir, TERMINALS_FILE);
  return {
    file,
    async load() {
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') onProblem(`Cannot read ${file}: ${String(err)}`);
        return DEFAULT_TERMINALS.map((t) => ({ ...t }));
      }
      try {
        const parsed = fileSchema.parse(JSON.parse(text));
        const unique = new Map(parsed.terminals.map((t) => [t.id, t]));
        return [...unique.values()];
      } catch {
        // Only the window list is lost (never sales data): start with one till and say so.
        onProblem(`${file} is damaged; starting with one cashier window.`);
        return DEFAULT_TERMINALS.map((t) => ({ ...t }));
      }
    },
    async save(terminals) {
      const body = JSON.stringify({ terminals: terminals.map(({ id, name }) => ({ id, name })) }, null, 2);
      fileSchema.parse(JSON.parse(body));
      await mkdir(dataDir, { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      await writeFile(temp, body + '\n', 'utf8');
      await rename(temp, file);
    },
  };
}
