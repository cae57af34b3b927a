// The desktop app in real Electron, driven by Playwright: launch, the cashier window shows the login page,
// log in, open a second terminal window from the menu, quit cleanly, and find the data persisted on the
// next launch. Needs the Electron binary; where it is absent the test is reported as skipped, by name.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { findElectronBinary } from '../../electron/electron-binary.js';
import { projectRoot, tillAppDir } from '../helpers/desktop.js';
import { waitFor } from '../helpers/wait.js';

const run = promisify(execFile);
const electron = findElectronBinary(projectRoot);
const skip = electron.present ? false : `Electron binary not present (cannot be downloaded here): ${electron.reason}`;

const temp: string[] = [];
const running: ElectronApplication[] = [];
after(async () => {
  for (const app of running) await app.close().catch(() => undefined);
  await Promise.all(temp.map((d) => rm(d, { recursive: true, force: true })));
});

async function launch(dataDir: string): Promise<ElectronApplication> {
  if (!electron.present) throw new Error('unreachable: the test is skipped without Electron');
  const app = await _electron.launch({
    executablePath: electron.executable,
    // Chromium refuses to run as root with its sandbox; the page sandbox stays on in webPreferences.
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), projectRoot, '--data', dataDir, '--app', tillAppDir()],
    cwd: projectRoot,
    timeout: 60_000,
  });
  running.push(app);
  return app;
}

interface PosApi {
  isDesktop: boolean;
  terminal(): Promise<{ id: string; name: string }>;
}

async function terminalOf(page: Page): Promise<{ id: string; name: string }> {
  return page.evaluate(() => (window as unknown as { pos: PosApi }).pos.terminal());
}

async function closeCleanly(app: ElectronApplication): Promise<void> {
  const child = app.process();
  const exited = new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
  // The process may go away while the call answers; the exit code is what counts.
  await app.evaluate(({ app: electronApp }) => electronApp.quit()).catch(() => undefined);
  assert.equal(await exited, 0, 'the app exits with code 0 after a normal quit');
  running.splice(running.indexOf(app), 1);
}

describe('desktop app (Electron)', () => {
  it('launches, logs in, opens a second terminal, quits cleanly and keeps its data', { skip, timeout: 180_000 }, async () => {
    await run(process.execPath, [path.join(projectRoot, 'scripts', 'build.mjs')], { cwd: projectRoot });
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sok-electron-smoke-'));
    temp.push(dataDir);

    const app = await launch(dataDir);
    const first = await app.firstWindow();
    await first.waitForURL(/\/login/);
    await first.locator('input[type="password"]').waitFor({ state: 'visible' });

    // The page is a plain sandboxed web page with only window.pos from the preload.
    const surface = await first.evaluate(() => ({
      pos: typeof (window as unknown as { pos?: PosApi }).pos,
      isDesktop: (window as unknown as { pos?: PosApi }).pos?.isDesktop,
      require: typeof (window as unknown as { require?: unknown }).require,
      process: typeof (window as unknown as { process?: unknown }).process,
      ipc: 'ipcRenderer' in ((window as unknown as { pos?: object }).pos ?? {}),
    }));
    assert.deepEqual(surface, { pos: 'object', isDesktop: true, require: 'undefined', process: 'undefined', ipc: false });
    assert.deepEqual(await terminalOf(first), { id: 'till-1', name: 'Касса 1' });

    await first.locator('input[name="login"]').fill('kassir');
    await first.locator('input[type="password"]').fill('123');
    await first.locator('form:has(input[type="password"]) [type="submit"]').click();
    await first.waitForURL((url) => url.pathname === '/');

    // A second terminal from the menu: its own partition, so its own terminal and not logged in.
    const opened = app.waitForEvent('window');
    await app.evaluate(({ Menu }) => Menu.getApplicationMenu()?.getMenuItemById('new-terminal')?.click());
    const second = await opened;
    await second.waitForURL(/\/login/);
    assert.deepEqual(await terminalOf(second), { id: 'till-2', name: 'Касса 2' });
    assert.equal(new URL(first.url()).pathname, '/', 'the first terminal stays logged in');

    await closeCleanly(app);
    const stored = JSON.parse(await readFile(path.join(dataDir, 'desktop-terminals.json'), 'utf8'));
    assert.deepEqual(stored.terminals.map((t: { id: string }) => t.id), ['till-1', 'till-2']);
    assert.ok((await readdir(path.join(dataDir, 'pos-data'))).includes('host-secret'), 'host data lives in userData/pos-data');

    // Next launch: both terminals come back, and the first is still logged in.
    const again = await launch(dataDir);
    await again.firstWindow();
    await waitFor(() => again.windows().length >= 2, 'the second terminal window');
    const windows = again.windows();
    assert.equal(windows.length, 2, 'both terminal windows are reopened');
    const terminals = await Promise.all(windows.map((w) => terminalOf(w)));
    const till1 = windows[terminals.findIndex((t) => t.id === 'till-1')];
    assert.ok(till1, 'till-1 is reopened');
    await till1.waitForURL((url) => url.pathname === '/');
    await closeCleanly(again);
  });
});
