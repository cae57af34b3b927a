// Command-line flags shared by every benchmark (`npm run bench -- <name> --flag value`).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { projectRoot } from './results.js';

export interface BenchFlags {
  /** application folder (default apps/kassa, or the original-shaped fixture while apps/kassa has no manifest) */
  app: string;
  /** seconds measured per point (throughput benchmarks) */
  seconds: number | undefined;
  /** seconds of the sustained write run (memory) */
  writeSeconds: number | undefined;
  /** engine code to run: dist (compiled, default) or source (TypeScript through tsx) */
  from: 'dist' | 'source';
  baseline: boolean;
  record: boolean;
  cycles: number | undefined;
  connections: number | undefined;
  /** interleaved rounds (A B A B …) of a comparison (fanout) */
  rounds: number | undefined;
  /** client processes the fan-out load generator is split over (fanout --rounds) */
  clients: number | undefined;
  /** fanout --rounds: compare the hub's framed-once sends with ws.send (engine+push both ways, baseline) */
  compareFraming: boolean;
  /** shop: tills as LAN devices in network namespaces (netns), on loopback, or namespaces when the machine allows (auto) */
  network: 'auto' | 'netns' | 'loopback';
  rest: string[];
}

export const FLAG_HELP = `flags (all optional):
  --app DIR            application folder (default apps/kassa; falls back to test/fixtures/original-kassa)
  --seconds N          seconds measured per point (actions, growth, runner, render) or of the flood
                       (soak-flood); each benchmark has its own default
  --write-seconds N    length of the sustained write run in memory (default 60)
  --from dist|source   run the engine compiled from dist/ (default, rebuilt when stale) or from sources via tsx
  --no-baseline        skip the bare express + ws + lowdb baseline
  --no-record          print only, do not append to bench/RESULTS.md
  --cycles N           kill -9 cycles in soak-kill (default 5)
  --connections N      WebSocket connections in soak-flood (default 1000)
  --rounds N           fanout: compare interleaved (engine with push, engine without, baseline; N rounds, ≥ 5)
  --clients N          fanout --rounds: client processes the 300 subscribers are split over (default 3)
  --compare-framing    fanout --rounds: engine+push with event frames framed once vs through ws.send, and baseline
  --netns | --loopback shop: tills as LAN devices in network namespaces (needs root and ip netns) or on
                       loopback; default: namespaces when the machine allows them, else loopback (reason printed)`;

function defaultApp(): string {
  const kassa = path.join(projectRoot, 'apps', 'kassa');
  const hasManifest = ['manifest.js', 'manifest.mjs', 'manifest.ts', 'manifest.cjs'].some((f) => existsSync(path.join(kassa, f)));
  return hasManifest ? kassa : path.join(projectRoot, 'test', 'fixtures', 'original-kassa');
}

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} needs a positive number, got "${value}"`);
  return n;
}

export function parseFlags(argv = process.argv.slice(2)): BenchFlags {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      app: { type: 'string' },
      seconds: { type: 'string' },
      'write-seconds': { type: 'string' },
      from: { type: 'string' },
      'no-baseline': { type: 'boolean' },
      'no-record': { type: 'boolean' },
      cycles: { type: 'string' },
      connections: { type: 'string' },
      rounds: { type: 'string' },
      clients: { type: 'string' },
      'compare-framing': { type: 'boolean' },
      netns: { type: 'boolean' },
      loopback: { type: 'boolean' },
    },
  });
  const from = values.from ?? 'dist';
  if (from !== 'dist' && from !== 'source') throw new Error(`--from must be "dist" or "source", got "${from}"`);
  const app = path.resolve(values.app ?? defaultApp());
  if (!existsSync(app)) throw new Error(`--app ${app}: no such folder`);
  return {
    app,
    seconds: positive('seconds', values.seconds),
    writeSeconds: positive('write-seconds', values['write-seconds']),
    from,
    baseline: !values['no-baseline'],
    record: !values['no-record'],
    cycles: positive('cycles', values.cycles),
    connections: positive('connections', values.connections),
    rounds: positive('rounds', values.rounds),
    clients: positive('clients', values.clients),
    compareFraming: Boolean(values['compare-framing']),
    network: values.netns ? 'netns' : values.loopback ? 'loopback' : 'auto',
    rest: positionals,
  };
}

export function appLabel(app: string): string {
  return path.relative(projectRoot, app) || app;
}
