// createHost: one host per data folder, a clean close, and a clear reason when start-up fails.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import { createHost } from '../../server/host.js';
import { fixtures } from '../helpers/host.js';
import { TestTerminal } from '../helpers/http-client.js';
import { waitFor } from '../helpers/wait.js';

const appDir = path.join(fixtures, 'http-app');

describe('host lifecycle', () => {
  it('refuses a second host on the same data folder, then allows one after close', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sok-lock-'));
    try {
      const first = await createHost({ appDir, dataDir, port: 0, quiet: true });
      await assert.rejects(createHost({ appDir, dataDir, port: 0, quiet: true }), /in use by another host/);
      await first.close();
      const second = await createHost({ appDir, dataDir, port: 0, quiet: true });
      await second.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('close() lets an in-flight action finish and keeps its write', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sok-close-'));
    try {
      const host = await createHost({ appDir, dataDir, port: 0, quiet: true });
      const t = await new TestTerminal(host.url).open('/');
      const started = () => (globalThis as { __slowActionStarted?: number }).__slowActionStarted ?? 0;
      const before = started();
      const pending = t.action('/action/slow', { by: 5, ms: 400 });
      await waitFor(() => started() !== before, 'the slow action to start');
      const closing = host.close();
      const result = await pending;
      await closing;
      assert.equal(result.status, 200);
      {
        const again = await createHost({ appDir, dataDir, port: 0, quiet: true });
        const page = await (await fetch(again.url + '/')).text();
        assert.match(page, /<span class="value">5<\/span>/);
        await again.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('launch.mode "server" (or launch.lan) serves the LAN; the lan option overrides the manifest', async () => {
    const original = path.join(fixtures, 'original-kassa');
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sok-mode-'));
    try {
      const served = await createHost({ appDir: original, dataDir, port: 0, quiet: true });
      assert.equal(served.launch.mode, 'server');
      assert.equal(served.host, '0.0.0.0', 'launch.mode "server" did not bind the LAN');
      await served.close();
      const local = await createHost({ appDir: original, dataDir, port: 0, quiet: true, lan: false });
      assert.equal(local.host, '127.0.0.1');
      await local.close();
      const plain = await createHost({ appDir, dataDir: path.join(dataDir, 'plain'), port: 0, quiet: true });
      assert.equal(plain.host, '127.0.0.1', 'an app without launch.mode or launch.lan stays on this machine');
      await plain.close();
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('a broken manifest fails start-up with the key path', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sok-bad-'));
    try {
      await mkdir(path.join(dir, 'app', 'components'), { recursive: true });
      await writeFile(path.join(dir, 'manifest.mjs'), 'export default { connectors: { a: {} }, components: {}, routes: {} };');
      await assert.rejects(createHost({ appDir: dir, port: 0, quiet: true }), /connectors\.a\.type/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('misconfigured auth fails start-up instead of being disabled', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sok-auth-'));
    try {
      await mkdir(path.join(dir, 'app', 'components'), { recursive: true });
      await writeFile(
        path.join(dir, 'manifest.mjs'),
        "export default { auth: { userConnector: 'users', identityField: 'login', passwordField: 'hash' }, connectors: { users: { type: 'memory' } }, components: {}, routes: {} };",
      );
      await assert.rejects(createHost({ appDir: dir, port: 0, quiet: true }), /connector for sessions named "session"/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
