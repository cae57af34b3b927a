import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import {
  electronExecutableName,
  findCachedElectronZip,
  findElectronBinary,
} from '../../../electron/electron-binary.js';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

/** A project folder with an installed electron package, as npm leaves it (binary or not). */
async function project(options: { pathTxt?: string; executable?: string } = {}): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'sok-electron-'));
  dirs.push(root);
  await writeFile(path.join(root, 'package.json'), '{"name":"p","version":"1.0.0"}');
  const pkg = path.join(root, 'node_modules', 'electron');
  await mkdir(pkg, { recursive: true });
  await writeFile(path.join(pkg, 'package.json'), '{"name":"electron","version":"45.5.0","main":"index.js"}');
  // index.js would start a download when required; the check must never load it.
  await writeFile(path.join(pkg, 'index.js'), 'throw new Error("index.js must not be loaded")');
  if (options.pathTxt !== undefined) await writeFile(path.join(pkg, 'path.txt'), options.pathTxt);
  if (options.executable) {
    const file = path.join(pkg, 'dist', options.executable);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, '#!/bin/sh\n');
    await chmod(file, 0o755);
  }
  return root;
}

describe('finding the Electron binary without downloading it', () => {
  it('reports an install without its binary, with the version and why', async () => {
    const status = findElectronBinary(await project(), {});
    assert.equal(status.present, false);
    assert.equal(status.version, '45.5.0');
    assert.match(!status.present ? status.reason : '', /installed without its binary.*github\.com/);
  });

  it('reports a missing electron package', async () => {
    const root = await mkdtemp(path.join(os.tmpdir(), 'sok-electron-'));
    dirs.push(root);
    await writeFile(path.join(root, 'package.json'), '{}');
    const status = findElectronBinary(root, {});
    assert.equal(status.present, false);
    assert.match(!status.present ? status.reason : '', /not installed/);
  });

  it('finds the downloaded binary where path.txt points', async () => {
    const root = await project({ pathTxt: 'electron', executable: 'electron' });
    const status = findElectronBinary(root, {});
    assert.deepEqual(status, {
      present: true,
      executable: path.join(root, 'node_modules', 'electron', 'dist', 'electron'),
      version: '45.5.0',
    });
  });

  it('notices a path.txt whose binary was deleted', async () => {
    const status = findElectronBinary(await project({ pathTxt: 'electron' }), {});
    assert.equal(status.present, false);
    assert.match(!status.present ? status.reason : '', /is missing/);
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH like the electron package does', async () => {
    const root = await project();
    const dist = path.join(root, 'custom-dist');
    await mkdir(dist);
    await writeFile(path.join(dist, 'electron'), '');
    const status = findElectronBinary(root, { ELECTRON_OVERRIDE_DIST_PATH: dist }, 'linux');
    assert.equal(status.present && status.executable, path.join(dist, 'electron'));
  });

  it('names the executable per platform', () => {
    assert.equal(electronExecutableName('win32'), 'electron.exe');
    assert.equal(electronExecutableName('darwin'), 'Electron.app/Contents/MacOS/Electron');
    assert.equal(electronExecutableName('linux'), 'electron');
  });

  it('finds a cached Electron zip that lets electron-builder work offline', async () => {
    const cache = await mkdtemp(path.join(os.tmpdir(), 'sok-cache-'));
    dirs.push(cache);
    const nested = path.join(cache, 'a1b2c3');
    await mkdir(nested);
    await writeFile(path.join(nested, 'electron-v45.5.0-linux-x64.zip'), '');
    assert.equal(findCachedElectronZip('45.5.0', 'linux', 'x64', [cache]), path.join(nested, 'electron-v45.5.0-linux-x64.zip'));
    assert.equal(findCachedElectronZip('45.5.0', 'win32', 'x64', [cache]), undefined);
  });
});
