import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHost } from '../../server/host.js';
import { after, before } from 'node:test';
import type { Host, HostOptions } from '../../server/host-types.js';
import type { TestSocket } from './http-client.js';

export const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
export const projectRoot = path.resolve(fixtures, '..', '..');

export interface TestHost extends Host {
  dataDir: string;
  /**
   * Waits until the store has written every acknowledged change into the connector files (a commit is
   * durable in the write-ahead log first); tests that read data files call this before.
   */
  flushed(): Promise<void>;
  /**
   * What is stored for a global connector, as JSON text, once every acknowledged change is: its file in the
   * data folder, or its rows in the database when the host runs on PostgreSQL.
   */
  storedText(connector: string): Promise<string>;
  stop(): Promise<void>;
}

/** A real host on a free loopback port with its own temporary data folder. */
export async function startHost(appDir: string, options: Partial<HostOptions> = {}): Promise<TestHost> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'sok-test-')));
  const host = await createHost({ appDir, dataDir, port: 0, quiet: true, ...options });
  return Object.assign(host, {
    dataDir,
    flushed: () => host.engine().store.flush(),
    async storedText(connector: string) {
      await host.engine().store.flush();
      if (options.database) return (await import('./postgres.js')).storedStateText(options.database, connector);
      return readFile(path.join(dataDir, `${connector}.json`), 'utf8');
    },
    async stop() {
      await host.close();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  });
}

/**
 * For a describe block: a host started before its tests and stopped after them, and the list where the tests
 * put the sockets they open (closed before the host stops).
 */
export function hostForSuite(appDir: string, options: Partial<HostOptions> = {}): { host: () => TestHost; sockets: TestSocket[] } {
  let host: TestHost | undefined;
  const sockets: TestSocket[] = [];
  before(async () => {
    host = await startHost(appDir, options);
  });
  after(async () => {
    for (const socket of sockets) socket.close();
    await host?.stop();
  });
  return {
    host: () => {
      if (!host) throw new Error('the suite host is not started yet (use it inside a test)');
      return host;
    },
    sockets,
  };
}
