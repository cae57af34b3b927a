// The benchmark's side of a helper process (load generator, fan-out client, flooder): send it a job over
// IPC and wait for the answer. Helper processes keep client CPU out of the host's process.
import { fork, type ChildProcess } from 'node:child_process';
import { buildChildren, childFile, type ChildName } from './build.js';
import type { LoadResult, LoadSpec } from './load-core.js';
import { projectRoot } from './results.js';

export class HelperProcess {
  private nextId = 1;

  private constructor(private readonly child: ChildProcess) {}

  /** options.netns: run the helper inside that network namespace (`ip netns exec`; its IPC channel is inherited). */
  static async start(name: ChildName, options: { netns?: string } = {}): Promise<HelperProcess> {
    await buildChildren();
    const inNamespace = options.netns ? { execPath: 'ip', execArgv: ['netns', 'exec', options.netns, process.execPath] } : {};
    const child = fork(childFile(name), [], { cwd: projectRoot, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], ...inNamespace });
    await new Promise<void>((resolve, reject) => {
      child.once('exit', (code) => reject(new Error(`${name} exited (code ${code}) before it was ready`)));
      child.on('message', (m: { type?: string }) => m?.type === 'ready' && resolve());
    });
    return new HelperProcess(child);
  }

  /** Sends a job; rejects if it does not finish within timeoutMs. */
  run<T>(spec: unknown, timeoutMs: number): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.child.off('message', onMessage);
        reject(new Error(`helper process did not finish its job within ${Math.round(timeoutMs / 1000)} s`));
      }, timeoutMs);
      const onMessage = (message: { type?: string; id?: number; result?: T; error?: string }) => {
        if (message?.type !== 'result' || message.id !== id) return;
        clearTimeout(timer);
        this.child.off('message', onMessage);
        if (message.error) reject(new Error(message.error));
        else resolve(message.result as T);
      };
      this.child.on('message', onMessage);
      this.child.send({ type: 'run', id, spec });
    });
  }

  /** A message to the helper outside a job (e.g. to keep split load generators in step). */
  post(message: object): void {
    this.child.send(message);
  }

  /** Messages of the given type the helper sends outside a job. */
  onMessage<T>(type: string, handler: (message: T) => void): void {
    this.child.on('message', (message: { type?: string }) => {
      if (message?.type === type) handler(message as T);
    });
  }

  /** The next message of the given type the helper sends outside a job. */
  onceMessage(type: string, handler: () => void): void {
    const listener = (message: { type?: string }) => {
      if (message?.type !== type) return;
      this.child.off('message', listener);
      handler();
    };
    this.child.on('message', listener);
  }

  close(): void {
    if (this.child.connected) this.child.disconnect();
    this.child.kill();
  }
}

export class LoadGenerator {
  private constructor(private readonly helper: HelperProcess) {}

  static async start(): Promise<LoadGenerator> {
    return new LoadGenerator(await HelperProcess.start('load-child'));
  }

  run(spec: LoadSpec): Promise<LoadResult> {
    return this.helper.run<LoadResult>(spec, ((spec.warmupSeconds ?? 0) + spec.seconds) * 1000 + 60_000);
  }

  close(): void {
    this.helper.close();
  }
}
