// npm start where the Electron binary is present: it must hand over to Electron with the project and the
// user's options, and pass Ctrl+C on so the desktop app quits cleanly. The "binary" here is a small
// script (found through ELECTRON_OVERRIDE_DIST_PATH, as the electron package honours it) that runs the real
// main process under the stand-in Electron API.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { desktopFixture, projectRoot } from '../helpers/desktop.js';

const temp: string[] = [];
after(() => Promise.all(temp.map((d) => rm(d, { recursive: true, force: true }))));

describe('npm start with the Electron binary present', () => {
  it('opens the desktop app, says so, and quits it cleanly on Ctrl+C', async () => {
    const work = await mkdtemp(path.join(os.tmpdir(), 'sok-start-electron-'));
    temp.push(work);
    const register = path.join(projectRoot, 'test', 'electron', 'standin', 'register.mjs');
    const executable = path.join(work, 'electron');
    await writeFile(
      executable,
      [
        '#!/bin/sh',
        'echo "stand-in electron args: $*"',
        'app="$1"; shift',
        `exec "${process.execPath}" --import "${register}" "$app/dist/electron/main.js" "$@"`,
        '',
      ].join('\n'),
    );
    await chmod(executable, 0o755);
    const dataDir = path.join(work, 'data');

    const child = spawn(process.execPath, ['scripts/start.mjs', '--app', desktopFixture, '--data', dataDir], {
      cwd: projectRoot,
      env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: work, STANDIN_APP_PATH: projectRoot },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the desktop app did not load the till:\n${output}`)), 60_000);
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (/"event":"loaded".*"hasPassword":true/.test(output)) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code) => reject(new Error(`npm start exited (${code}):\n${output}`)));
    });
    assert.match(output, new RegExp(`opening the desktop app with Electron \\S+ \\(${executable.replace(/[/.]/g, '\\$&')}\\)`));
    assert.match(output, new RegExp(`stand-in electron args: ${projectRoot.replace(/[/.]/g, '\\$&')} --app \\S+ --data \\S+`));
    assert.doesNotMatch(output, /Electron binary not present/);

    child.kill('SIGINT');
    assert.equal(await exited, 0, output);
    assert.match(output, /\[desktop\] host closed/);
  });
});
