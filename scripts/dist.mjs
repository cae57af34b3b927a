// npm run dist: installers with electron-builder (config in build/electron-builder.json): AppImage and deb
// on Linux, NSIS on Windows, dmg on macOS. electron-builder needs the Electron distribution of the pinned
// version; where it cannot be obtained (no binary, no cached zip, no network) this stops with a clear
// message instead of failing after a long download timeout. Arguments go to electron-builder
// (e.g. `npm run dist -- --linux deb`, `npm run dist -- --dir`).
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const say = (message) => console.log(`[dist] ${message}`);

/** The platform electron-builder will package for, from its flags (default: this machine). */
export function targetPlatform(args, hostPlatform = process.platform) {
  if (args.some((a) => a === '--win' || a === '-w' || a === '--windows')) return 'win32';
  if (args.some((a) => a === '--mac' || a === '-m' || a === '--macos')) return 'darwin';
  if (args.some((a) => a === '--linux' || a === '-l')) return 'linux';
  return hostPlatform;
}

export function targetArch(args, hostArch = process.arch) {
  return ['x64', 'arm64', 'ia32', 'armv7l', 'universal'].find((a) => args.includes(`--${a}`)) ?? hostArch;
}

export function hasElectronDistOverride(args) {
  return args.some((a) => a.startsWith('-c.electronDist') || a.startsWith('--config.electronDist'));
}

/**
 * How electron-builder will get Electron: { ok, extraArgs, note } or { ok: false, message }.
 * `probe` checks the download host; injected so the decision is testable.
 */
export async function electronSource({ args, binary, version, cachedZip, cacheDirs, probe, hostPlatform = process.platform, hostArch = process.arch }) {
  if (hasElectronDistOverride(args)) return { ok: true, extraArgs: [], note: 'using the electronDist given on the command line' };
  const platform = targetPlatform(args, hostPlatform);
  const arch = targetArch(args, hostArch);
  if (binary.present && platform === hostPlatform && arch === hostArch) {
    return {
      ok: true,
      extraArgs: [`-c.electronDist=${path.dirname(binary.executable)}`],
      note: `using the installed Electron ${version} (${path.dirname(binary.executable)})`,
    };
  }
  if (cachedZip) return { ok: true, extraArgs: [], note: `using the cached ${path.basename(cachedZip)}` };
  const reachable = await probe();
  if (reachable.reachable) return { ok: true, extraArgs: [], note: `Electron ${version} will be downloaded from github.com` };
  return {
    ok: false,
    message: [
      `npm run dist cannot obtain Electron ${version} for ${platform}-${arch}, so no installer can be built here:`,
      `  - the Electron binary is not installed (${binary.present ? 'it is, but for another platform or architecture' : binary.reason});`,
      `  - no electron-v${version}-${platform}-${arch}.zip in the Electron cache (${cacheDirs.join(', ')});`,
      `  - github.com, where electron-builder downloads Electron and the installer tools, cannot be reached (${reachable.reason ?? 'no answer'}).`,
      'To build installers: run npm run dist on a machine with internet access (CI), or put the Electron zip in the',
      'cache above, or pass an Electron distribution: npm run dist -- -c.electronDist=<folder or zip>.',
      'The offline packaging check (test/electron/packaging.test.ts) verifies the configuration without any of these.',
    ].join('\n'),
  };
}

async function main() {
  const args = process.argv.slice(2);
  await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the build failed (exit code ${code})`))));
  });
  const binaryModule = await import(pathToFileURL(path.join(root, 'dist', 'electron', 'electron-binary.js')).href);
  const binary = binaryModule.findElectronBinary(root);
  const version = JSON.parse(readFileSync(path.join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version;
  const platform = targetPlatform(args);
  const cacheDirs = binaryModule.electronCacheDirs();
  const cachedZip = binaryModule.findCachedElectronZip(version, platform, targetArch(args), cacheDirs);
  const probeUrl = process.env.SERVEROKEY_DIST_PROBE_URL ?? 'https://github.com/electron/electron/releases';
  const source = await electronSource({
    args,
    binary,
    version,
    cachedZip,
    cacheDirs,
    probe: () => binaryModule.canReachElectronDownloads(probeUrl),
  });
  if (!source.ok) {
    console.error(`[dist] ${source.message}`);
    process.exit(1);
  }
  say(source.note);
  const builderArgs = [
    path.join(root, 'node_modules', 'electron-builder', 'cli.js'),
    '--config',
    path.join(root, 'build', 'electron-builder.json'),
    '--publish',
    'never',
    ...source.extraArgs,
    ...args,
  ];
  say(`electron-builder ${builderArgs.slice(1).join(' ')}`);
  const child = spawn(process.execPath, builderArgs, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (code === 0) say(`installers are in ${path.join(root, 'release')}`);
    process.exit(code ?? (signal ? 1 : 0));
  });
}

if (process.argv[1] && pathToFileURL(path.resolve(process.argv[1])).href === import.meta.url) await main();
