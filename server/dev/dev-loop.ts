// `serverokey dev`: the host plus a watcher. After each burst of changes the app is validated; a valid
// app is loaded again and every open page reloads; an invalid one is not loaded — the last good
// version keeps serving, and the errors are printed and shown over every open page until fixed.
import path from 'node:path';
import { createHost } from '../host.js';
import type { Host, HostOptions } from '../host-types.js';
import { formatFinding, validateApp, type Finding } from '../validator/index.js';
import { acquireDataLock } from '../data-lock.js';
import { watchApp, type AppWatcher } from './watch.js';


export interface DevLoopOptions extends Omit<HostOptions, 'dev'> {
  /** where progress lines go; default console.log */
  print?: (line: string) => void;
  debounceMs?: number;
}

export interface DevLoop {
  /** the running host's URL, once a valid version has started */
  url(): string | undefined;
  /** error lines of the current version, [] when it is valid */
  errors(): string[];
  /** resolves after the next validation (and reload) finishes; for tests and tools */
  settled(): Promise<void>;
  close(): Promise<void>;
}

const LATE_SOCKET_CHECK_MS = 500;

export async function startDevLoop(options: DevLoopOptions): Promise<DevLoop> {
  const appDir = path.resolve(options.appDir);
  const dataDir = path.resolve(options.dataDir ?? path.join(appDir, '.data'));
  const print = options.print ?? ((line: string) => console.log(line));
  const lock = acquireDataLock(dataDir);
  let host: Host | undefined;
  let errors: string[] = [];
  let running: Promise<void> | undefined;
  let again = false;
  let closed = false;
  let waiters: Array<() => void> = [];
  /** sockets already shown the current errors (pages opened later are shown them too) */
  let told = new Set<string>();

  const showErrors = (lines: string[]) => {
    errors = lines;
    told = new Set();
    tellLateSockets();
  };
  const tellLateSockets = () => {
    const hub = host?.hub();
    if (!hub) return;
    const frame = JSON.stringify({ type: 'dev-errors', errors });
    for (const [id, subscriber] of hub.sockets) {
      if (told.has(id) || subscriber.ws.readyState !== subscriber.ws.OPEN) continue;
      subscriber.ws.send(frame);
      told.add(id);
    }
  };
  const lateTimer = setInterval(() => {
    if (errors.length > 0) tellLateSockets();
  }, LATE_SOCKET_CHECK_MS);
  lateTimer.unref();

  const report = (findings: Finding[]) => {
    for (const finding of findings) print(formatFinding(finding, { color: process.stdout.isTTY }));
  };

  const check = async (changed: string[]) => {
    const result = await validateApp(appDir, { fresh: true });
    const problems = result.findings.filter((f) => f.severity !== 'warning');
    if (problems.length > 0) {
      report(result.findings);
      print(`${problems.length} error${problems.length === 1 ? '' : 's'}${host ? ': still serving the last good version' : ''}; fix and save to reload`);
      showErrors(problems.map((f) => formatFinding(f)));
      return;
    }
    try {
      if (!host) {
        host = await createHost({ ...options, appDir, dataDir, dev: true, dataLockHeld: true });
        lock.update(host.url);
      } else {
        await reloadWithPages(host);
      }
    } catch (error) {
      const line = `error   ${(error as Error).message}`;
      print(line);
      showErrors([line]);
      return;
    }
    report(result.findings);
    const warnings = result.findings.length;
    const counted = warnings > 0 ? ` (${warnings} warning${warnings === 1 ? '' : 's'})` : '';
    // the host announces its own start
    if (changed.length > 0) print(`reloaded after changes to ${changed.slice(0, 3).join(', ')}${changed.length > 3 ? ', …' : ''}${counted}`);
    else if (counted) print(`started${counted}`);
    errors = [];
  };

  const run = (changed: string[]) => {
    if (closed) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      try {
        let files = changed;
        do {
          again = false;
          await check(files);
          files = [];
        } while (again && !closed);
      } catch (error) {
        print(`error   ${(error as Error).stack ?? error}`);
      } finally {
        running = undefined;
        const done = waiters;
        waiters = [];
        for (const resolve of done) resolve();
      }
    })();
  };

  let watcher: AppWatcher;
  try {
    watcher = watchApp(appDir, { debounceMs: options.debounceMs, ignoreDirs: [dataDir] }, (files) => run(files));
  } catch (error) {
    clearInterval(lateTimer);
    lock.release();
    throw error;
  }
  run([]);
  await new Promise<void>((resolve) => waiters.push(resolve));

  return {
    url: () => host?.url,
    errors: () => [...errors],
    settled: () => (running ? new Promise<void>((resolve) => waiters.push(resolve)) : Promise.resolve()),
    async close() {
      closed = true;
      watcher.close();
      clearInterval(lateTimer);
      if (running) await new Promise<void>((resolve) => waiters.push(resolve));
      await host?.close();
      lock.release();
    },
  };
}

/** host.reload() swaps in the new engine and keeps the pages' sockets; then every open page reloads. */
async function reloadWithPages(host: Host): Promise<void> {
  await host.reload();
  host.hub()?.broadcast({ type: 'reload' });
}
