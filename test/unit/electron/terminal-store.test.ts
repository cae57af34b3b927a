import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { createTerminalStore, DEFAULT_TERMINALS, TERMINALS_FILE } from '../../../electron/terminal-store.js';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
async function tempDir() {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sok-terminals-'));
  dirs.push(dir);
  return dir;
}

describe('local terminal list', () => {
  it('starts with one till', async () => {
    const store = createTerminalStore(await tempDir());
    assert.deepEqual(await store.load(), DEFAULT_TERMINALS);
  });

  it('keeps the terminals across restarts', async () => {
    const dir = await tempDir();
    const terminals = [
      { id: 'till-1', name: 'Касса 1' },
      { id: 'till-2', name: 'Касса 2' },
    ];
    await createTerminalStore(dir).save(terminals);
    assert.deepEqual(await createTerminalStore(dir).load(), terminals);
  });

  it('falls back to one till, and says so, when the file is damaged', async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, TERMINALS_FILE), '{"terminals":[{"id":"../../etc","name":"x"}]}');
    const problems: string[] = [];
    assert.deepEqual(await createTerminalStore(dir, (m) => problems.push(m)).load(), DEFAULT_TERMINALS);
    assert.match(problems[0] ?? '', /damaged/);
  });

  it('refuses to save an invalid terminal id', async () => {
    const dir = await tempDir();
    await assert.rejects(createTerminalStore(dir).save([{ id: 'Bad Id', name: 'x' }]));
    await assert.rejects(readFile(path.join(dir, TERMINALS_FILE)), { code: 'ENOENT' });
  });
});
