// npm start without the Electron binary: the till server starts and the system Chromium opens it in app
// mode. Run under a virtual X display; the screen is captured with ImageMagick and must show the login
// page as the page itself renders it; then Ctrl+C stops everything cleanly.
import assert from 'node:assert/strict';
import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { projectRoot, tillAppDir } from '../helpers/desktop.js';
import { waitFor } from '../helpers/wait.js';

const run = promisify(execFile);
const CHROMIUM = '/usr/bin/chromium';

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Collects a child's output and resolves when a line matches. */
function waitForLine(child: ChildProcess, output: string[], pattern: RegExp, timeoutMs = 60_000): Promise<RegExpMatchArray> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const match = output.join('').match(pattern);
      if (match) {
        cleanup();
        resolve(match);
      }
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; output:\n${output.join('')}`));
    }, timeoutMs);
    const onExit = (code: number | null) => {
      cleanup();
      reject(new Error(`npm start exited (${code}) before ${pattern}; output:\n${output.join('')}`));
    };
    const cleanup = () => {
      clearTimeout(timer);
      child.stdout?.off('data', check);
      child.stderr?.off('data', check);
      child.off('exit', onExit);
    };
    child.stdout?.on('data', check);
    child.stderr?.on('data', check);
    child.on('exit', onExit);
    check();
  });
}

function tillPage(browser: Browser, url: string): Promise<Page> {
  return waitFor(() => browser.contexts().flatMap((c) => c.pages()).find((p) => p.url().startsWith(url)), `a Chromium page showing ${url}`);
}

const temp: string[] = [];
let child: ChildProcess | undefined;
let startPid: number | undefined;
after(async () => {
  // After a failure: stop npm start the way a person would (Ctrl+C), so it closes Chromium and the host.
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child!.once('exit', resolve));
    if (startPid) process.kill(startPid, 'SIGINT');
    else if (child.pid) process.kill(child.pid, 'SIGTERM');
    // a bound, not a wait: a run that already failed does not hang on a stuck child
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  }
  await Promise.all(temp.map((d) => rm(d, { recursive: true, force: true })));
});

describe('npm start without the Electron binary', () => {
  it('opens the till in Chromium app mode on the display, showing the login page, and stops cleanly on Ctrl+C', async () => {
    assert.ok(onPath('xvfb-run'), 'xvfb-run is missing: `npm run setup` installs it (Debian package xvfb)');
    assert.ok(onPath('import'), 'ImageMagick is missing: `npm run setup` installs it (Debian package imagemagick)');
    assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing: \`npm run setup\` installs it (Debian package chromium)`);

    const work = await mkdtemp(path.join(os.tmpdir(), 'sok-start-'));
    temp.push(work);
    const dataDir = path.join(work, 'data');
    const authFile = path.join(work, 'xauth');
    const cdpPort = await freePort();
    const output: string[] = [];
    child = spawn(
      'xvfb-run',
      ['-a', '-f', authFile, '-s', '-screen 0 1280x800x24', process.execPath, 'scripts/start.mjs', '--app', tillAppDir()],
      {
        cwd: projectRoot,
        env: {
          ...process.env,
          CHROME_PATH: CHROMIUM,
          SERVEROKEY_DATA: dataDir,
          // lets the test see what the window shows; the user never needs it
          SERVEROKEY_BROWSER_ARGS: `--remote-debugging-port=${cdpPort} --remote-debugging-address=127.0.0.1`,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve));

    const [, url] = await waitForLine(child, output, /till server running at (http:\/\/\S+)/);
    const [, display] = await waitForLine(child, output, /opened the till in Chromium app mode: .* \(display (:\d+)\)/);
    const [, pid] = await waitForLine(child, output, /press Ctrl\+C to stop \(pid (\d+)\)/);
    startPid = Number(pid);
    assert.match(output.join(''), /Electron binary not present: /, 'it says why the desktop app was not used');

    // Through HTTP: the till sends a newcomer to its login page.
    const root = await fetch(url!, { redirect: 'manual' });
    assert.equal(root.status, 302);
    assert.match(root.headers.get('location') ?? '', /\/login/);
    const login = await fetch(new URL(root.headers.get('location')!, url).href);
    assert.equal(login.status, 200);
    assert.match(await login.text(), /type="password"/);

    // On the screen: the Chromium window shows that login page.
    const browser = await waitFor(() => chromium.connectOverCDP(`http://127.0.0.1:${cdpPort}`), 'Chromium to accept a DevTools connection');
    try {
      const page = await tillPage(browser, url!);
      await page.waitForURL(/\/login/);
      const form = page.locator('form:has(input[type="password"])').first();
      await form.waitFor({ state: 'visible' });
      await page.evaluate(() => document.fonts.ready.then(() => undefined));
      const geometry = await page.evaluate(() => ({
        x: window.screenX + (window.outerWidth - window.innerWidth),
        y: window.screenY + (window.outerHeight - window.innerHeight),
        scale: window.devicePixelRatio,
      }));
      assert.equal(geometry.scale, 1);
      const box = await form.boundingBox();
      assert.ok(box);

      const screenshot = path.join(work, 'screen.png');
      await run('import', ['-display', display!, '-window', 'root', screenshot], { env: { ...process.env, XAUTHORITY: authFile } });
      const rendered = path.join(work, 'form.png');
      await form.screenshot({ path: rendered });
      const size = (await run('identify', ['-format', '%wx%h', screenshot])).stdout;
      assert.equal(size, '1280x800');
      const colours = Number((await run('identify', ['-format', '%k', screenshot])).stdout);
      assert.ok(colours > 10, `the screen is not blank (${colours} colours)`);

      // The login form as Chromium renders it must be on the X screen where the window puts it.
      const [w, h] = (await run('identify', ['-format', '%w %h', rendered])).stdout.split(' ').map(Number);
      const crop = path.join(work, 'screen-form.png');
      const left = Math.floor(geometry.x + box.x);
      const top = Math.floor(geometry.y + box.y);
      await run('convert', [screenshot, '-crop', `${w}x${h}+${left}+${top}`, '+repage', crop]);
      const diff = spawnSync('compare', ['-metric', 'AE', crop, rendered, 'null:'], { encoding: 'utf8' });
      const differing = Number(diff.stderr.trim().split(/\s/)[0]);
      assert.ok(Number.isFinite(differing), `compare failed: ${diff.stderr}`);
      assert.ok(differing <= w! * h! * 0.02, `the screen shows the login form (${differing} of ${w! * h!} pixels differ)`);
    } finally {
      await browser.close().catch(() => undefined);
    }

    // Ctrl+C: the browser closes, the host closes, the process exits 0 and xvfb-run with it.
    process.kill(startPid, 'SIGINT');
    assert.equal(await exited, 0, output.join(''));
    startPid = undefined;
    assert.match(output.join(''), /stopped cleanly/);
    assert.ok((await readdir(dataDir)).includes('host-secret'), 'the data folder is the one given by SERVEROKEY_DATA');
  });
});
