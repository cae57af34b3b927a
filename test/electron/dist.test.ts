// npm run dist: where Electron cannot be obtained it stops at once with a message saying why and what to do.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';
import { findElectronBinary } from '../../electron/electron-binary.js';
import { projectRoot } from '../helpers/desktop.js';

const run = promisify(execFile);
const temp: string[] = [];
after(() => Promise.all(temp.map((d) => rm(d, { recursive: true, force: true }))));

interface DistModule {
  electronSource(input: Record<string, unknown>): Promise<{ ok: boolean; extraArgs?: string[]; note?: string; message?: string }>;
  targetPlatform(args: string[], host?: string): string;
}
const dist = (await import(pathToFileURL(path.join(projectRoot, 'scripts', 'dist.mjs')).href)) as DistModule;

const missing = { present: false, reason: 'no binary' };
const installed = { present: true, executable: '/p/node_modules/electron/dist/electron', version: '45.5.0' };
const unreachable = async () => ({ reachable: false, reason: 'ENOTFOUND' });
const mustNotProbe = async () => assert.fail('the network must not be probed when Electron is at hand');
const base = { version: '45.5.0', cacheDirs: ['/cache'], hostPlatform: 'linux', hostArch: 'x64' };

describe('where npm run dist gets Electron', () => {
  it('uses the installed binary as the Electron distribution when it matches the target', async () => {
    const source = await dist.electronSource({ ...base, args: ['--linux'], binary: installed, probe: mustNotProbe });
    assert.deepEqual(source.extraArgs, ['-c.electronDist=/p/node_modules/electron/dist']);
  });

  it('does not use it for another platform or architecture', async () => {
    for (const args of [['--win'], ['--linux', '--arm64']]) {
      const source = await dist.electronSource({ ...base, args, binary: installed, probe: unreachable });
      assert.equal(source.ok, false, args.join(' '));
    }
  });

  it('uses a cached zip, or an electronDist given on the command line, without the network', async () => {
    const cached = await dist.electronSource({ ...base, args: [], binary: missing, cachedZip: '/cache/x/electron-v45.5.0-linux-x64.zip', probe: mustNotProbe });
    assert.equal(cached.ok, true);
    const given = await dist.electronSource({ ...base, args: ['-c.electronDist=/opt/e'], binary: missing, probe: mustNotProbe });
    assert.deepEqual(given.extraArgs, []);
  });

  it('downloads when github.com answers', async () => {
    const source = await dist.electronSource({ ...base, args: [], binary: missing, probe: async () => ({ reachable: true }) });
    assert.equal(source.ok, true);
    assert.match(source.note ?? '', /downloaded/);
  });

  it('reads the target platform from the electron-builder flags', () => {
    assert.equal(dist.targetPlatform(['--win', 'nsis'], 'linux'), 'win32');
    assert.equal(dist.targetPlatform(['-m'], 'linux'), 'darwin');
    assert.equal(dist.targetPlatform([], 'linux'), 'linux');
  });

  const electronHere = findElectronBinary(projectRoot);
  it(
    'stops with a clear message where Electron cannot be obtained',
    electronHere.present ? { skip: 'the Electron binary is installed here, so npm run dist would really build' } : {},
    async () => {
      const cache = await mkdtemp(path.join(os.tmpdir(), 'sok-dist-cache-'));
      temp.push(cache);
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as { port: number };
      await new Promise((resolve) => closed.close(resolve));
      const result = await run(process.execPath, ['scripts/dist.mjs', '--linux'], {
        cwd: projectRoot,
        env: {
          ...process.env,
          electron_config_cache: cache,
          XDG_CACHE_HOME: cache,
          SERVEROKEY_DIST_PROBE_URL: `http://127.0.0.1:${port}/`,
        },
      }).then(
        () => assert.fail('npm run dist should have stopped'),
        (error: { code: number; stderr: string }) => error,
      );
      assert.equal(result.code, 1);
      assert.match(result.stderr, /npm run dist cannot obtain Electron \d+\.\d+\.\d+ for linux-/);
      assert.match(result.stderr, /the Electron binary is not installed/);
      assert.match(result.stderr, /cannot be reached/);
      assert.match(result.stderr, /-c\.electronDist=/, 'it says what to do');
    },
  );
});
