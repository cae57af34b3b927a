// Cold start: from launching the server process to the first page fully received (GET / as a new browser
// window opens it, following the redirect to the login page), for the built host as installed (compiled
// JavaScript from dist/, no TypeScript loader), with an empty data folder (first start) and with the data
// of a previous run (restart). The baseline is started the same way, alternating with the engine.
// The engine's start-up caches (see the note in the report) are measured on and off.
//   npm run bench -- coldstart [--app DIR] [--no-baseline]
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { appLabel, parseFlags } from './lib/flags.js';
import { loadProfile, serverOptions } from './lib/profile.js';
import { checkList, mdTable, Report } from './lib/results.js';
import { prepareBuild, startServer, type ServerKind } from './lib/servers.js';
import { median, ms } from './lib/stats.js';
import { ORIGINAL, TARGETS } from './lib/targets.js';

const flags = parseFlags();
const RUNS = 5;
const profile = await loadProfile(flags.app);
const report = new Report(`coldstart — ${appLabel(flags.app)}`, flags.record);
await prepareBuild('dist');
const kinds: ServerKind[] = flags.baseline ? ['engine', 'baseline'] : ['engine'];

interface Start {
  readyMs: number;
  pageMs: number;
  scriptMs: number;
  pageBytes: number;
}

/** `caches: false`: the engine without its start-up caches (SERVEROKEY_CODE_CACHE=off), as its first start after a build */
async function startOnce(kind: ServerKind, dataDir: string, caches = true): Promise<Start> {
  if (!caches) process.env.SERVEROKEY_CODE_CACHE = 'off'; // the server process inherits it
  let server;
  try {
    server = await startServer({ kind, ...serverOptions(profile), from: 'dist', dataDir });
  } finally {
    delete process.env.SERVEROKEY_CODE_CACHE;
  }
  try {
    const fetched = performance.now();
    const page = await fetch(`${server.url}/`);
    const html = await page.text();
    if (page.status !== 200) throw new Error(`${kind}: first page answered ${page.status}`);
    const pageMs = server.readyMs + performance.now() - fetched;
    const script = /<script[^>]+src="([^"]+)"/.exec(html)?.[1];
    let scriptMs = NaN;
    if (script) {
      await (await fetch(new URL(script, server.url))).arrayBuffer();
      scriptMs = server.readyMs + performance.now() - fetched;
    }
    return { readyMs: server.readyMs, pageMs, scriptMs, pageBytes: Buffer.byteLength(html) };
  } finally {
    await server.stop();
  }
}

const runs: Record<string, Start[]> = {};
const dataDirs: Record<string, string> = {};
const freshStart = async (kind: ServerKind, caches = true): Promise<Start> => {
  const fresh = await mkdtemp(path.join(os.tmpdir(), `bench-cold-${kind}-`));
  try {
    return await startOnce(kind, fresh, caches);
  } finally {
    await rm(fresh, { recursive: true, force: true });
  }
};
try {
  for (const kind of kinds) dataDirs[kind] = await mkdtemp(path.join(os.tmpdir(), `bench-cold-${kind}-`));
  // not measured: leaves the engine's start-up caches (code cache, manifest memo) as any earlier start of
  // this build does; the "caches off" row shows a start without them
  await freshStart('engine');
  for (let run = 0; run < RUNS; run++) {
    for (const kind of kinds) {
      // first start: a data folder that has never been used
      (runs[`${kind} first`] ??= []).push(await freshStart(kind));
      // restart: the same data folder every time (after the first run it holds the previous start's data)
      const restart = await startOnce(kind, dataDirs[kind]);
      if (run > 0) (runs[`${kind} restart`] ??= []).push(restart);
    }
    (runs['engine first, caches off'] ??= []).push(await freshStart('engine', false));
  }
} finally {
  for (const dir of Object.values(dataDirs)) await rm(dir, { recursive: true, force: true });
}

const row = (label: string) => {
  const list = runs[label] ?? [];
  const pages = list.map((r) => r.pageMs);
  return [label, ms(median(list.map((r) => r.readyMs)), 0), ms(median(pages), 0), `${ms(Math.min(...pages), 0)} – ${ms(Math.max(...pages), 0)}`, ms(median(list.map((r) => r.scriptMs)), 0), list[0]?.pageBytes ?? '–'];
};
report.add(
  '### Launch to first page\n\n' +
    mdTable(
      ['server, start', 'process up (ms, median)', 'first page (ms, median)', 'first page min – max', '+ client script (ms, median)', 'page bytes'],
      [...kinds.flatMap((k) => [row(`${k} first`), row(`${k} restart`)]), row('engine first, caches off')],
    ),
);
const engineFirst = median(runs['engine first'].map((r) => r.pageMs));
const engineRestart = median(runs['engine restart'].map((r) => r.pageMs));
report.add(
  `Targets:\n\n${checkList([
    {
      label: `cold start ≤ ${TARGETS.coldStartMs} ms to the first page (built host from dist/)`,
      pass: Math.max(engineFirst, engineRestart) <= TARGETS.coldStartMs,
      detail: `first start ${ms(engineFirst, 0)} ms, restart ${ms(engineRestart, 0)} ms (original ${ORIGINAL.coldStartMs} ms)`,
    },
  ])}`,
);
report.note(
  `${RUNS} launches each (restart: ${RUNS - 1}, the first launch seeds the folder), alternating servers. Launch = fork() of a Node process that imports ` +
    'dist/server/host.js and calls createHost (what the CLI and Electron do); the time runs until the HTML of GET / (redirected to /login) has been received. ' +
    'The disk cache is warm (files were read by earlier launches). ' +
    "The engine keeps start-up caches next to its bundle (dist/server/.code-cache: V8's code cache of the bundle, and the manifests that " +
    'passed the shape check), written by its first start after a build; one unmeasured launch before the runs leaves them, and ' +
    '"caches off" (SERVEROKEY_CODE_CACHE=off) shows a start without them, as that first one.',
);
await report.save();
