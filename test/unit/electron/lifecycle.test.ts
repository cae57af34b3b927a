import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { createHost } from '../../../server/host.js';
import type { Host } from '../../../server/host-types.js';
import {
  createCrashPolicy,
  createLifecycle,
  describeStartError,
  HostNotAnsweringError,
  waitForHttp,
} from '../../../electron/lifecycle.js';
import { desktopFixture } from '../../helpers/desktop.js';

const tempDirs: string[] = [];
after(async () => {
  await Promise.all(tempDirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function dataDir(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'sok-desktop-'));
  tempDirs.push(dir);
  return dir;
}

async function isListening(url: string): Promise<boolean> {
  try {
    await fetch(url, { redirect: 'manual' });
    return true;
  } catch {
    return false;
  }
}

/** A terminal cookie and CSRF token, as a till window gets them from the login page. */
async function browserSession(url: string): Promise<{ cookie: string; csrf: string }> {
  const response = await fetch(`${url}/login`);
  const cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
  const csrf = /name="csrf-token" content="([^"]+)"/.exec(await response.text())?.[1];
  assert.ok(csrf, 'the login page carries a CSRF token');
  return { cookie, csrf };
}

describe('start-up and quit against a real host', () => {
  it('opens windows only once the host answers, and quits windows first, host last', async () => {
    const dir = await dataDir();
    const events: string[] = [];
    let answeredBeforeWindows: number | undefined;
    const lifecycle = createLifecycle<Host>({
      async startHost() {
        events.push('start host');
        const host = await createHost({ appDir: desktopFixture, dataDir: dir, port: 0, quiet: true });
        const close = host.close.bind(host);
        host.close = async () => {
          events.push('host.close');
          await close();
        };
        return host;
      },
      async waitUntilAnswering(url) {
        await waitForHttp(url);
        events.push('host answers');
      },
      async openWindows(host) {
        answeredBeforeWindows = (await fetch(`${host.url}/login`)).status;
        events.push('open windows');
      },
      closeWindows() {
        events.push('close windows');
      },
      reportStartFailure(message) {
        assert.fail(`unexpected start failure: ${message}`);
      },
    });
    assert.equal(lifecycle.phase, 'idle');
    const host = await lifecycle.start();
    assert.ok(host);
    assert.equal(lifecycle.phase, 'running');
    assert.equal(answeredBeforeWindows, 200);
    assert.deepEqual(events, ['start host', 'host answers', 'open windows']);

    const first = lifecycle.quit();
    assert.equal(lifecycle.quit(), first, 'a second quit joins the first');
    await first;
    assert.deepEqual(events.slice(3), ['close windows', 'host.close']);
    assert.equal(lifecycle.phase, 'stopped');
    assert.equal(await isListening(host.url), false, 'the port is released');
  });

  it('lets an action in flight finish and reach the disk before the host closes', async () => {
    const dir = await dataDir();
    const lifecycle = createLifecycle<Host>({
      startHost: () => createHost({ appDir: desktopFixture, dataDir: dir, port: 0, quiet: true }),
      openWindows() {},
      closeWindows() {},
      reportStartFailure: (message) => assert.fail(message),
    });
    const host = await lifecycle.start();
    assert.ok(host);
    const { cookie, csrf } = await browserSession(host.url);
    const globals = globalThis as { __desktopFixtureTallyStarted?: () => void };
    const started = new Promise<void>((resolve) => (globals.__desktopFixtureTallyStarted = resolve));
    const action = fetch(`${host.url}/action/tally`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrf },
      body: JSON.stringify({ delayMs: 200 }),
    });
    await started;
    const quitting = lifecycle.quit();
    const response = await action;
    assert.equal(response.status, 200, await response.clone().text());
    await quitting;
    delete globals.__desktopFixtureTallyStarted;
    const stored = JSON.parse(await readFile(path.join(dir, 'tally.json'), 'utf8'));
    assert.equal(stored.count, 1);
  });

  it('reports a host that cannot start, with the reason, and opens no window', async () => {
    const dir = await dataDir();
    const blocker = await createHost({ appDir: desktopFixture, dataDir: await dataDir(), port: 0, quiet: true });
    try {
      let reported: string | undefined;
      let opened = false;
      const lifecycle = createLifecycle<Host>({
        startHost: () => createHost({ appDir: desktopFixture, dataDir: dir, port: blocker.port, quiet: true }),
        openWindows() {
          opened = true;
        },
        closeWindows() {},
        reportStartFailure(message) {
          reported = message;
        },
      });
      assert.equal(await lifecycle.start(), undefined);
      assert.equal(lifecycle.phase, 'failed');
      assert.equal(opened, false);
      assert.match(reported ?? '', new RegExp(`port ${blocker.port} is already in use`));
    } finally {
      await blocker.close();
    }
  });

  it('reports a missing application folder', async () => {
    let reported = '';
    const lifecycle = createLifecycle<Host>({
      startHost: async () => createHost({ appDir: path.join(os.tmpdir(), 'no-such-till-app'), dataDir: await dataDir(), quiet: true }),
      openWindows() {},
      closeWindows() {},
      reportStartFailure(message) {
        reported = message;
      },
    });
    await lifecycle.start();
    assert.match(reported, /application folder not found/);
  });

  it('closes a host whose windows failed to open, so its port and files are released', async () => {
    const dir = await dataDir();
    let url = '';
    let reported = '';
    const lifecycle = createLifecycle<Host>({
      async startHost() {
        const host = await createHost({ appDir: desktopFixture, dataDir: dir, port: 0, quiet: true });
        url = host.url;
        return host;
      },
      openWindows() {
        throw new Error('GPU process failed to start');
      },
      closeWindows() {},
      reportStartFailure(message) {
        reported = message;
      },
    });
    assert.equal(await lifecycle.start(), undefined);
    assert.equal(reported, 'GPU process failed to start');
    assert.equal(await isListening(url), false);
  });

  it('a quit during start-up still closes the host being started', async () => {
    const dir = await dataDir();
    let opened = false;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let url = '';
    const lifecycle = createLifecycle<Host>({
      async startHost() {
        await gate;
        const host = await createHost({ appDir: desktopFixture, dataDir: dir, port: 0, quiet: true });
        url = host.url;
        return host;
      },
      openWindows() {
        opened = true;
      },
      closeWindows() {},
      reportStartFailure: (message) => assert.fail(message),
    });
    const starting = lifecycle.start();
    const quitting = lifecycle.quit();
    release();
    await Promise.all([starting, quitting]);
    assert.equal(opened, false);
    assert.equal(lifecycle.phase, 'stopped');
    assert.equal(await isListening(url), false);
  });
});

describe('waiting for the host', () => {
  it('gives up with the last reason when nothing answers', async () => {
    const host = await createHost({ appDir: desktopFixture, dataDir: await dataDir(), port: 0, quiet: true });
    const url = host.url;
    await host.close();
    await assert.rejects(waitForHttp(url, { timeoutMs: 300, intervalMs: 50 }), (error: unknown) => {
      assert.ok(error instanceof HostNotAnsweringError);
      assert.match(error.message, /did not answer/);
      assert.match(error.reason, /fetch failed/);
      return true;
    });
  });

  it('retries server errors until the host is ready', async () => {
    let calls = 0;
    const fetchImpl = (async () => {
      calls += 1;
      return new Response('starting', { status: calls < 3 ? 503 : 302 });
    }) as typeof fetch;
    await waitForHttp('http://127.0.0.1:1/', { fetchImpl, intervalMs: 1 });
    assert.equal(calls, 3);
  });
});

describe('start failure messages', () => {
  it('explain a busy port and what to do', () => {
    const error = Object.assign(new Error('listen EADDRINUSE: address already in use 127.0.0.1:3000'), { code: 'EADDRINUSE', port: 3000 });
    assert.match(describeStartError(error), /^Порт 3000 уже занят другой программой\. .*--port/);
  });

  it('keep the engine message otherwise', () => {
    assert.equal(describeStartError(new Error('no manifest in /x')), 'no manifest in /x');
    assert.equal(describeStartError('plain'), 'plain');
  });
});

describe('crashed renderers', () => {
  it('are reloaded, but not forever', () => {
    let now = 0;
    const policy = createCrashPolicy({ maxCrashes: 2, windowMs: 1000, now: () => now });
    assert.equal(policy.onRenderProcessGone('crashed'), 'reload');
    now = 10;
    assert.equal(policy.onRenderProcessGone('oom'), 'reload');
    now = 20;
    assert.equal(policy.onRenderProcessGone('crashed'), 'give-up');
    now = 5000;
    assert.equal(policy.onRenderProcessGone('crashed'), 'reload', 'old crashes are forgotten');
    assert.equal(policy.onRenderProcessGone('clean-exit'), 'ignore');
  });
});
