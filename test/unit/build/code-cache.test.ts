// server/code-cache.ts: the module every built start of the engine runs its bundle through.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import test from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { CODE_CACHE_DIR, SCRIPT_PARAMETERS, runBundle, type BundleOptions } from '../../../server/code-cache.js';
import { projectRoot } from '../../helpers/host.js';

const run = promisify(execFile);

/** A bundle script as the build writes one: a function expression of the script's scope. */
function bundleSource(answer: number): string {
  return `(function (${SCRIPT_PARAMETERS.join(', ')}) {
  exports.answer = ${answer};
  exports.build = __engineBuild;
  exports.moduleUrl = __engineModuleUrl;
  exports.dirname = __dirname;
  exports.imported = __engineImport('node:path').then((m) => typeof m.join);
})`;
}

async function bundleDir(t: test.TestContext, answer = 42): Promise<{ dir: string; options: BundleOptions }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sok-code-cache-'));
  t.after(() => rm(dir, { recursive: true, force: true }));
  await writeFile(path.join(dir, 'app.bundle.cjs'), bundleSource(answer));
  return {
    dir,
    options: { moduleUrl: pathToFileURL(path.join(dir, 'app.js')).href, bundleName: 'app.bundle.cjs', hash: `hash${answer}`, importModule: (s) => import(s), env: {} },
  };
}

test('the build wraps bundles in the scope runBundle passes, and clears the folder it caches in', async () => {
  const build = await import(pathToFileURL(path.join(projectRoot, 'scripts', 'build.mjs')).href);
  assert.deepEqual(build.SCRIPT_PARAMETERS, [...SCRIPT_PARAMETERS]);
  assert.equal(build.CODE_CACHE_DIR, CODE_CACHE_DIR);
});

test('a bundle runs with its scope, compiles without a cache the first time and from the cache it saved the next', async (t) => {
  const { dir, options } = await bundleDir(t);
  const first = runBundle(options);
  assert.equal(first.exports.answer, 42);
  assert.equal(first.exports.dirname, dir);
  assert.equal(first.exports.moduleUrl, options.moduleUrl);
  assert.deepEqual(first.exports.build, { id: 'hash42', cacheDir: path.join(dir, CODE_CACHE_DIR) });
  assert.equal(await first.exports.imported, 'function', 'dynamic imports go through the module that runs the bundle');
  assert.equal(first.cached, false);
  assert.equal(existsSync(first.cacheFile), false, 'nothing is written before the start-up has run');
  first.saveCache();
  assert.ok(existsSync(first.cacheFile));
  assert.ok(path.basename(first.cacheFile).startsWith('app.bundle.cjs-hash42-'));

  const second = runBundle(options);
  assert.equal(second.cached, true, 'V8 accepted the saved cache');
  assert.equal(second.exports.answer, 42);
});

test('a new build of the bundle replaces the caches of the earlier one', async (t) => {
  const { dir, options } = await bundleDir(t);
  runBundle(options).saveCache();
  await writeFile(path.join(dir, 'app.bundle.cjs'), bundleSource(43));
  const rebuilt = runBundle({ ...options, hash: 'hash43' });
  assert.equal(rebuilt.exports.answer, 43);
  assert.equal(rebuilt.cached, false);
  rebuilt.saveCache();
  assert.deepEqual(await readdir(path.join(dir, CODE_CACHE_DIR)), [path.basename(rebuilt.cacheFile)]);
});

test('SERVEROKEY_CODE_CACHE_DIR moves the cache; SERVEROKEY_CODE_CACHE=off turns it off', async (t) => {
  const { dir, options } = await bundleDir(t);
  const elsewhere = path.join(dir, 'user-data', 'code-cache');
  const moved = runBundle({ ...options, env: { SERVEROKEY_CODE_CACHE_DIR: elsewhere } });
  moved.saveCache();
  assert.equal(path.dirname(moved.cacheFile), elsewhere);
  assert.ok(existsSync(moved.cacheFile));

  const off = runBundle({ ...options, env: { SERVEROKEY_CODE_CACHE: 'off' } });
  assert.deepEqual(off.exports.build, { id: 'hash42', cacheDir: null });
  off.saveCache();
  assert.equal(existsSync(path.join(dir, CODE_CACHE_DIR)), false);
});

test('a process that compiled without a cache writes it when it exits', async (t) => {
  const { dir } = await bundleDir(t);
  const script = `
    import { runBundle } from ${JSON.stringify(pathToFileURL(path.join(projectRoot, 'server', 'code-cache.ts')).href)};
    const { cached } = runBundle({ moduleUrl: ${JSON.stringify(pathToFileURL(path.join(dir, 'app.js')).href)}, bundleName: 'app.bundle.cjs', hash: 'hash42', importModule: (s) => import(s) });
    console.log(cached);`;
  const env = { ...process.env, SERVEROKEY_CODE_CACHE_DIR: '', SERVEROKEY_CODE_CACHE: '' };
  const first = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: projectRoot, env });
  assert.equal(first.stdout.trim(), 'false');
  const written = await readdir(path.join(dir, CODE_CACHE_DIR));
  assert.equal(written.length, 1, `the cache folder holds ${written.join(', ')}`);
  const second = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: projectRoot, env });
  assert.equal(second.stdout.trim(), 'true');
});
