// npm start, everywhere. With the Electron binary present: the desktop app. Without it: the till server
// (the same engine) plus the system Chromium in app mode if one is installed, else the URL to open.
// launch.mode "server" (or --lan) runs headless for the LAN. It always says which of these it did.
// Ctrl+C closes the host cleanly (in-flight actions finish, writes are flushed); it never kills anything
// but its own children (compatibility.md D28).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { defaultDataDir } from './data-dir.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (message) => console.log(`[start] ${message}`);

const HELP = `Usage: npm start [-- options]

Opens the till: the desktop app when the Electron binary is installed, otherwise the till server and
the system Chromium in app mode (or just the address to open).

Options:
  --app <dir>      application folder (default: apps/kassa)
  --data <dir>     data folder (default: $SERVEROKEY_DATA or ~/.local/share/serverokey-pos)
  --port <n>       port (default: launch.port, else a free port)
  --lan            serve the LAN headless: other PCs and tablets pair with the code shown
  --no-browser     do not open a browser window, only print the address
  --no-electron    do not use the Electron binary even when it is installed
  -h, --help       this help

Environment: CHROME_PATH (browser to use), SERVEROKEY_DATA, SERVEROKEY_BROWSER_ARGS (extra browser switches).`;

function readOptions(argv) {
  const { values } = parseArgs({
    args: argv,
    options: {
      app: { type: 'string' },
      data: { type: 'string' },
      port: { type: 'string' },
      lan: { type: 'boolean', default: false },
      'no-browser': { type: 'boolean', default: false },
      'no-electron': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.port !== undefined && !/^\d{1,5}$/.test(values.port)) throw new Error(`--port needs a number, got "${values.port}"`);
  return values;
}

/** The newest modification time of the .ts files under `dirs` (0 when there are none). */
function newestSource(dirs) {
  let newest = 0;
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'dist' && entry.name !== 'node_modules') walk(full);
      } else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  for (const dir of dirs) walk(path.join(root, dir));
  return newest;
}

function mtime(file) {
  try {
    return statSync(path.join(root, file)).mtimeMs;
  } catch {
    return -1;
  }
}

/** Builds dist/ (and the browser client) when missing or older than the sources. */
export async function ensureBuilt() {
  const build = await import(pathToFileURL(path.join(root, 'scripts', 'build.mjs')).href);
  const nodeOutputs = ['dist/server/host.js', 'dist/electron/main.js', 'dist/electron/preload.cjs'];
  const nodeBuilt = Math.min(...nodeOutputs.map(mtime));
  if (nodeBuilt < newestSource(['server', 'electron', 'protocol'])) {
    say('building the engine and the desktop host (dist/) ...');
    await build.buildNode();
  }
  if (existsSync(path.join(root, 'renderer', 'client.ts'))) {
    if (mtime('renderer/dist/engine-client.js') < newestSource(['renderer'])) {
      say('building the browser client (renderer/dist/) ...');
      await build.buildClient();
    }
  }
}

async function loadModule(built, source) {
  const builtPath = path.join(root, built);
  if (existsSync(builtPath)) return import(pathToFileURL(builtPath).href);
  const { tsImport } = await import('tsx/esm/api');
  return tsImport(path.join(root, source), import.meta.url);
}


const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

/** CHROME_PATH, then the usual Chromium names on PATH (and /usr/bin). */
export function findChromium(env = process.env) {
  if (env.CHROME_PATH) return existsSync(env.CHROME_PATH) ? env.CHROME_PATH : undefined;
  const dirs = [...new Set([...(env.PATH ?? '').split(path.delimiter).filter(Boolean), '/usr/bin'])];
  for (const name of CHROMIUM_NAMES) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      try {
        if (statSync(candidate).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

/** Chromium's helper processes can hold on to the profile for a few seconds after the browser exits. */
async function removeProfile(dir) {
  for (let attempt = 0; attempt < 40; attempt++) {
    try {
      rmSync(dir, { recursive: true, force: true });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  say(`could not remove the temporary browser profile ${dir}; it can be deleted by hand`);
}

function lanAddresses(port) {
  const out = [];
  for (const list of Object.values(os.networkInterfaces())) {
    for (const a of list ?? []) if (a.family === 'IPv4' && !a.internal) out.push(`http://${a.address}:${port}`);
  }
  return out;
}

async function runElectron(executable, version, options) {
  // V8 flags for the main process (the host runs there) can only be given at launch (server/heap-tuning.ts)
  const { HOST_LAUNCH_V8_FLAGS } = await loadModule('dist/server/heap-tuning.js', 'server/heap-tuning.ts');
  const args = [root];
  if (options.app) args.push('--app', path.resolve(options.app));
  if (options.data) args.push('--data', path.resolve(options.data));
  if (options.port) args.push('--port', options.port);
  if (options.lan) args.push('--lan');
  // Chromium refuses to run as root with its sandbox on; the page sandbox stays on in webPreferences.
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  args.push(`--js-flags=${HOST_LAUNCH_V8_FLAGS.join(' ')}`);
  say(`opening the desktop app with Electron ${version} (${executable})`);
  const child = spawn(executable, args, { stdio: 'inherit', cwd: root });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

async function runWithoutElectron(options, electronReason) {
  if (electronReason) say(`Electron binary not present: ${electronReason}.`);
  const { createHost } = await loadModule('dist/server/host.js', 'server/host.ts');
  const appDir = path.resolve(options.app ?? path.join(root, 'apps', 'kassa'));
  const dataDir = options.data ? path.resolve(options.data) : defaultDataDir();
  const hostOptions = { appDir, dataDir, ...(options.port ? { port: Number(options.port) } : {}) };
  // without --lan the manifest decides (launch.lan, or launch.mode "server": createHost binds the LAN)
  const host = await createHost({ ...hostOptions, ...(options.lan ? { lan: true } : {}) });
  const headless = options.lan || host.launch?.mode === 'server';
  say(`till server running at ${host.url} (app: ${appDir}, data: ${dataDir})`);

  let browser;
  let profile;
  let stopping;
  const stop = (code) => {
    stopping ??= (async () => {
      if (browser && browser.exitCode === null && browser.signalCode === null) {
        const exited = new Promise((resolve) => browser.once('exit', resolve));
        browser.kill('SIGTERM');
        await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
      }
      await host.close();
      if (profile) await removeProfile(profile);
      say('stopped cleanly');
      process.exit(code);
    })();
    return stopping;
  };
  process.on('SIGINT', () => {
    if (stopping) process.exit(1);
    void stop(0);
  });
  process.on('SIGTERM', () => void stop(0));

  if (headless) {
    const { code } = host.terminals.pairingCode();
    const others = lanAddresses(host.port);
    say(`server mode (no window): other devices open ${others.join(' or ') || `port ${host.port} of this computer`} and pair with code ${code}`);
  } else if (options['no-browser']) {
    say(`not opening a browser (--no-browser): open ${host.url} in a browser`);
  } else {
    const chromium = findChromium();
    const display = process.env.DISPLAY || process.env.WAYLAND_DISPLAY;
    if (!chromium) {
      say(`no Chromium found (CHROME_PATH, ${CHROMIUM_NAMES.join(', ')}; \`npm run setup\` installs one on Debian): open ${host.url} in a browser`);
    } else if (process.platform === 'linux' && !display) {
      say(`no graphical display (DISPLAY is not set): open ${host.url} in a browser on another computer, or run with a display`);
    } else {
      profile = mkdtempSync(path.join(os.tmpdir(), 'serverokey-pos-chromium-'));
      const size = host.launch?.window;
      const args = [
        `--app=${host.url}`,
        `--user-data-dir=${profile}`,
        `--window-size=${size?.width ?? 1280},${size?.height ?? 820}`,
        '--no-first-run',
        '--no-default-browser-check',
        '--disable-sync',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-features=Translate',
        '--class=serverokey-pos',
      ];
      if (size?.kiosk) args.push('--kiosk');
      else if (size?.fullscreen) args.push('--start-fullscreen');
      if (process.getuid?.() === 0) args.push('--no-sandbox');
      args.push(...(process.env.SERVEROKEY_BROWSER_ARGS ?? '').split(/\s+/).filter(Boolean));
      browser = spawn(chromium, args, { stdio: 'ignore' });
      browser.on('error', (error) => say(`Chromium failed to start (${error.message}): open ${host.url} in a browser`));
      browser.on('exit', (code) => {
        if (stopping) return;
        say(`the Chromium window was closed${code ? ` (exit code ${code})` : ''}; stopping the till server`);
        void stop(0);
      });
      say(`opened the till in Chromium app mode: ${chromium} --app=${host.url}${display ? ` (display ${display})` : ''}`);
    }
  }
  say(`press Ctrl+C to stop (pid ${process.pid})`);
}

async function main() {
  let options;
  try {
    options = readOptions(process.argv.slice(2));
  } catch (error) {
    console.error(`${error.message}\n\n${HELP}`);
    process.exit(2);
  }
  if (options.help) {
    console.log(HELP);
    return;
  }
  try {
    await ensureBuilt();
  } catch (error) {
    say(`build failed (${error.message}); running from the TypeScript sources instead`);
  }
  const { findElectronBinary } = await loadModule('dist/electron/electron-binary.js', 'electron/electron-binary.ts');
  const electron = options['no-electron'] ? { present: false } : findElectronBinary(root);
  if (electron.present) return runElectron(electron.executable, electron.version, options);
  try {
    await runWithoutElectron(options, options['no-electron'] ? undefined : electron.reason);
  } catch (error) {
    say(`the till server did not start: ${error.message}`);
    process.exit(1);
  }
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) await main();
