// `npm run setup` on this very machine: the real script, its real dpkg-query, never a real apt-get (the
// --system run gets recording stand-ins for apt-get and sudo first on PATH, so nothing is ever installed or
// removed here). Also: CI and the README use that one command and keep no package list of their own.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { projectRoot } from '../helpers/host.js';
import { SYSTEM_PACKAGES } from '../../scripts/system-packages.mjs';

const ALL = SYSTEM_PACKAGES.map((p) => p.name);
const setupScript = path.join(projectRoot, 'scripts', 'setup.mjs');

const onPath = (command: string) =>
  (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && existsSync(path.join(dir, command)));
const debian = existsSync('/etc/debian_version') && onPath('dpkg-query') && onPath('apt-get');

/** dpkg's own answer, asked one package at a time and independently of the script's parser. */
function installedByDpkg(name: string): boolean {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${db:Status-Status}', name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }) === 'installed';
  } catch {
    return false; // unknown to dpkg
  }
}

function setup(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(process.execPath, [setupScript, ...args], { cwd: projectRoot, env, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

const labelled = (output: string, label: string) =>
  output.split('\n').flatMap((line) => {
    const match = new RegExp(`^\\[setup\\]\\s+${label}\\s+(\\S+)`).exec(line);
    return match ? [match[1]] : [];
  });

const temp: string[] = [];
after(() => Promise.all(temp.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('npm run setup on this machine', () => {
  it('--check reports exactly what dpkg-query says is missing, and changes nothing', () => {
    const before = ALL.map(installedByDpkg);
    const { status, output } = setup(['--check']);
    assert.equal(status, 0, output);
    if (!debian) {
      assert.match(output, /not Debian/);
      return;
    }
    assert.deepEqual(labelled(output, 'present'), ALL.filter((_, i) => before[i]), output);
    assert.deepEqual(labelled(output, 'would install'), ALL.filter((_, i) => !before[i]), output);
    if (before.every(Boolean)) assert.match(output, /nothing to install/);
    assert.match(output, /would run: npm install/);
    assert.deepEqual(ALL.map(installedByDpkg), before, 'a --check run changed the installed packages');
  });

  it('--system installs exactly the missing packages (none when all are there) and says so', async () => {
    // Stand-ins that record their arguments and fail: a real apt-get or sudo is never reached.
    const bin = await mkdtemp(path.join(os.tmpdir(), 'sok-setup-'));
    temp.push(bin);
    const calls = path.join(bin, 'calls.log');
    for (const name of ['apt-get', 'sudo']) {
      await writeFile(path.join(bin, name), `#!/bin/sh\necho "${name} $*" >> '${calls}'\nexit 1\n`);
      await chmod(path.join(bin, name), 0o755);
    }
    const missing = ALL.filter((name) => !installedByDpkg(name));
    const { status, output } = setup(['--system'], { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH}` });
    const ran = existsSync(calls) ? (await readFile(calls, 'utf8')).trim().split('\n') : [];
    const aptRuns = ran.filter((line) => line.includes('apt-get'));
    if (!debian) {
      assert.equal(status, 1, output);
      assert.deepEqual(aptRuns, []);
    } else if (missing.length === 0) {
      // This machine has everything (as CI has after its first set-up): a second run installs nothing.
      assert.equal(status, 0, output);
      assert.deepEqual(ran, []);
      assert.match(output, /nothing to install/);
    } else if (process.getuid?.() === 0) {
      assert.equal(status, 1, output); // the stand-in apt-get fails
      assert.deepEqual(aptRuns, ['apt-get update -qq'], output);
      assert.deepEqual(labelled(output, 'installing'), missing);
    } else {
      assert.equal(status, 1, output); // --system asked for it; the stand-in sudo wants a password
      assert.deepEqual(aptRuns, []);
      assert.ok(output.includes(`sudo apt-get install -y ${missing.join(' ')}`), output);
    }
  });
});

describe('the one set-up command', () => {
  it('is npm run setup, a plain Node script that needs no node_modules', () => {
    const pkg = JSON.parse(readFileSync(path.join(projectRoot, 'package.json'), 'utf8'));
    assert.equal(pkg.scripts.setup, 'node scripts/setup.mjs');
    assert.equal(pkg.scripts.prepare, 'node scripts/build.mjs', 'plain npm install must still build');
    for (const file of ['scripts/setup.mjs', 'scripts/system-packages.mjs']) {
      const imports = [...readFileSync(path.join(projectRoot, file), 'utf8').matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      for (const spec of imports) assert.ok(spec.startsWith('node:') || spec.startsWith('./'), `${file} imports ${spec}`);
    }
  });

  it('CI runs exactly the README commands and has no package list of its own', () => {
    const ci = readFileSync(path.join(projectRoot, '.ci', 'run'), 'utf8');
    const commands = ci.split('\n').filter((line) => line.trim() && !line.trim().startsWith('#'));
    assert.ok(commands.includes('set -euo pipefail'), ci);
    assert.deepEqual(
      commands.filter((line) => line.startsWith('npm ')),
      ['npm run setup', 'npm run typecheck', 'npm test'],
    );
    const script = commands.join('\n');
    assert.doesNotMatch(script, /apt-get |dpkg|command -v/, 'CI installs nothing by itself');
    for (const name of ALL) assert.ok(!new RegExp(`\\b${name}\\b`).test(script), `.ci/run names ${name}`);

    const readme = readFileSync(path.join(projectRoot, 'README.md'), 'utf8');
    for (const command of ['npm run setup', 'npm start']) assert.ok(readme.includes(command), `README lacks ${command}`);
    assert.doesNotMatch(readme, /apt-get install/, 'the README should name the set-up command, not an apt-get line');
  });
});
