// Starts the engine on the fixture app with a fresh data folder, and builds the client bundle once
// per test process so the browser runs the current renderer/ sources.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHost } from '../../server/host.js';
import type { Host } from '../../server/host-types.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const FIXTURE_APP = path.join(root, 'test/fixtures/web-app');

let built = false;
export function buildClientBundle(): void {
  if (built) return;
  execFileSync(process.execPath, [path.join(root, 'scripts/build.mjs'), 'client'], { cwd: root, stdio: 'inherit' });
  built = true;
}

export interface FixtureHost {
  host: Host;
  url: string;
  dataDir: string;
  /** closes the host and removes its data folder */
  close(): Promise<void>;
}

export async function startFixtureHost(options: { dataDir?: string; port?: number } = {}): Promise<FixtureHost> {
  buildClientBundle();
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'serverokey-e2e-')));
  const host = await createHost({ appDir: FIXTURE_APP, dataDir, port: options.port ?? 0, quiet: true });
  return {
    host,
    url: host.url,
    dataDir,
    async close() {
      await host.close();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
