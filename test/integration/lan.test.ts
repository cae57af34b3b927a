// A real LAN: two network namespaces joined by a veth pair (10.231.0.1 host, 10.231.0.2 device). The
// host runs in LAN mode on one side; a device on the other uses HTTP, WebSocket and Chromium. Needs root
// and iproute2 (as CI has); anywhere namespaces cannot be made the tests say they were skipped and why.
import { after, before, describe, it, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fixtures, projectRoot } from '../helpers/host.js';
import { buildClientBundle } from '../helpers/fixture-host.js';

const HOST_ADDRESS = '10.231.0.1';
const DEVICE_ADDRESS = '10.231.0.2';
const PORT = 8080;
const lanDir = path.join(fixtures, 'realtime-app', 'lan');
const tag = randomBytes(3).toString('hex');
const ns = { host: `sok-h-${tag}`, device: `sok-d-${tag}` };
const veth = { host: `sokh${tag}`, device: `sokd${tag}` };

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
}

/** Makes both namespaces; returns why not when it cannot. */
function makeNetwork(): string | null {
  if (process.platform !== 'linux') return `network namespaces need Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return 'making network namespaces needs root (CI runs as root)';
  try {
    execFileSync('ip', ['-V'], { stdio: 'ignore' });
  } catch {
    return 'the ip command (Debian package iproute2) is not installed: `npm run setup` installs it';
  }
  try {
    ip('netns', 'add', ns.host);
    ip('netns', 'add', ns.device);
    ip('link', 'add', veth.host, 'type', 'veth', 'peer', 'name', veth.device);
    ip('link', 'set', veth.host, 'netns', ns.host);
    ip('link', 'set', veth.device, 'netns', ns.device);
    ip('-n', ns.host, 'addr', 'add', `${HOST_ADDRESS}/24`, 'dev', veth.host);
    ip('-n', ns.device, 'addr', 'add', `${DEVICE_ADDRESS}/24`, 'dev', veth.device);
    for (const [space, link] of [[ns.host, veth.host], [ns.device, veth.device], [ns.host, 'lo'], [ns.device, 'lo']]) {
      ip('-n', space, 'link', 'set', link, 'up');
    }
    // mDNS is multicast: without a default route it needs one for 224.0.0.0/4 on the shop side
    ip('-n', ns.host, 'route', 'add', '224.0.0.0/4', 'dev', veth.host);
    ip('-n', ns.device, 'route', 'add', '224.0.0.0/4', 'dev', veth.device);
    return null;
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    return `network namespaces could not be made here: ${stderr || (error as Error).message}`;
  }
}

function removeNetwork(): void {
  for (const space of [ns.host, ns.device]) {
    // any process still inside (one we started) would keep the namespace alive
    try {
      const pids = execFileSync('ip', ['netns', 'pids', space], { encoding: 'utf8' }).split('\n').filter(Boolean);
      for (const pid of pids) {
        try {
          process.kill(Number(pid), 'SIGKILL');
        } catch {
          // already gone
        }
      }
    } catch {
      // the namespace was never made
    }
    try {
      ip('netns', 'del', space);
    } catch {
      // the namespace was never made
    }
  }
}

/** A process inside a namespace speaking the line protocol of lan/rpc.ts. */
class Remote {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private stderr = '';
  readonly ready: Promise<any>;
  readonly child: ChildProcessWithoutNullStreams;

  constructor(space: string, script: string, args: string[]) {
    this.child = spawn('ip', ['netns', 'exec', space, process.execPath, '--import', 'tsx', path.join(lanDir, script), ...args], {
      cwd: projectRoot,
      env: { ...process.env, NODE_ENV: 'test' },
    });
    this.child.stderr.on('data', (chunk) => (this.stderr = (this.stderr + chunk).slice(-4000)));
    this.ready = new Promise((resolve, reject) => {
      this.waiting.set(0, { resolve, reject });
      this.child.once('exit', (code) => {
        const error = new Error(`${script} exited (${code}): ${this.stderr}`);
        for (const w of this.waiting.values()) w.reject(error);
        this.waiting.clear();
      });
    });
    readline.createInterface({ input: this.child.stdout }).on('line', (line) => {
      let message: { id?: number; ok?: boolean; result?: unknown; error?: string };
      try {
        message = JSON.parse(line);
      } catch {
        return;
      }
      const waiter = this.waiting.get(message.id ?? -1);
      if (!waiter) return;
      this.waiting.delete(message.id!);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new Error(`${script}: ${message.error}`));
    });
  }

  call(cmd: string, args: Record<string, unknown> = {}, timeoutMs = 20_000): Promise<any> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`${cmd}: no answer within ${timeoutMs} ms; stderr: ${this.stderr}`));
      }, timeoutMs);
      this.waiting.set(id, {
        resolve: (v) => (clearTimeout(timer), resolve(v)),
        reject: (e) => (clearTimeout(timer), reject(e)),
      });
      this.child.stdin.write(JSON.stringify({ id, cmd, args }) + '\n');
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.call('exit').catch(() => undefined);
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}

describe('LAN: a host and a device in two network namespaces', () => {
  let skipped: string | null = null;
  let dataDir = '';
  let host: Remote | undefined;
  let device: Remote | undefined;
  const baseUrl = `http://${HOST_ADDRESS}:${PORT}`;
  const skip = (t: TestContext) => {
    if (skipped) t.skip(skipped);
    return Boolean(skipped);
  };

  before(async () => {
    skipped = makeNetwork();
    if (skipped) {
      console.log(`LAN test skipped: ${skipped}`);
      return;
    }
    buildClientBundle();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'sok-lan-'));
    host = new Remote(ns.host, 'host-runner.ts', [dataDir, String(PORT)]);
    device = new Remote(ns.device, 'client-runner.ts', [baseUrl]);
    const [started] = await Promise.all([host.ready, device.ready]);
    assert.equal(started.bound, '0.0.0.0');
  });

  after(async () => {
    await Promise.allSettled([host?.stop(), device?.stop()]);
    removeNetwork();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('the host answers on its LAN address, and an unpaired device is refused on HTTP and WebSocket', async (t) => {
    if (skip(t)) return;
    const probe = await device!.call('probe');
    assert.deepEqual(probe.page, { status: 303, location: '/__pair' });
    assert.deepEqual(probe.json, { status: 403, redirect: '/__pair' });
    assert.equal(probe.action.status, 403);
    assert.match(probe.action.message, /\/__pair/);
    assert.equal(probe.upgrade.status, 403);
    assert.match(probe.upgrade.body, /not paired/);
    assert.equal(probe.upgrade.frames, 0);
    assert.equal(probe.terminals, 403, 'the terminals page is for the host machine only');
  });

  it('a device finds the host by mDNS as well as by the typed address', async (t) => {
    if (skip(t)) return;
    const found = await device!.call('discover');
    assert.equal(found.port, PORT);
    assert.ok(found.addresses.includes(HOST_ADDRESS), `announced addresses: ${found.addresses.join(', ')}`);
    assert.equal(found.pair, '/__pair');
  });

  it('a device that pairs works and joins the channels; revoked, it is cut off at once', async (t) => {
    if (skip(t)) return;
    const fromPage = await host!.call('codeFromPage');
    assert.equal(fromPage.status, 200);
    assert.equal(fromPage.code, await host!.call('code'), 'the terminals page shows the current code');

    const paired = await device!.call('pair', { code: fromPage.code, name: 'Планшет' });
    assert.deepEqual(paired.paired, { status: 303, location: '/', cookie: true });
    assert.deepEqual(paired.login, { redirect: { url: '/', full: true } });
    assert.deepEqual(paired.home, { status: 200, who: 'Алиса' });
    assert.deepEqual(paired.subscription, { type: 'subscribed', channel: 'receipt-ch' });

    assert.equal(await host!.call('add', { name: 'С кассы' }), 200);
    assert.equal(await device!.call('event', { name: 'С кассы' }), true);

    const terminals: Array<{ id: string; name: string; revoked?: boolean }> = await host!.call('list');
    const tablet = terminals.find((x) => x.name === 'Планшет');
    assert.ok(tablet);
    assert.equal(await host!.call('revoke', { id: tablet.id }), true);
    assert.equal(await device!.call('closed', { withinMs: 1000 }), 4003);
    const after = await device!.call('afterRevoke');
    assert.deepEqual(after.page, { status: 303, location: '/__pair' });
    assert.equal(after.action.status, 403);
    assert.equal(after.upgrade.status, 403);
    assert.equal(after.upgrade.frames, 0);
  });

  it('Chromium on the device pairs through the form, gets live updates, and goes offline when revoked', async (t) => {
    if (skip(t)) return;
    const code = await host!.call('code');
    const opened = await device!.call('browserPair', { code }, 40_000);
    assert.equal(opened.landed, '/__pair', 'an unpaired browser is sent to the pairing page');
    assert.equal(opened.who, 'Борис');
    assert.deepEqual(opened.subscriptions, ['cart-ch', 'receipt-ch']);

    assert.equal(await host!.call('add', { name: 'Для браузера' }), 200);
    const shown = await device!.call('browserShows', { name: 'Для браузера' });
    assert.ok(shown.lines.includes('Для браузера'));
    assert.ok(shown.events >= 1);

    const terminals: Array<{ id: string; name: string; revoked?: boolean }> = await host!.call('list');
    const browserTerminal = terminals.find((x) => x.name === 'Браузер на планшете' && !x.revoked);
    assert.ok(browserTerminal);
    await host!.call('revoke', { id: browserTerminal.id });
    const offline = await device!.call('browserOffline');
    assert.deepEqual(offline, { offline: true, status: 403 });
  });
});
