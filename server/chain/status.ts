// `serverokey chain status`: what a shop's data folder says about its uploads, without head office.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export async function chainStatusText(dataDir: string): Promise<string> {
  let state: { journals?: Record<string, { seq: number; offset: number }>; lastUpload?: string | null };
  try {
    state = JSON.parse(await readFile(path.join(dataDir, 'chain-state.json'), 'utf8'));
  } catch {
    state = {};
  }
  const lines: string[] = [`data folder: ${dataDir}`, `last upload: ${state.lastUpload ?? 'never'}`];
  const journals = (await readdir(dataDir).catch(() => [] as string[])).filter((name) => name.endsWith('.jsonl'));
  for (const file of journals.sort()) {
    const name = decodeURIComponent(file.slice(0, -'.jsonl'.length));
    const cursor = state.journals?.[name] ?? { seq: 0, offset: 0 };
    const size = (await stat(path.join(dataDir, file))).size;
    const text = (await readFile(path.join(dataDir, file))).subarray(cursor.offset).toString('utf8');
    const waiting = text.split('\n').length - 1;
    lines.push(`${name}: ${cursor.seq} sent, ${waiting} waiting (${size - cursor.offset} bytes)`);
  }
  return lines.join('\n');
}
