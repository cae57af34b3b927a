// A fixture app's host in a child process (fixture-host-child.ts), for tests that kill it with SIGKILL
// mid-write and start it again on the same data folder.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { projectRoot } from './host.js';

const childScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixture-host-child.ts');
/** a host that has not printed its URL by then has hung: the test fails with its output instead of waiting */
const START_LIMIT_MS = 30_000;

export interface ChildHost {
  url: string;
  child: ChildProcess;
  /** what the host wrote to stderr so far */
  stderr: () => string;
  /** the signal or exit code the process ended with */
  exited: Promise<NodeJS.Signals | number | null>;
}

/** Starts the app's host on `dataDir` in a child process; resolves once it prints its URL. */
export function startHostChild(appDir: string, dataDir: string): Promise<ChildHost> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', childScript, appDir, dataDir], { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const exited = new Promise<NodeJS.Signals | number | null>((done) => child.on('exit', (code, signal) => done(signal ?? code)));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the host did not start: ${stderr}`));
    }, START_LIMIT_MS);
    child.stderr!.on('data', (chunk) => (stderr += chunk));
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const match = /^URL (\S+)$/m.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve({ url: match[1], child, stderr: () => stderr, exited });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the host exited (${code}) before listening: ${stderr}`));
    });
  });
}
