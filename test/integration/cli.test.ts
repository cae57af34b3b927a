// The serverokey command as a person runs it: real files, a real HTTP server in its own process, and
// the rest through main() in this process (a spawned tsx process costs seconds on a busy machine).
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildProgram, main } from '../../server/cli.js';
import { DATA_LOCK_FILE } from '../../server/data-lock.js';
import { onCleanup } from '../helpers/cleanup.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(root, 'server/cli.ts');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function start(args: string[]): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', cli, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORT: '' } });
}

function run(args: string[]): Promise<Run> {
  const child = start(args);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk) => (stdout += chunk));
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

/** The command run in this process, its output captured. */
async function runHere(args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'serverokey', ...args], { out: (text) => (stdout += text), err: (text) => (stderr += text) });
  return { code, stdout, stderr };
}

/** Resolves with the first match of `pattern` in the child's output. */
function waitFor(child: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk;
      const match = pattern.exec(text);
      if (match) {
        child.stdout!.off('data', onData);
        resolve(match);
      }
    };
    child.stdout!.on('data', onData);
    child.once('close', (code) => reject(new Error(`exited with ${code} before printing ${pattern}: ${text}`)));
  });
}

async function tempDir(t: test.TestContext): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sok-cli-'));
  onCleanup(t, () => rm(dir, { recursive: true, force: true }));
  return dir;
}

test('validate prints one line per finding and exits 1 on errors; --json gives the findings', async () => {
  const broken = path.join(root, 'test/fixtures/broken/layout-misspelt');
  const text = await run(['validate', broken]);
  assert.equal(text.code, 1);
  assert.match(text.stdout, /^error {3}routes\["GET \/"\]\.layout: component "myComponant" does not exist — Did you mean "myComponent"\?$/m);
  assert.match(text.stdout, /^1 error, 1 warning$/m);

  const json = await runHere(['validate', broken, '--json']);
  assert.equal(json.code, 1);
  const findings = JSON.parse(json.stdout) as Array<Record<string, string>>;
  assert.deepEqual(Object.keys(findings[0]), ['severity', 'location', 'message', 'suggestion']);
  assert.equal(findings[0].suggestion, 'Did you mean "myComponent"?');

  const clean = await runHere(['validate', path.join(root, 'test/fixtures/original-kassa')]);
  assert.equal(clean.code, 0);
  assert.equal(clean.stdout.trim(), 'no errors, no warnings');

  const missing = await runHere(['validate', path.join(root, 'test/fixtures/no-such-app')]);
  assert.equal(missing.code, 1);
  assert.match(missing.stdout, /^critical manifest\.js: application folder not found/m);
});

test('every command has --help', async () => {
  const program = buildProgram();
  const names = program.commands.map((command) => command.name()).sort();
  assert.deepEqual(names, ['backup', 'chain', 'dev', 'export', 'import', 'new', 'restore', 'schema', 'seed', 'serve', 'validate']);
  for (const command of program.commands) {
    const help = command.helpInformation();
    assert.match(help, new RegExp(`^Usage: serverokey ${command.name()} `), command.name());
  }
  const serveHelp = program.commands.find((c) => c.name() === 'serve')!.helpInformation();
  for (const flag of ['--port', '--data', '--lan', '--debug', '--chain', '--shop']) assert.ok(serveHelp.includes(flag), flag);
  const shown = await run(['seed', '--help']);
  assert.equal(shown.code, 0);
  assert.match(shown.stdout, /reset every stored connector/);
  const wrong = await runHere(['serve', '--port', 'eighty']);
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /a port is a whole number/);
});

test('new makes an app that validates clean and serves; seed refuses while it is served, then resets it', async (t) => {
  const dir = await tempDir(t);
  const app = path.join(dir, 'shop');
  const created = await runHere(['new', app]);
  assert.equal(created.code, 0, created.stderr);
  const again = await runHere(['new', app]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already exists and is not empty/);
  assert.equal((await runHere(['validate', app])).stdout.trim(), 'no errors, no warnings');

  const data = path.join(dir, 'data');
  const server = start(['serve', app, '--port', '0', '--data', data]);
  onCleanup(t, () => server.kill('SIGKILL'));
  const [, url] = await waitFor(server, /serving shop at (http:\/\/\S+)/);
  const page = await fetch(url);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /Hello from Serverokey/);
  assert.ok(existsSync(path.join(data, DATA_LOCK_FILE)));

  const refused = await runHere(['seed', app, '--data', data, '--yes']);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /in use by another host \(process \d+, http:\/\/127\.0\.0\.1:\d+/);
  const second = await runHere(['serve', app, '--port', '0', '--data', data]);
  assert.equal(second.code, 1);
  assert.match(second.stderr, /in use by another host/);

  const stopped = new Promise<number | null>((resolve) => server.on('close', resolve));
  server.kill('SIGINT');
  assert.equal(await stopped, 0);
  assert.ok(!existsSync(path.join(data, DATA_LOCK_FILE)), 'the lock is released');

  // a lock left behind by a host that was killed does not block anything
  const gone = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => gone.on('close', resolve));
  await writeFile(path.join(data, DATA_LOCK_FILE), JSON.stringify({ pid: gone.pid, startedAt: new Date().toISOString() }));
  await writeFile(path.join(data, 'notes.json'), JSON.stringify({ items: [{ text: 'sold out' }] }));
  const unconfirmed = await runHere(['seed', app, '--data', data]);
  assert.equal(unconfirmed.code, 1);
  assert.match(unconfirmed.stderr, /add --yes/);
  assert.ok(existsSync(path.join(data, 'notes.json')), 'nothing is deleted without confirmation');
  const seeded = await runHere(['seed', app, '--data', data, '--yes']);
  assert.equal(seeded.code, 0, seeded.stderr);
  assert.match(seeded.stdout, /reset to initialState: notes/);
  assert.ok(!existsSync(path.join(data, 'notes.json')));
});

test('schema writes the JSON Schema of the manifest', async (t) => {
  const out = path.join(await tempDir(t), 'manifest.schema.json');
  const result = await runHere(['schema', '--out', out]);
  assert.equal(result.code, 0, result.stderr);
  const schema = JSON.parse(await readFile(out, 'utf8'));
  assert.equal(schema.title, 'Serverokey manifest');
  assert.ok(schema.properties.routes && schema.properties.connectors && schema.properties.components);
});
