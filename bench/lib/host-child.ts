// A server under test in its own process, so the load generator's CPU never counts as host time and its
// memory (RSS) is the host's alone. Started by servers.ts with one JSON argument; reports
// { type: 'ready', url, pid, startedMs } over IPC (and a READY line on stdout), answers { type: 'memory' }
// answers { type: 'syncs' } with fsync completion times, and shuts down cleanly on { type: 'close' }.
import fs from 'node:fs';
import { open } from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { performance } from 'node:perf_hooks';

export interface HostChildArgs {
  kind: 'engine' | 'baseline';
  from: 'dist' | 'source';
  root: string;
  appDir: string;
  dataDir: string;
  scope: 'global' | 'terminal';
  markup: 'original' | 'kassa';
  products?: Array<{ id: number | string; name: string; price: string | number; barcode?: string }>;
  /** address to bind (default 127.0.0.1): a bridge's, for clients in network namespaces */
  bindHost?: string;
  /** the engine in LAN mode (devices pair) */
  lan?: boolean;
}

interface Running {
  url: string;
  close(): Promise<void>;
  /** the engine's pairing code (LAN mode) */
  terminals?: { pairingCode(): { code: string }; list(): Array<{ revoked?: boolean }> };
}

async function start(args: HostChildArgs): Promise<Running> {
  if (args.kind === 'baseline') {
    const mod = (await import(pathToFileURL(path.join(args.root, 'bench', 'out', 'baseline.mjs')).href)) as typeof import('../baseline/server.js');
    const baseline = await mod.createBaseline({ dataDir: args.dataDir, port: 0, host: args.bindHost, scope: args.scope, markup: args.markup, products: args.products, appDir: args.appDir });
    return args.bindHost ? { ...baseline, url: `http://${args.bindHost}:${baseline.port}` } : baseline;
  }
  const file = args.from === 'dist' ? path.join(args.root, 'dist', 'server', 'host.js') : path.join(args.root, 'server', 'host.ts');
  const mod = (await import(pathToFileURL(file).href)) as typeof import('../../server/host.js');
  const host = await mod.createHost({ appDir: args.appDir, dataDir: args.dataDir, port: 0, quiet: true, host: args.bindHost, lan: args.lan });
  // the host names 127.0.0.1 when bound to every interface; the devices connect to the address it is bound to
  return args.bindHost ? Object.assign(host, { url: `http://${args.bindHost}:${host.port}` }) : host;
}

// When each fsync finished (wall-clock ms, comparable across processes): the fan-out benchmark takes the
// last one before a round's first event as that round's commit moment.
const syncTimes: number[] = [];
const now = () => performance.timeOrigin + performance.now();

const noteSync = () => {
  syncTimes.push(now());
  if (syncTimes.length > 20_000) syncTimes.splice(0, 10_000);
};

async function traceSyncs(): Promise<void> {
  const probe = await open(process.execPath, 'r');
  const proto = Object.getPrototypeOf(probe) as Record<'sync' | 'datasync', (...a: unknown[]) => Promise<void>>;
  await probe.close();
  for (const name of ['sync', 'datasync'] as const) {
    const original = proto[name];
    proto[name] = async function (this: unknown, ...rest: unknown[]) {
      await original.apply(this, rest);
      noteSync();
    };
  }
  // fsyncs through the callback API (fs.fsync(fd, cb)) count too, whichever API a server uses
  const callbacks = fs as unknown as Record<'fsync' | 'fdatasync', (fd: number, cb: (error: Error | null) => void) => void>;
  for (const name of ['fsync', 'fdatasync'] as const) {
    const original = callbacks[name];
    callbacks[name] = (fd, cb) =>
      original(fd, (error) => {
        if (!error) noteSync();
        cb(error);
      });
  }
  syncBuiltinESMExports();
}

const args = JSON.parse(process.argv[2] ?? '{}') as HostChildArgs;
await traceSyncs();
const running = await start(args);
const send = (message: unknown) => process.send?.(message);
send({ type: 'ready', url: running.url, pid: process.pid, startedMs: performance.now() });
process.stdout.write(`READY ${running.url}\n`);

process.on('message', async (message: { type?: string }) => {
  if (message?.type === 'memory') send({ type: 'memory', usage: process.memoryUsage() });
  if (message?.type === 'syncs') send({ type: 'syncs', times: syncTimes });
  if (message?.type === 'terminals') send({ type: 'terminals', count: running.terminals?.list().filter((t) => !t.revoked).length ?? 0 });
  if (message?.type === 'pairing-code') send({ type: 'pairing-code', code: running.terminals?.pairingCode().code ?? '' });
  if (message?.type === 'close') {
    await running.close();
    send({ type: 'closed' });
    process.exit(0);
  }
});
// the benchmark went away: do not linger
process.on('disconnect', () => process.exit(0));
