// The installer check that runs offline: electron-builder validates build/electron-builder.json and packages
// the app (--linux dir) around a stand-in Electron distribution. The app.asar it produces is extracted and
// the till is started from those files alone, proving an installer would carry everything it needs.
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import { desktopFixture, hasManifest, kassaDir, projectRoot } from '../helpers/desktop.js';

const run = promisify(execFile);
const require = createRequire(import.meta.url);
const asar = require('@electron/asar') as typeof import('@electron/asar');
const fuses = require('@electron/fuses') as typeof import('@electron/fuses');

const CONFIG = path.join(projectRoot, 'build', 'electron-builder.json');
const BUILDER_CLI = path.join(projectRoot, 'node_modules', 'electron-builder', 'cli.js');
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's own defaults, in @electron/fuses wire order: what the stand-in starts with */
const STOCK_FUSES = '10110001';

const temp: string[] = [];
after(() => Promise.all(temp.map((d) => rm(d, { recursive: true, force: true }))));

async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  temp.push(dir);
  return dir;
}

/** What electron-builder expects of an unpacked Electron: the executable, a version file, resources/. */
async function standInElectron(version: string): Promise<string> {
  const dir = await tempDir('sok-electron-dist-');
  await mkdir(path.join(dir, 'resources'));
  await writeFile(path.join(dir, 'version'), version);
  // A script carrying a fuse wire, so electron-builder's fuse flipping has something real to work on.
  const body = Buffer.concat([
    Buffer.from(`#!/bin/sh\n# ${FUSE_SENTINEL}`),
    Buffer.from([1, STOCK_FUSES.length]),
    Buffer.from(`${STOCK_FUSES}\necho "stand-in Electron: packaging check only" >&2\nexit 1\n`),
  ]);
  await writeFile(path.join(dir, 'electron'), body);
  await chmod(path.join(dir, 'electron'), 0o755);
  return dir;
}

interface Packaged {
  outDir: string;
  appOutDir: string;
  asarPath: string;
  files: Set<string>;
  log: string;
}

let packaged: Packaged;

before(async () => {
  // The installer packs dist/, so package what the sources are now.
  await run(process.execPath, [path.join(projectRoot, 'scripts', 'build.mjs')], { cwd: projectRoot });
  const version = JSON.parse(await readFile(path.join(projectRoot, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  const electronDist = await standInElectron(version);
  const outDir = await tempDir('sok-release-');
  let config = CONFIG;
  if (!hasManifest(kassaDir)) {
    // apps/kassa is not written yet: ship the desktop fixture in its place, with the real config otherwise.
    const real = JSON.parse(await readFile(CONFIG, 'utf8'));
    const withoutKassa = (real.files as unknown[]).filter((f) => typeof f !== 'string' || !/^!?apps\/kassa/.test(f));
    real.files = [...withoutKassa, { from: path.relative(projectRoot, desktopFixture), to: 'apps/kassa', filter: ['**/*'] }];
    delete real.$schema;
    config = path.join(outDir, 'electron-builder.with-fixture.json');
    await writeFile(config, JSON.stringify(real, null, 2));
  }
  const args = [
    BUILDER_CLI,
    '--config',
    config,
    '--linux',
    'dir',
    '--publish',
    'never',
    `-c.electronDist=${electronDist}`,
    '-c.npmRebuild=false',
    `-c.directories.output=${outDir}`,
  ];
  const { stdout, stderr } = await run(process.execPath, args, {
    cwd: projectRoot,
    env: { ...process.env, CI: 'true', ELECTRON_BUILDER_CACHE: path.join(outDir, 'cache') },
    maxBuffer: 16 * 1024 * 1024,
  });
  const appOutDir = path.join(outDir, 'linux-unpacked');
  const asarPath = path.join(appOutDir, 'resources', 'app.asar');
  const files = new Set(asar.listPackage(asarPath, { isPack: false }).map((f) => f.split(path.sep).join('/').replace(/^\//, '')));
  packaged = { outDir, appOutDir, asarPath, files, log: stdout + stderr };
});

describe('installer packaging (offline)', () => {
  it('validates the builder config and names the executable after the app', async () => {
    assert.match(packaged.log, /loaded configuration/);
    const executable = path.join(packaged.appOutDir, 'serverokey-pos');
    assert.ok((await readFile(executable)).length > 0, 'linux.executableName is used');
  });

  it('packs the engine, the desktop host, the browser client and the till into app.asar', () => {
    const required = ['package.json', 'dist/server/host.js', 'dist/electron/main.js', 'dist/electron/preload.cjs', 'build/icon.png'];
    for (const file of required) assert.ok(packaged.files.has(file), `${file} is in app.asar`);
    assert.ok([...packaged.files].some((f) => /^apps\/kassa\/manifest\.(c|m)?js$/.test(f)), 'the till manifest is in app.asar');
    assert.ok(packaged.files.has('renderer/dist/engine-client.js'), 'the browser client bundle is in app.asar');
    for (const dependency of ['express', 'ws', 'lowdb', 'mustache', 'zod', 'bcryptjs']) {
      assert.ok(packaged.files.has(`node_modules/${dependency}/package.json`), `${dependency} is in app.asar`);
    }
  });

  it('leaves out sources, tests, dev tools and data', () => {
    for (const file of packaged.files) {
      assert.doesNotMatch(file, /^(test|server|electron|bench|scripts|release)\//, file);
      assert.doesNotMatch(file, /^node_modules\/(electron|electron-builder|typescript|esbuild|tsx|playwright-core)\//, file);
      assert.doesNotMatch(file, /(^|\/)\.data\//, file);
      assert.doesNotMatch(file, /\.map$/, file);
    }
  });

  it('flips the release fuses in the packaged executable', async () => {
    const wire = await fuses.getCurrentFuseWire(path.join(packaged.appOutDir, 'serverokey-pos'));
    // @electron/fuses keeps FuseState internal: '1' (0x31) is ENABLE, '0' (0x30) is DISABLE
    const on = (i: number) => wire[i as keyof typeof wire] === '1'.charCodeAt(0);
    const O = fuses.FuseV1Options;
    assert.equal(on(O.RunAsNode), false, 'runAsNode off');
    assert.equal(on(O.EnableCookieEncryption), true, 'cookie encryption on');
    assert.equal(on(O.EnableNodeOptionsEnvironmentVariable), false, 'NODE_OPTIONS ignored');
    assert.equal(on(O.EnableNodeCliInspectArguments), false, '--inspect ignored');
    assert.equal(on(O.EnableEmbeddedAsarIntegrityValidation), true, 'asar integrity on');
    assert.equal(on(O.OnlyLoadAppFromAsar), true, 'only app.asar is loaded');
  });

  it('starts the till from the extracted app.asar alone', async () => {
    const extracted = await tempDir('sok-asar-');
    asar.extractAll(packaged.asarPath, extracted);
    const dataDir = await tempDir('sok-asar-data-');
    // Outside the project, so nothing can be found in the project's node_modules.
    const runner = path.join(extracted, '..', `${path.basename(extracted)}-run.mjs`);
    temp.push(runner);
    await writeFile(
      runner,
      [
        "import { pathToFileURL } from 'node:url';",
        'const [app, data] = process.argv.slice(2);',
        "const { createHost } = await import(pathToFileURL(app + '/dist/server/host.js').href);",
        "const host = await createHost({ appDir: app + '/apps/kassa', dataDir: data, port: 0, quiet: true });",
        "console.log('URL ' + host.url);",
        "process.on('SIGTERM', async () => { await host.close(); process.exit(0); });",
      ].join('\n'),
    );
    const child = spawn(process.execPath, [runner, extracted, dataDir], {
      cwd: os.tmpdir(),
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the packaged till did not start:\n${output}`)), 30_000);
        child.stdout.on('data', () => {
          const match = /URL (\S+)/.exec(output);
          if (match) {
            clearTimeout(timer);
            resolve(match[1]!);
          }
        });
        child.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`the packaged till exited (${code}):\n${output}`));
        });
      });
      const login = await fetch(`${url}/login`);
      assert.equal(login.status, 200);
      assert.match(await login.text(), /type="password"/);
      const client = await fetch(`${url}/engine-client.js`);
      assert.equal(client.status, 200, 'the browser client is served from the package');
    } finally {
      child.kill('SIGTERM');
      assert.equal(await exited, 0, output);
    }
  });
});
