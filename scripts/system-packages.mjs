// The system half of `npm run setup`: which of the Debian packages in system-packages.json are missing, and
// installing them with apt-get, as root or with sudo when it needs no password. "Missing" is dpkg's word, not
// PATH's: a removed package can leave a binary behind, and a binary on PATH can come from elsewhere.
// Everything it asks the machine goes through `probes`, so the tests can play any machine.
// Plain Node with no dependencies: it runs before node_modules exist.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

/** The one package list (system-packages.json), in the order it is installed and reported. */
export const SYSTEM_PACKAGES = JSON.parse(readFileSync(new URL('./system-packages.json', import.meta.url), 'utf8')).packages;

/** What dpkg-query prints per package: name, status ("install ok installed"), version. */
export const DPKG_QUERY_FORMAT = '${Package}\t${Status}\t${Version}\n';

/** dpkg-query -W output → the installed packages, name → version. */
export function parseDpkgStatus(output) {
  const installed = new Map();
  for (const line of output.split('\n')) {
    const [name, status, version] = line.split('\t');
    // "install ok installed" / "hold ok installed" count; "deinstall ok config-files" (removed, its
    // configuration kept) and "half-installed" / "unpacked" do not.
    if (name && status?.split(' ')[2] === 'installed' && !installed.has(name)) installed.set(name, version ?? '');
  }
  return installed;
}

const onPath = (command) =>
  (process.env.PATH ?? '').split(path.delimiter).some((dir) => dir && existsSync(path.join(dir, command)));

/** The real machine. `log` prints one line of the report. */
export function machineProbes(log = (line) => console.log(line)) {
  return {
    isDebian: () => existsSync('/etc/debian_version') && onPath('dpkg-query') && onPath('apt-get'),
    isRoot: () => process.getuid?.() === 0,
    passwordlessSudo: () => onPath('sudo') && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0,
    installedPackages: (names) => {
      // Exit status 1 when some name is unknown to dpkg; the known ones are still printed.
      const result = spawnSync('dpkg-query', ['-W', `-f=${DPKG_QUERY_FORMAT}`, ...names], { encoding: 'utf8' });
      return parseDpkgStatus(result.stdout ?? '');
    },
    run: (command, args) => {
      const result = spawnSync(command, args, {
        stdio: 'inherit',
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
      return result.status ?? 1;
    },
    log,
  };
}

/** The command a person types to install `names` (shown where set-up cannot run it itself). */
export function installCommand(names, asRoot) {
  const sudo = asRoot ? '' : 'sudo ';
  return `${sudo}apt-get update && ${sudo}apt-get install -y ${names.join(' ')}`;
}

/** apt-get argument lists for `names`; prefixed with a non-interactive sudo when not root. */
function aptCommands(names, how) {
  const update = ['apt-get', 'update', '-qq'];
  const install = ['apt-get', 'install', '-y', '-qq', ...names];
  // sudo resets the environment, so the non-interactive frontend goes through env.
  const wrap = (argv) => (how === 'sudo' ? ['sudo', '-n', 'env', 'DEBIAN_FRONTEND=noninteractive', ...argv] : argv);
  return { update: wrap(update), install: wrap(install) };
}

const column = (label) => `  ${label.padEnd(14)} `;

/**
 * Installs the missing system packages, or (check) says what it would install.
 * required: the user asked for the system part explicitly, so not being able to install is a failure.
 * Returns the exit status for this part and the packages it installed.
 */
export function setUpSystemPackages({ check = false, required = false, packages = SYSTEM_PACKAGES } = {}, probes = machineProbes()) {
  const { log } = probes;
  const names = packages.map((p) => p.name);
  const purpose = new Map(packages.map((p) => [p.name, p.for]));
  const cannot = { exitCode: check || !required ? 0 : 1, installed: [] };

  if (!probes.isDebian()) {
    log('system packages: this is not Debian (no dpkg-query and apt-get), so set-up cannot install them.');
    log('Install the equivalents of these yourself:');
    for (const p of packages) log(`${column('needed')}${p.name} (${p.for})`);
    log(`On Debian that is: ${installCommand(names, false)}`);
    return cannot;
  }

  const before = probes.installedPackages(names);
  const missing = names.filter((name) => !before.has(name));
  log('system packages (Debian, as dpkg reports them):');
  for (const name of names) if (before.has(name)) log(`${column('present')}${name} ${before.get(name)}`);
  if (missing.length === 0) {
    log(`nothing to install: all ${names.length} system packages are present`);
    return { exitCode: 0, installed: [] };
  }

  const how = probes.isRoot() ? 'root' : probes.passwordlessSudo() ? 'sudo' : null;
  if (check) {
    for (const name of missing) log(`${column('would install')}${name} (${purpose.get(name)})`);
    if (how) {
      const commands = aptCommands(missing, how);
      log(`would run: ${commands.update.join(' ')} && ${commands.install.join(' ')}`);
    } else {
      log(`would not be able to install them (not root, and sudo is missing or asks for a password); run: ${installCommand(missing, false)}`);
    }
    return { exitCode: 0, installed: [] };
  }

  if (!how) {
    for (const name of missing) log(`${column('missing')}${name} (${purpose.get(name)})`);
    log('cannot install them: not root, and sudo is missing or asks for a password. Run:');
    log(`  ${installCommand(missing, false)}`);
    if (!required) log('(continuing without them: the tests that need them fail and say which package is missing)');
    return cannot;
  }

  for (const name of missing) log(`${column('installing')}${name} (${purpose.get(name)})`);
  const commands = aptCommands(missing, how);
  // apt-get update only now that something has to be installed.
  for (const argv of [commands.update, commands.install]) {
    log(`running: ${argv.join(' ')}`);
    const status = probes.run(argv[0], argv.slice(1));
    if (status !== 0) {
      log(`failed: ${argv.join(' ')} exited with ${status}; nothing more was tried. To retry by hand: ${installCommand(missing, how === 'root')}`);
      return { exitCode: 1, installed: [] };
    }
  }

  const after = probes.installedPackages(names);
  const installed = missing.filter((name) => after.has(name));
  for (const name of installed) log(`${column('installed')}${name} ${after.get(name)}`);
  const still = missing.filter((name) => !after.has(name));
  if (still.length > 0) {
    log(`apt-get finished, but dpkg still does not report ${still.join(', ')} as installed`);
    return { exitCode: 1, installed };
  }
  return { exitCode: 0, installed };
}

export const SETUP_HELP = `Usage: npm run setup [-- options]

Sets this project up on this machine, in one command:
  1. the Debian packages the tests and \`npm start\` without Electron need (system-packages.json), the
     missing ones only, with apt-get as root or with sudo when it needs no password; elsewhere it prints
     the command to run;
  2. npm install (the npm dependencies, then the build through \`prepare\`).
A second run installs nothing and says so. Plain \`npm install\` still does step 2 alone.

Options:
  --check, --dry-run   only report what would be installed; change nothing
  --system             only step 1, and fail (exit 1) when the packages cannot be installed
  -h, --help           this help`;

/** Command-line options of scripts/setup.mjs; throws on an unknown option. */
export function parseSetupArgs(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      check: { type: 'boolean', default: false },
      'dry-run': { type: 'boolean', default: false },
      system: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  return { check: Boolean(values.check || values['dry-run']), system: Boolean(values.system), help: Boolean(values.help) };
}
