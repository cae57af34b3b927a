// docs/getting-started.md followed word by word: its commands (the ```sh runnable=getting-started block) run
// as written, in a shell whose home folder is a new temporary one, from the project folder; then two browser
// windows open the printed address, a note added in one shows in the other without a reload, an empty note is
// refused beside its field, a template edited while dev runs shows in both, and the first action's files (the
// guide's blocks) give every note a remove button whose removal both windows show.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';
import { collectDocSamples } from '../helpers/doc-samples.js';
import { projectRoot } from '../helpers/host.js';

const WAIT = { timeout: 30_000 };

/** Runs one documented command in a shell; resolves with its output once it exits (0 or not). */
function runCommand(line: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', line], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, output }));
  });
}

/** Starts the long-running command (serverokey dev) and resolves with the address it prints. */
function startServing(line: string, env: NodeJS.ProcessEnv): { child: ChildProcess; url: Promise<string> } {
  // its own process group, so the test can stop npm and the host it started together
  const child = spawn('sh', ['-c', line], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let output = '';
  const url = new Promise<string>((resolve, reject) => {
    const look = (chunk: Buffer) => {
      output += chunk;
      const hit = /serving notes at (http:\/\/\S+)/.exec(output);
      if (hit) resolve(hit[1]);
    };
    child.stdout!.on('data', look);
    child.stderr!.on('data', look);
    child.on('exit', (code) => reject(new Error(`"${line}" exited (${code}) before serving:\n${output}`)));
  });
  return { child, url };
}

test('getting started, word by word: a new app with a list that updates live in two windows', async (t) => {
  const [block] = collectDocSamples().byKind('getting-started');
  assert.ok(block, 'docs/getting-started.md has a ```sh runnable=getting-started block');
  const lines = block.text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  assert.deepEqual(lines.map((l) => l.split(' ').slice(0, 5).join(' ')), [
    'npm run serverokey -- new',
    'npm run serverokey -- validate',
    'npm run serverokey -- dev',
  ]);

  const home = await mkdtemp(path.join(os.tmpdir(), 'sok-home-'));
  const env = { ...process.env, HOME: home, PORT: '' };
  let serving: ChildProcess | undefined;
  let browser: Browser | undefined;
  t.after(async () => {
    await browser?.close();
    if (serving?.pid && serving.exitCode === null) {
      const exited = new Promise((resolve) => serving!.once('exit', resolve));
      process.kill(-serving.pid, 'SIGINT');
      await exited;
    }
    await rm(home, { recursive: true, force: true });
  });

  const created = await runCommand(lines[0], env);
  assert.equal(created.code, 0, created.output);
  const validated = await runCommand(lines[1], env);
  assert.equal(validated.code, 0, validated.output);
  assert.match(validated.output, /no errors, no warnings/);

  const dev = startServing(lines[2], env);
  serving = dev.child;
  const url = await dev.url;

  browser = await launchBrowser();
  const [first, second] = [await browser.newPage(), await browser.newPage()];
  for (const page of [first, second]) {
    await page.goto(url);
    await page.getByText('Hello from Serverokey').waitFor(WAIT);
    await page.waitForFunction(() => window.__serverokey?.connected === true, undefined, WAIT);
  }
  const reloads = { second: 0 };
  second.on('load', () => reloads.second++);

  await first.locator('input[name="text"]').fill('Buy milk');
  await first.getByRole('button', { name: 'Add' }).click();
  await first.getByText('Buy milk').waitFor(WAIT);
  await second.getByText('Buy milk').waitFor(WAIT);
  assert.equal(reloads.second, 0, 'the second window was updated in place, not reloaded');

  // an empty note: the message beside the field, nothing saved
  await second.getByRole('button', { name: 'Add' }).click();
  await second.locator('[atom-field-error="text"]').getByText('Write something first').waitFor(WAIT);
  assert.equal(await first.locator('li').count(), 2);

  // 4. a template edited while dev runs: both windows show it by themselves
  const layout = path.join(home, 'notes', 'app', 'components', 'layout.html');
  await writeFile(layout, (await readFile(layout, 'utf8')).replace('<h1>{{globals.appName}}</h1>', '<h1>My notes</h1>'));
  for (const page of [first, second]) await page.getByRole('heading', { name: 'My notes' }).waitFor(WAIT);

  // 5. the first action: the two files the guide gives, saved into the app; a removal shows in both windows
  const firstAction = collectDocSamples().samples.find((s) => s.doc === 'getting-started.md' && s.name === 'first-action');
  assert.ok(firstAction, 'the guide gives the files of its first action');
  assert.deepEqual(Object.keys(firstAction.files).sort(), ['app/components/note-items.html', 'manifest.js']);
  for (const [file, text] of Object.entries(firstAction.files)) await writeFile(path.join(home, 'notes', file), text);
  for (const page of [first, second]) {
    await page.locator('li', { hasText: 'Buy milk' }).getByRole('button', { name: 'remove' }).waitFor(WAIT);
    await page.waitForFunction(() => window.__serverokey?.connected === true, undefined, WAIT);
  }
  await first.locator('li', { hasText: 'Buy milk' }).getByRole('button', { name: 'remove' }).click();
  for (const page of [first, second]) await page.locator('li', { hasText: 'Buy milk' }).waitFor({ state: 'detached', ...WAIT });
  assert.equal(await second.locator('li', { hasText: 'Hello from Serverokey' }).count(), 1);
});
