// The decisions of `npm run setup`'s system part, on machines played by injected probes: which packages
// dpkg reports, root or not, password-less sudo or not, Debian or not, --system or not, --check or not.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  installCommand,
  parseDpkgStatus,
  parseSetupArgs,
  setUpSystemPackages,
  SYSTEM_PACKAGES,
  type SetupProbes,
} from '../../../scripts/system-packages.mjs';

const ALL = SYSTEM_PACKAGES.map((p) => p.name);

interface MachineShape {
  debian?: boolean;
  root?: boolean;
  sudo?: boolean;
  installed?: string[];
  /** the apt-get subcommand that exits non-zero */
  aptFails?: 'update' | 'install';
  /** apt-get install exits 0 but leaves these uninstalled */
  aptSkips?: string[];
}

/** A machine whose apt-get installs into a package table that its dpkg then reports. */
function machine(shape: MachineShape = {}) {
  const packages = new Map((shape.installed ?? []).map((name) => [name, '1.0']));
  const runs: string[][] = [];
  const lines: string[] = [];
  let dpkgQueries = 0;
  let sudoAsked = 0;
  const probes: SetupProbes = {
    isDebian: () => shape.debian ?? true,
    isRoot: () => shape.root ?? true,
    passwordlessSudo: () => {
      sudoAsked++;
      return shape.sudo ?? false;
    },
    installedPackages: (names) => {
      dpkgQueries++;
      return new Map([...packages].filter(([name]) => names.includes(name)));
    },
    run: (command, args) => {
      runs.push([command, ...args]);
      const argv = command === 'sudo' ? args.slice(args.indexOf('apt-get')) : [command, ...args];
      assert.equal(argv[0], 'apt-get', `set-up ran something other than apt-get: ${command} ${args.join(' ')}`);
      if (argv[1] === shape.aptFails) return 100;
      if (argv[1] === 'install') {
        for (const name of argv.slice(2).filter((a) => !a.startsWith('-'))) {
          if (!shape.aptSkips?.includes(name)) packages.set(name, '2.0');
        }
      }
      return 0;
    },
    log: (line) => lines.push(line),
  };
  return {
    probes,
    runs,
    lines,
    packages,
    output: () => lines.join('\n'),
    get dpkgQueries() {
      return dpkgQueries;
    },
    get sudoAsked() {
      return sudoAsked;
    },
  };
}

const without = (...names: string[]) => ALL.filter((n) => !names.includes(n));
const reported = (lines: string[], label: string) =>
  lines.flatMap((line) => {
    const match = new RegExp(`^\\s+${label}\\s+(\\S+)`).exec(line);
    return match ? [match[1]] : [];
  });

describe('the package list', () => {
  it('holds what the tests, the desktop fallback and the PostgreSQL store need, each with its reason', () => {
    for (const name of ['chromium-headless-shell', 'chromium', 'xvfb', 'imagemagick', 'iproute2', 'postgresql']) {
      assert.ok(ALL.includes(name), `${name} is missing from scripts/system-packages.json`);
    }
    assert.equal(new Set(ALL).size, ALL.length, 'a package is listed twice');
    for (const p of SYSTEM_PACKAGES) assert.ok(p.for.length > 0, `${p.name} says nothing about what needs it`);
  });
});

describe('dpkg-query output', () => {
  it('counts only fully installed packages, not removed ones whose configuration is kept', () => {
    const installed = parseDpkgStatus(
      [
        'chromium\tinstall ok installed\t156.0-1',
        'xvfb\tdeinstall ok config-files\t2:21.1',
        'imagemagick\tinstall ok half-installed\t8:6.9',
        'iproute2\thold ok installed\t6.1.0-3',
        'postgresql\tinstall ok unpacked\t15+248',
        '',
      ].join('\n'),
    );
    assert.deepEqual([...installed], [
      ['chromium', '156.0-1'],
      ['iproute2', '6.1.0-3'],
    ]);
  });
});

describe('system set-up on Debian', () => {
  it('with everything present installs nothing, does not even apt-get update, and says so', () => {
    for (const required of [false, true]) {
      const m = machine({ installed: ALL });
      const result = setUpSystemPackages({ required }, m.probes);
      assert.deepEqual(result, { exitCode: 0, installed: [] });
      assert.deepEqual(m.runs, []);
      assert.deepEqual(reported(m.lines, 'present'), ALL);
      assert.match(m.output(), new RegExp(`nothing to install: all ${ALL.length} system packages are present`));
    }
  });

  it('as root installs only the missing packages (apt-get update first), prints each, and a second run installs nothing', () => {
    const m = machine({ root: true, installed: without('chromium', 'xvfb') });
    const first = setUpSystemPackages({}, m.probes);
    assert.deepEqual(first, { exitCode: 0, installed: ['chromium', 'xvfb'] });
    assert.deepEqual(m.runs, [
      ['apt-get', 'update', '-qq'],
      ['apt-get', 'install', '-y', '-qq', 'chromium', 'xvfb'],
    ]);
    assert.deepEqual(reported(m.lines, 'installing'), ['chromium', 'xvfb']);
    assert.deepEqual(reported(m.lines, 'installed'), ['chromium', 'xvfb']);
    assert.equal(m.sudoAsked, 0, 'root needs no sudo');

    m.runs.length = 0;
    m.lines.length = 0;
    const second = setUpSystemPackages({}, m.probes);
    assert.deepEqual(second, { exitCode: 0, installed: [] });
    assert.deepEqual(m.runs, []);
    assert.match(m.output(), /nothing to install/);
  });

  it('not root but with password-less sudo installs through sudo, non-interactively', () => {
    const m = machine({ root: false, sudo: true, installed: without('imagemagick') });
    const result = setUpSystemPackages({ required: true }, m.probes);
    assert.deepEqual(result, { exitCode: 0, installed: ['imagemagick'] });
    assert.deepEqual(m.runs, [
      ['sudo', '-n', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'update', '-qq'],
      ['sudo', '-n', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '-qq', 'imagemagick'],
    ]);
  });

  it('not root and no password-less sudo: runs nothing, prints the exact command, fails only under --system', () => {
    for (const required of [false, true]) {
      const m = machine({ root: false, sudo: false, installed: without('chromium-headless-shell', 'postgresql') });
      const result = setUpSystemPackages({ required }, m.probes);
      assert.deepEqual(result, { exitCode: required ? 1 : 0, installed: [] });
      assert.deepEqual(m.runs, []);
      assert.deepEqual(reported(m.lines, 'missing'), ['chromium-headless-shell', 'postgresql']);
      assert.ok(
        m.lines.some((line) => line.trim() === 'sudo apt-get update && sudo apt-get install -y chromium-headless-shell postgresql'),
        m.output(),
      );
    }
  });

  it('--check reports what it would install and the command, and changes nothing, whoever runs it', () => {
    for (const shape of [{ root: true }, { root: false, sudo: true }, { root: false, sudo: false }]) {
      const m = machine({ ...shape, installed: without('xvfb') });
      const result = setUpSystemPackages({ check: true, required: true }, m.probes);
      assert.deepEqual(result, { exitCode: 0, installed: [] });
      assert.deepEqual(m.runs, []);
      assert.deepEqual(reported(m.lines, 'would install'), ['xvfb']);
      assert.deepEqual(reported(m.lines, 'present'), without('xvfb'));
      const expected = shape.root
        ? 'would run: apt-get update -qq && apt-get install -y -qq xvfb'
        : shape.sudo
          ? 'would run: sudo -n env DEBIAN_FRONTEND=noninteractive apt-get update -qq && sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xvfb'
          : 'run: sudo apt-get update && sudo apt-get install -y xvfb';
      assert.ok(m.lines.some((line) => line.includes(expected)), `${expected}\nnot in\n${m.output()}`);
    }
  });

  it('a failing apt-get update stops before installing, and fails even without --system', () => {
    const m = machine({ aptFails: 'update', installed: without('iproute2') });
    const result = setUpSystemPackages({}, m.probes);
    assert.deepEqual(result, { exitCode: 1, installed: [] });
    assert.deepEqual(m.runs, [['apt-get', 'update', '-qq']]);
    assert.match(m.output(), /failed: apt-get update -qq exited with 100/);
    assert.equal(m.packages.has('iproute2'), false);
  });

  it('a failing apt-get install fails', () => {
    const m = machine({ aptFails: 'install', installed: without('iproute2') });
    assert.deepEqual(setUpSystemPackages({}, m.probes), { exitCode: 1, installed: [] });
    assert.match(m.output(), /failed: apt-get install -y -qq iproute2 exited with 100/);
  });

  it('believes dpkg, not apt-get: a package still missing afterwards is a failure', () => {
    const m = machine({ aptSkips: ['chromium'], installed: without('chromium', 'xvfb') });
    const result = setUpSystemPackages({}, m.probes);
    assert.deepEqual(result, { exitCode: 1, installed: ['xvfb'] });
    assert.match(m.output(), /dpkg still does not report chromium as installed/);
  });
});

describe('system set-up elsewhere than Debian', () => {
  it('runs nothing, lists the packages and the Debian command, and fails only under --system', () => {
    for (const [options, exitCode] of [
      [{}, 0],
      [{ required: true }, 1],
      [{ check: true, required: true }, 0],
    ] as const) {
      const m = machine({ debian: false });
      assert.deepEqual(setUpSystemPackages(options, m.probes), { exitCode, installed: [] });
      assert.deepEqual(m.runs, []);
      assert.equal(m.dpkgQueries, 0);
      assert.match(m.output(), /not Debian/);
      assert.deepEqual(reported(m.lines, 'needed'), ALL);
      assert.ok(m.output().includes(installCommand(ALL, false)));
    }
  });
});

describe('set-up options', () => {
  it('--check and --dry-run are the same report-only mode; --system asks for the system part alone', () => {
    assert.deepEqual(parseSetupArgs([]), { check: false, system: false, help: false });
    assert.deepEqual(parseSetupArgs(['--check']), { check: true, system: false, help: false });
    assert.deepEqual(parseSetupArgs(['--dry-run', '--system']), { check: true, system: true, help: false });
    assert.throws(() => parseSetupArgs(['--sytem']), /--sytem/);
  });
});
