// The shop's tills as real LAN devices (issue 18, item 3): a bridge with the host's address on it and one
// network namespace per device, each with a veth into the bridge and an address of its own, so every till
// reaches the host over a (virtual) Ethernet link from its own IP, as devices in a shop do. Needs root and
// `ip netns`; netnsUnavailable() says why not when the machine does not allow it (the bench then runs on
// loopback and says so). Everything made here is removed again: at the end, on failure, on SIGINT/SIGTERM,
// and (for runs killed outright) by the next run, which removes what a process that no longer exists left.
import { execFileSync, spawnSync } from 'node:child_process';
import { processAlive } from '../../server/data-lock.js';

const PREFIX = 'sokb';

export interface LanDevice {
  /** the network namespace the device's processes run in */
  netns: string;
  address: string;
}

export interface Lan {
  bridge: string;
  /** the host's address on the bridge (what the server binds) */
  hostAddress: string;
  devices: LanDevice[];
  /** removes every namespace, link and the bridge (idempotent, synchronous) */
  remove(): void;
}

function ip(...args: string[]): string {
  return execFileSync('ip', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function quietly(...args: string[]): void {
  spawnSync('ip', args, { stdio: 'ignore' });
}

/** Why this machine cannot make namespaces for the devices, or null when it can. */
export function netnsUnavailable(): string | null {
  if (process.platform !== 'linux') return `network namespaces are Linux only (this is ${process.platform})`;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not running as root (ip netns needs it)';
  const probe = `${PREFIX}probe${process.pid}`;
  const made = spawnSync('ip', ['netns', 'add', probe], { encoding: 'utf8' });
  if (made.error) return `the ip command is missing (${made.error.message})`;
  if (made.status !== 0) return `ip netns add failed: ${(made.stderr || '').trim() || `exit ${made.status}`}`;
  const link = spawnSync('ip', ['link', 'add', `${PREFIX}p${process.pid}`.slice(0, 15), 'type', 'veth', 'peer', 'name', 'eth0', 'netns', probe], { encoding: 'utf8' });
  quietly('netns', 'del', probe);
  if (link.status !== 0) return `veth pairs cannot be made: ${(link.stderr || '').trim()}`;
  quietly('link', 'del', `${PREFIX}p${process.pid}`.slice(0, 15));
  return null;
}

/** Namespaces and bridges an earlier run left behind when it was killed outright (its pid is gone). */
function removeLeftovers(): void {
  const owner = new RegExp(`^${PREFIX}(\\d+)`);
  for (const line of ip('netns', 'list').split('\n')) {
    const name = line.split(' ')[0];
    const match = owner.exec(name);
    if (match && !processAlive(Number(match[1]))) quietly('netns', 'del', name);
  }
  for (const line of ip('-o', 'link', 'show', 'type', 'bridge').split('\n')) {
    const name = /^\d+:\s+([^:@\s]+)/.exec(line)?.[1] ?? '';
    const match = owner.exec(name);
    if (match && !processAlive(Number(match[1]))) quietly('link', 'del', name);
  }
}

const live = new Set<Lan>();
let handlersInstalled = false;

function installHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', () => {
    for (const lan of live) lan.remove();
  });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      for (const lan of live) lan.remove();
      process.exit(130);
    });
  }
}

/**
 * A bridge 10.231.N.1/24 (N from this process's id) with `count` devices at .10, .11, …; each device a
 * namespace with loopback up and eth0, a veth whose other end is on the bridge.
 */
export function createLan(count: number): Lan {
  removeLeftovers();
  installHandlers();
  const tag = `${PREFIX}${process.pid}`;
  const subnet = `10.231.${process.pid % 250}`;
  const bridge = `${tag}br`.slice(0, 15);
  const devices: LanDevice[] = [];
  const made: string[] = [];
  let bridgeMade = false;
  const lan: Lan = {
    bridge,
    hostAddress: `${subnet}.1`,
    devices,
    remove() {
      // deleting a namespace deletes its end of the veth, and with it the other end on the bridge
      for (const netns of made.splice(0)) quietly('netns', 'del', netns);
      if (bridgeMade) quietly('link', 'del', bridge);
      bridgeMade = false;
      live.delete(lan);
    },
  };
  live.add(lan);
  try {
    ip('link', 'add', bridge, 'type', 'bridge');
    bridgeMade = true;
    ip('addr', 'add', `${lan.hostAddress}/24`, 'dev', bridge);
    ip('link', 'set', bridge, 'up');
    for (let i = 0; i < count; i++) {
      const netns = `${tag}d${i}`;
      const hostEnd = `${tag}v${i}`.slice(0, 15);
      ip('netns', 'add', netns);
      made.push(netns);
      ip('link', 'add', hostEnd, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns);
      ip('link', 'set', hostEnd, 'master', bridge);
      ip('link', 'set', hostEnd, 'up');
      const address = `${subnet}.${10 + i}`;
      ip('-n', netns, 'addr', 'add', `${address}/24`, 'dev', 'eth0');
      ip('-n', netns, 'link', 'set', 'eth0', 'up');
      ip('-n', netns, 'link', 'set', 'lo', 'up');
      devices.push({ netns, address });
    }
  } catch (error) {
    lan.remove();
    throw new Error(`making the shop's LAN failed: ${(error as { stderr?: string }).stderr?.trim() || (error as Error).message}`);
  }
  return lan;
}
