// A host in its own process (`serverokey serve`), for tests and benchmarks that kill it with SIGKILL: its
// URL once it serves, and a kill that resolves when the process is gone.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { projectRoot } from './host.js';

export interface HostProcess {
  url: string;
  child: ChildProcess;
  /** SIGKILL: what a power cut leaves behind */
  kill(): Promise<void>;
}

/** `serverokey serve <args…>` from the sources (tsx), or from dist/ when `built`. */
export async function startHostProcess(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; built?: boolean; /** another checkout's engine (a bench's "before") */ root?: string } = {},
): Promise<HostProcess> {
  const root = options.root ?? projectRoot;
  const cli = options.built ? [path.join(root, 'dist', 'server', 'cli.js')] : ['--import', 'tsx', path.join(root, 'server', 'cli.ts')];
  const child = spawn(process.execPath, [...cli, 'serve', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const served = /serving \S+ at (http:\/\/\S+)/.exec(output);
      if (served) resolve(served[1]);
    });
    child.stderr!.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`the host exited (${code}) before serving:\n${output}`)));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    url,
    child,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
