// Starting a server under test (the engine or the baseline) in its own process and watching its memory.
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { buildChildren, childFile, ensureDist } from './build.js';
import type { HostChildArgs } from './host-child.js';
import { projectRoot } from './results.js';
import { HOST_LAUNCH_ENV, HOST_LAUNCH_V8_FLAGS } from '../../server/heap-tuning.js';

export type ServerKind = 'engine' | 'baseline';

export interface ServerHandle {
  kind: ServerKind;
  url: string;
  pid: number;
  dataDir: string;
  /** ms from fork() to the ready message */
  readyMs: number;
  child: ChildProcess;
  /** resident set size of the server process in bytes */
  rss(): Promise<number>;
  memory(): Promise<NodeJS.MemoryUsage>;
  /** wall-clock times (performance.timeOrigin + now(), ms) at which the server's recent fsyncs finished */
  syncTimes(): Promise<number[]>;
  /** a fresh single-use pairing code of the engine in LAN mode (what its terminals page shows) */
  pairingCode(): Promise<string>;
  /** the engine's paired LAN terminals (LAN mode) */
  pairedTerminals(): Promise<number>;
  stop(): Promise<void>;
  /** SIGKILL, no cleanup: what a power cut or a crash leaves behind */
  kill9(): Promise<void>;
}

export interface StartOptions {
  kind: ServerKind;
  appDir: string;
  from?: 'dist' | 'source';
  /** what the baseline reproduces of the app (AppProfile's fields of the same names) */
  scope?: 'global' | 'terminal';
  markup?: 'original' | 'kassa';
  products?: HostChildArgs['products'];
  /** reuse a data folder (restarts); otherwise a fresh temporary one, removed on stop() */
  dataDir?: string;
  keepData?: boolean;
  /** extra environment of the server process (e.g. SERVEROKEY_PREFRAMED=off) */
  env?: Record<string, string>;
  /** address to bind instead of 127.0.0.1 (a bridge's, for tills in network namespaces) */
  bindHost?: string;
  /** the engine in LAN mode: other devices pair with a code (pairingCode()) */
  lan?: boolean;
}

let prepared = false;

/**
 * BENCH_PROFILE_DIR=<folder>: every server process writes a CPU profile there when it stops.
 * BENCH_HOST_FLAGS="--trace-gc …": extra Node/V8 flags for every server process (its stdout, where V8 writes
 * GC traces, is then shown).
 */
function profileArgs(): string[] {
  const dir = process.env.BENCH_PROFILE_DIR;
  const extra = (process.env.BENCH_HOST_FLAGS ?? '').split(/\s+/).filter(Boolean);
  return [...(dir ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(dir)}`] : []), ...extra];
}

/** Builds what the server processes run (once per benchmark process). */
export async function prepareBuild(from: 'dist' | 'source' = 'dist'): Promise<void> {
  if (prepared) return;
  if (from === 'dist') ensureDist();
  await buildChildren();
  prepared = true;
}

function rssFromProc(pid: number): number | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

function request<T>(child: ChildProcess, type: string, answer: string, timeoutMs = 10_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off('message', onMessage);
      reject(new Error(`server process did not answer "${type}" within ${timeoutMs} ms`));
    }, timeoutMs);
    const onMessage = (message: { type?: string }) => {
      if (message?.type !== answer) return;
      clearTimeout(timer);
      child.off('message', onMessage);
      resolve(message as T);
    };
    child.on('message', onMessage);
    child.send({ type });
  });
}

export async function startServer(options: StartOptions): Promise<ServerHandle> {
  const from = options.from ?? 'dist';
  await prepareBuild(from);
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), `bench-${options.kind}-`)));
  const args: HostChildArgs = {
    kind: options.kind,
    from,
    root: projectRoot,
    appDir: options.appDir,
    dataDir,
    scope: options.scope ?? 'terminal',
    markup: options.markup ?? 'kassa',
    products: options.products,
    bindHost: options.bindHost,
    lan: options.lan,
  };
  const started = performance.now();
  const child = fork(childFile('host-child'), [JSON.stringify(args)], {
    cwd: projectRoot,
    // the engine with the environment a host is launched with (server/heap-tuning.ts), unless set here
    env: { ...(options.kind === 'engine' ? HOST_LAUNCH_ENV : {}), ...process.env, ...options.env },
    execArgv: [
      ...(options.kind === 'engine' && from === 'source' ? ['--import', 'tsx'] : []),
      // launched as `npm start` launches the host (server/heap-tuning.ts); the baseline runs with V8's defaults
      ...(options.kind === 'engine' ? HOST_LAUNCH_V8_FLAGS : []),
      ...profileArgs(),
    ],
    // with BENCH_HOST_FLAGS the server's stdout is shown (V8 writes --trace-gc there)
    stdio: ['ignore', process.env.BENCH_HOST_FLAGS ? 'inherit' : 'ignore', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ url: string; pid: number }>((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`${options.kind} server exited (code ${code}) before it was ready; its error is above`));
    child.once('exit', onExit);
    child.on('message', (message: { type?: string; url?: string; pid?: number }) => {
      if (message?.type === 'ready') {
        child.off('exit', onExit);
        resolve({ url: message.url!, pid: message.pid! });
      }
    });
  });
  const readyMs = performance.now() - started;
  let gone = false;
  child.once('exit', () => (gone = true));
  const cleanup = async () => {
    if (!options.dataDir && !options.keepData) await rm(dataDir, { recursive: true, force: true });
  };
  const handle: ServerHandle = {
    kind: options.kind,
    url: ready.url,
    pid: ready.pid,
    dataDir,
    readyMs,
    child,
    async rss() {
      const fromProc = rssFromProc(ready.pid);
      if (fromProc !== null) return fromProc;
      return (await handle.memory()).rss;
    },
    async memory() {
      return (await request<{ usage: NodeJS.MemoryUsage }>(child, 'memory', 'memory')).usage;
    },
    async pairingCode() {
      return (await request<{ code: string }>(child, 'pairing-code', 'pairing-code')).code;
    },
    async pairedTerminals() {
      return (await request<{ count: number }>(child, 'terminals', 'terminals')).count;
    },
    async syncTimes() {
      return (await request<{ times: number[] }>(child, 'syncs', 'syncs')).times;
    },
    async stop() {
      if (!gone) {
        const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
        child.send({ type: 'close' });
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(timer);
      }
      await cleanup();
    },
    async kill9() {
      if (gone) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      await exited;
    },
  };
  return handle;
}
