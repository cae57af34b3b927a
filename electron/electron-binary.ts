// Where the Electron binary is, found without running the electron package's index.js: requiring it when
// the binary is missing starts a download (and throws offline). Used by npm start, npm run dist and the
// Electron smoke test, all in plain Node.
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

export type ElectronBinaryStatus =
  | { present: true; executable: string; version: string }
  | { present: false; version?: string; reason: string };

/** Same executable name as the electron package's install.js uses for each platform. */
export function electronExecutableName(platform: NodeJS.Platform = process.platform): string {
  if (platform === 'darwin') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

export function electronPackageDir(projectRoot: string): string | undefined {
  try {
    const require = createRequire(path.join(projectRoot, 'package.json'));
    return path.dirname(require.resolve('electron/package.json'));
  } catch {
    return undefined;
  }
}

export function findElectronBinary(
  projectRoot: string,
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): ElectronBinaryStatus {
  const dir = electronPackageDir(projectRoot);
  if (!dir) return { present: false, reason: 'the electron package is not installed (run npm install)' };
  const version = String(JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version ?? '');
  const pathFile = path.join(dir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const override = env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const executable = path.join(override, relative || electronExecutableName(platform));
    if (isFile(executable)) return { present: true, executable, version };
    return { present: false, version, reason: `ELECTRON_OVERRIDE_DIST_PATH has no Electron executable at ${executable}` };
  }
  if (!relative) {
    return {
      present: false,
      version,
      reason:
        `Electron ${version} is installed without its binary (${path.join(dir, 'dist')} is missing); ` +
        'it is downloaded from github.com on first use (npx install-electron)',
    };
  }
  const executable = path.join(dir, 'dist', relative);
  if (!isFile(executable)) {
    return { present: false, version, reason: `the Electron binary ${executable} is missing (run npx install-electron)` };
  }
  return { present: true, executable, version };
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Folders where @electron/get (used by electron-builder) keeps downloaded Electron zips. */
export function electronCacheDirs(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string[] {
  const dirs: string[] = [];
  if (env.electron_config_cache) dirs.push(env.electron_config_cache);
  if (env.ELECTRON_CACHE) dirs.push(env.ELECTRON_CACHE);
  const home = os.homedir();
  if (platform === 'darwin') dirs.push(path.join(home, 'Library', 'Caches', 'electron'));
  else if (platform === 'win32') dirs.push(path.join(env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local'), 'electron', 'Cache'));
  else dirs.push(path.join(env.XDG_CACHE_HOME ?? path.join(home, '.cache'), 'electron'));
  return dirs;
}

/** A cached `electron-v<version>-<platform>-<arch>.zip`, which lets electron-builder package offline. */
export function findCachedElectronZip(
  version: string,
  platform: string,
  arch: string,
  dirs: readonly string[] = electronCacheDirs(),
): string | undefined {
  const wanted = `electron-v${version}-${platform}-${arch}.zip`;
  for (const dir of dirs) {
    const found = findFile(dir, wanted, 2);
    if (found) return found;
  }
  return undefined;
}

function findFile(dir: string, name: string, depth: number): string | undefined {
  let entries: import('node:fs').Dirent[];
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return undefined;
  }
  for (const entry of entries) if (entry.isFile() && entry.name === name) return path.join(dir, entry.name);
  if (depth === 0) return undefined;
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const found = findFile(path.join(dir, entry.name), name, depth - 1);
    if (found) return found;
  }
  return undefined;
}

/** Whether the Electron download host answers at all (any HTTP status), within `timeoutMs`. */
export async function canReachElectronDownloads(
  url = 'https://github.com/electron/electron/releases',
  timeoutMs = 5_000,
): Promise<{ reachable: boolean; reason?: string }> {
  try {
    const response = await fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(timeoutMs) });
    return { reachable: response.status > 0 };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { reachable: false, reason: cause?.code ?? cause?.message ?? (error as Error).message };
  }
}
