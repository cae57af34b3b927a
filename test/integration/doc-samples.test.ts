// Every runnable sample of docs/*.md runs (test/helpers/doc-samples.ts says how blocks are marked): lone
// manifests pass the real validator; small apps validate, are served by a real host and answer each request
// as the doc says. A sample that stops working fails here, naming its doc and line.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { createNewApp } from '../../server/dev/new-app.js';
import { findManifestFile, loadAppModule } from '../../server/manifest/load.js';
import { formatFinding, validateApp } from '../../server/validator/index.js';
import { STEP_KINDS } from '../../server/actions/run-steps.js';
import { collectDocSamples, docsDir, standInTemplates, stepsSampleApp, type DocRequest } from '../helpers/doc-samples.js';
import { projectRoot, startHost } from '../helpers/host.js';
import { TestTerminal } from '../helpers/http-client.js';
import { onCleanup } from '../helpers/cleanup.js';

const samples = collectDocSamples();

async function writeFiles(dir: string, files: Record<string, string>): Promise<void> {
  for (const [relative, text] of Object.entries(files)) {
    const file = path.join(dir, relative);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, text);
  }
}

async function tempApp(t: { after(fn: () => Promise<void>): void }): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sok-doc-'));
  onCleanup(t, () => rm(dir, { recursive: true, force: true }));
  return path.join(dir, 'app');
}

async function assertValid(appDir: string, where: string): Promise<void> {
  const report = await validateApp(appDir, { fresh: true });
  const errors = report.findings.filter((f) => f.severity !== 'warning');
  assert.deepEqual(errors.map((f) => formatFinding(f)), [], `the sample at ${where} does not validate`);
}

function answerText(body: unknown): string {
  if (typeof body === 'string') return body;
  const record = body as { html?: string; error?: { message?: string } };
  return [record.error?.message, record.html, JSON.stringify(body)].filter(Boolean).join('\n');
}

async function send(terminal: TestTerminal, request: DocRequest): Promise<{ status: number; text: string }> {
  if (request.method === 'GET') {
    const page = await terminal.get(request.path);
    return { status: page.status, text: page.text };
  }
  // a page's CSRF token belongs to its session: load one again before each action, as a browser has one
  terminal.csrf = '';
  await terminal.open('/');
  if (!terminal.csrf) await terminal.open('/login');
  const answer = await terminal.action(`${request.method} ${request.path}`, request.body ?? {});
  return { status: answer.status, text: answerText(answer.body) };
}

test('the docs have runnable samples: manifests and served apps with requests', () => {
  assert.ok(samples.manifests.length >= 3, `lone manifests: ${samples.manifests.length}`);
  assert.ok(samples.samples.filter((s) => s.requests.length > 0).length >= 4, `served samples: ${samples.samples.length}`);
});

for (const block of samples.manifests) {
  test(`docs/${block.doc}:${block.line}: the manifest validates`, async (t) => {
    const appDir = await tempApp(t);
    await writeFiles(appDir, { 'package.json': '{"type": "commonjs"}\n', 'manifest.js': block.text });
    const manifest = await loadAppModule(findManifestFile(appDir), appDir, true);
    await writeFiles(appDir, standInTemplates(manifest));
    await assertValid(appDir, `docs/${block.doc}:${block.line}`);
  });
}

for (const block of samples.byKind('steps')) {
  test(`docs/${block.doc}:${block.line}: the steps validate inside an action`, async (t) => {
    const appDir = await tempApp(t);
    await writeFiles(appDir, stepsSampleApp(block.text));
    await assertValid(appDir, `docs/${block.doc}:${block.line}`);
  });
}

for (const block of samples.byKind('part')) {
  test(`docs/${block.doc}:${block.line}: the part validates in the app \`serverokey new\` makes`, async (t) => {
    const appDir = await tempApp(t);
    await createNewApp(appDir);
    if (block.attrs.file) {
      await writeFiles(appDir, { [block.attrs.file]: block.text });
    } else {
      // the block is manifest keys (`sockets: { … },`): they replace the same keys of the new app's manifest
      await rename(path.join(appDir, 'manifest.js'), path.join(appDir, 'base-manifest.js'));
      await writeFiles(appDir, { 'manifest.js': `module.exports = { ...require('./base-manifest.js'),\n${block.text}};\n` });
    }
    await assertValid(appDir, `docs/${block.doc}:${block.line}`);
  });
}

for (const sample of samples.samples) {
  test(`docs/${sample.where}: sample "${sample.name}" validates${sample.requests.length ? ' and answers as the doc says' : ''}`, async (t) => {
    const appDir = await tempApp(t);
    if (sample.base === 'new') await createNewApp(appDir);
    else await writeFiles(appDir, { 'package.json': '{"type": "commonjs"}\n' });
    await writeFiles(appDir, sample.files);
    await assertValid(appDir, `docs/${sample.where}`);
    if (sample.requests.length === 0) return;
    const host = await startHost(appDir);
    onCleanup(t, () => host.stop());
    const terminals = new Map<string, TestTerminal>();
    for (const request of sample.requests) {
      const terminal = terminals.get(request.terminal) ?? new TestTerminal(host.url);
      terminals.set(request.terminal, terminal);
      const { status, text } = await send(terminal, request);
      const said = `docs/${request.where}: ${request.method} ${request.path} (terminal ${request.terminal}) answered ${status}: ${text.slice(0, 400)}`;
      assert.equal(status, request.status, said);
      for (const expected of request.contains) assert.ok(text.includes(expected), `${said}\n— expected it to hold ${JSON.stringify(expected)}`);
      for (const unwanted of request.lacks) assert.ok(!text.includes(unwanted), `${said}\n— expected it not to hold ${JSON.stringify(unwanted)}`);
    }
  });
}

test('docs/steps.md documents every step kind of the registry (server/actions/steps)', async () => {
  const text = await readFile(path.join(docsDir, 'steps.md'), 'utf8');
  const missing = STEP_KINDS.map((kind) => kind.key).filter((key) => !text.includes(`### \`${key}\``));
  assert.deepEqual(missing, [], 'give each of these step kinds its own "### `<kind>`" section in docs/steps.md');
});

test('links between the docs point at files that exist', async () => {
  const broken: string[] = [];
  for (const name of (await readdir(docsDir)).filter((n) => n.endsWith('.md'))) {
    const text = await readFile(path.join(docsDir, name), 'utf8');
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(target) || target.startsWith('#')) continue;
      const file = path.resolve(docsDir, decodeURIComponent(target.split('#')[0]));
      if (!existsSync(file)) broken.push(`docs/${name}: ${target}`);
    }
  }
  assert.deepEqual(broken, []);
});

test('every screenshot the docs and the README show is made by a browser test', async () => {
  const e2e = path.join(projectRoot, 'test', 'e2e');
  const made: RegExp[] = [];
  for (const name of (await readdir(e2e)).filter((n) => n.endsWith('.test.ts'))) {
    const source = await readFile(path.join(e2e, name), 'utf8');
    for (const [, literal] of source.matchAll(/['`]([\w${}.-]+\.png)['`]/g)) {
      const pattern = literal.split(/\$\{[^}]*\}/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\w.-]+');
      made.push(new RegExp(`^${pattern}$`));
    }
  }
  const pages = [path.join(projectRoot, 'README.md'), ...(await readdir(docsDir)).filter((n) => n.endsWith('.md')).map((n) => path.join(docsDir, n))];
  const unmade: string[] = [];
  for (const page of pages) {
    for (const [, image] of (await readFile(page, 'utf8')).matchAll(/screenshots\/([\w.-]+\.png)/g)) {
      if (!existsSync(path.join(docsDir, 'screenshots', image))) unmade.push(`${path.relative(projectRoot, page)}: ${image} is not in docs/screenshots`);
      else if (!made.some((re) => re.test(image))) unmade.push(`${path.relative(projectRoot, page)}: ${image} is made by no test in test/e2e`);
    }
  }
  assert.deepEqual(unmade, []);
});
