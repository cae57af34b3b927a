// Real crashes: a child process commits in a loop and is killed with SIGKILL; the store re-opened
// afterwards must parse, hold at least every acknowledged value, and never half a commit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { access, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { captureLog, openStore, tempDir } from './helpers.js';
import { catalogueStates, initialCatalogue } from './fixtures/catalogue-steps.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/crash-writer.ts', import.meta.url));

/** Runs the fixture; kills it with SIGKILL once `killAfter` values were acknowledged. Returns the acknowledged values. */
function runChild(
  mode: string,
  dataDir: string,
  killAfter = Infinity,
  extra: string[] = [],
): Promise<{ acknowledged: number[]; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, mode, dataDir, ...extra], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    const acknowledged: number[] = [];
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdout.on('data', (chunk) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        if (line === 'not killed') return reject(new Error('the child was not killed where expected'));
        acknowledged.push(Number(line));
        if (acknowledged.length === killAfter) child.kill('SIGKILL');
      }
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      resolve({ acknowledged, signal, stderr });
    });
  });
}

const exists = (path: string) => access(path).then(() => true, () => false);

test('SIGKILL in the middle of a stream of commits loses nothing acknowledged and leaves a parseable file', async (t) => {
  const dir = await tempDir(t);
  const { acknowledged, signal, stderr } = await runChild('counter', dir, 60);
  assert.equal(signal, 'SIGKILL', stderr);
  assert.ok(acknowledged.length >= 60);
  const log = captureLog();
  const store = await openStore(t, dir, { counter: { type: 'lowdb' } }, log);
  const { n } = (await store.read('counter', 'global')) as { n: number };
  assert.ok(n >= Math.max(...acknowledged), `counter ${n} is below the acknowledged ${Math.max(...acknowledged)}`);
  assert.equal(log.text('error'), '', 'the file needed a recovery');
});

test('SIGKILL in the middle of a stream of two-file commits leaves both files in step', async (t) => {
  const dir = await tempDir(t);
  const { acknowledged, signal, stderr } = await runChild('pair', dir, 40);
  assert.equal(signal, 'SIGKILL', stderr);
  const store = await openStore(t, dir, { a: { type: 'lowdb' }, b: { type: 'lowdb' } });
  const a = ((await store.read('a', 'global')) as { n: number }).n;
  const b = ((await store.read('b', 'global')) as { n: number }).n;
  assert.equal(a, b, 'half a commit was kept');
  assert.ok(a >= Math.max(...acknowledged));
});

test('a checkpoint killed after the first of two files is completed from the log at the next start', async (t) => {
  const dir = await tempDir(t);
  const { acknowledged, signal, stderr } = await runChild('pair-kill-mid-checkpoint', dir);
  assert.equal(signal, 'SIGKILL', stderr);
  assert.deepEqual(acknowledged, [1]);
  const raw = async (name: string) => (JSON.parse(await readFile(join(dir, name), 'utf8')) as { n: number }).n;
  const written = [await exists(join(dir, 'a.json')), await exists(join(dir, 'b.json'))];
  assert.equal(written.filter(Boolean).length, 1, 'the child was not killed mid-checkpoint');
  const [first, second] = written[0] ? ['a.json', 'b.json'] : ['b.json', 'a.json'];
  assert.equal(await raw(first), 1);
  const log = captureLog();
  const store = await openStore(t, dir, { a: { type: 'lowdb' }, b: { type: 'lowdb' } }, log);
  assert.equal(((await store.read('a', 'global')) as { n: number }).n, 1);
  assert.equal(((await store.read('b', 'global')) as { n: number }).n, 1);
  assert.match(log.text('warn'), /1 logged commit\(s\) were written into the connector files \("a", "b"\)/);
  assert.equal(await raw(second), 1, 'the replay did not write the missing file');
});

test('a two-file commit killed before its log line is on disk is absent from both files', async (t) => {
  const dir = await tempDir(t);
  const { acknowledged, signal, stderr } = await runChild('pair-kill-before-logged', dir);
  assert.equal(signal, 'SIGKILL', stderr);
  assert.deepEqual(acknowledged, [1]);
  const store = await openStore(t, dir, { a: { type: 'lowdb' }, b: { type: 'lowdb' } });
  // the unacknowledged second commit may be kept (its line was written, only not flushed) but never half of it
  const a = ((await store.read('a', 'global')) as { n: number }).n;
  const b = ((await store.read('b', 'global')) as { n: number }).n;
  assert.equal(a, b, 'half a commit was kept');
  assert.ok(a >= 1, 'the acknowledged commit was lost');
});

test('SIGKILL during a stream of change records with checkpoints every few ms: the store reopens exactly at an acknowledged commit', async (t) => {
  // adds, removals, sales of one item in 200, reorders (written whole), meta fields: logged as changes,
  // checkpointed every 3 ms, so kills land inside checkpoints too and replay re-applies changes the file holds
  for (const [seed, killAfter] of [
    [11, 40],
    [23, 75],
    [37, 120],
  ]) {
    const dir = await tempDir(t);
    const { acknowledged, signal, stderr } = await runChild('catalogue', dir, killAfter, [String(seed)]);
    assert.equal(signal, 'SIGKILL', stderr);
    const last = Math.max(...acknowledged);
    const states = catalogueStates(seed, last + 1);
    const store = await openStore(t, dir, { catalogue: { type: 'lowdb', initialState: initialCatalogue() } });
    const reopened = await store.read('catalogue', 'global');
    // the last acknowledged state, or the next one when its commit was durable but not yet acknowledged
    const matches = [last, last + 1].filter((n) => isDeepStrictEqual(reopened, states[n]));
    assert.equal(matches.length, 1, `seed ${seed}: after ${last} acknowledged commits the store holds neither state ${last} nor ${last + 1} (n = ${(reopened as { n: number }).n})`);
    await store.close();
  }
});
