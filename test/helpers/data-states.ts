// What a data folder holds, connector by connector, for comparing folders (backups, restores).
import { readFile } from 'node:fs/promises';
import { listDataFiles } from '../../server/backup/data-files.js';

/** Every connector state of a data folder: JSON files parsed, journals as their records (host files left out). */
export async function connectorStates(dataDir: string): Promise<Record<string, unknown>> {
  const states: Record<string, unknown> = {};
  for (const file of await listDataFiles(dataDir, { includeLog: false })) {
    if (file.path === 'host-secret' || file.path === 'last-backup.json') continue;
    const text = await readFile(file.full, 'utf8');
    states[file.path] = file.path.endsWith('.jsonl') ? text.split('\n').filter(Boolean).map((line) => JSON.parse(line)) : JSON.parse(text);
  }
  return states;
}
