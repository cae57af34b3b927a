// serverokey dev in a browser: a template change updates the open page by itself; a broken manifest
// leaves the page working under an error overlay; the fix removes the overlay.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { createNewApp } from '../../server/dev/new-app.js';
import { startDevLoop, type DevLoop } from '../../server/dev/dev-loop.js';
import { launchBrowser } from '../helpers/browser.js';

const WAIT = { timeout: 20_000 };

/** Changes a file in place, or (`replace`) as many editors save: a new copy renamed over the old one. */
async function edit(file: string, from: string, to: string, how: 'in-place' | 'replace' = 'in-place'): Promise<void> {
  const text = await readFile(file, 'utf8');
  assert.ok(text.includes(from), `${file} holds ${JSON.stringify(from)}`);
  if (how === 'in-place') return writeFile(file, text.replace(from, to));
  const copy = path.join(path.dirname(file), `.${path.basename(file)}.saving`);
  await writeFile(copy, text.replace(from, to));
  await rename(copy, file);
}

async function socketConnected(page: Page): Promise<void> {
  await page.waitForFunction(() => window.__serverokey?.connected === true, undefined, WAIT);
}

test('dev loop: live template changes, an overlay for a broken manifest, gone once fixed', async (t) => {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sok-dev-'));
  const app = path.join(dir, 'notes');
  await createNewApp(app);
  const lines: string[] = [];
  let loop: DevLoop | undefined;
  let browser: Browser | undefined;
  t.after(async () => {
    await browser?.close();
    await loop?.close();
    await rm(dir, { recursive: true, force: true });
  });

  loop = await startDevLoop({ appDir: app, dataDir: path.join(dir, 'data'), port: 0, quiet: true, debounceMs: 50, print: (line) => lines.push(line) });
  const url = loop.url();
  assert.ok(url, `the app started: ${lines.join('\n')}`);
  browser = await launchBrowser();
  const page = await browser.newPage();
  await page.goto(url);
  await page.getByText('Hello from Serverokey').waitFor(WAIT);
  await socketConnected(page);

  // 1. a template change reaches the open page without anyone reloading it
  await edit(path.join(app, 'app/components/layout.html'), '<h1>{{globals.appName}}</h1>', '<h1>{{globals.appName}} (edited)</h1>');
  await page.getByRole('heading', { name: 'Notes (edited)' }).waitFor(WAIT);
  await socketConnected(page);

  // 2. a broken manifest: the page keeps working (on the last good version) and shows the errors
  const manifest = path.join(app, 'manifest.js');
  await edit(manifest, "layout: 'layout', reads", "layout: 'layuot', reads", 'replace');
  const overlay = page.locator('#atom-dev-errors');
  await overlay.waitFor({ state: 'visible', ...WAIT });
  assert.match(await overlay.innerText(), /routes\["GET \/"\]\.layout: component "layuot" does not exist — Did you mean "layout"\?/);
  assert.deepEqual(loop.errors(), ['error   routes["GET /"].layout: component "layuot" does not exist — Did you mean "layout"?']);
  assert.ok(lines.some((line) => line.includes('still serving the last good version')), lines.join('\n'));
  // the old version still answers actions: add a note through the page
  await page.locator('input[name="text"]').fill('written while broken');
  await overlay.evaluate((element) => element.remove()); // the overlay covers the form; a person would dismiss it
  await page.getByRole('button', { name: 'Add' }).click();
  await page.getByText('written while broken').waitFor(WAIT);

  // a page opened while the app is broken is shown the errors too
  const late = await browser.newPage();
  await late.goto(url);
  await late.locator('#atom-dev-errors').waitFor({ state: 'visible', ...WAIT });
  await late.getByText('written while broken').waitFor(WAIT);
  await socketConnected(late);
  await page.evaluate(() => ((window as unknown as { beforeFix: boolean }).beforeFix = true));

  // 3. the fix: the pages reload into the new version, without the overlay
  await edit(manifest, "layout: 'layuot', reads", "layout: 'layout', reads", 'replace');
  await late.locator('#atom-dev-errors').waitFor({ state: 'detached', ...WAIT });
  await late.getByRole('heading', { name: 'Notes (edited)' }).waitFor(WAIT);
  await page.waitForFunction(() => !(window as unknown as { beforeFix?: boolean }).beforeFix, undefined, WAIT);
  await page.getByText('written while broken').waitFor(WAIT);
  assert.equal(await page.locator('#atom-dev-errors').count(), 0);
  assert.deepEqual(loop.errors(), []);
});
