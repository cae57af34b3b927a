// The benchmarks' client processes, driven over IPC by the driver: { type: 'run', id, spec } is answered with
// { type: 'result', id, result } or { …, error }; { type: 'ready' } once listening; the process ends with its
// driver. Other messages (a driver's signal to a running job) go to `onOther`.

export interface JobMessage<Spec> {
  type?: string;
  id?: number;
  spec?: Spec;
  [field: string]: unknown;
}

export function serveJobs<Spec>(run: (spec: Spec) => Promise<unknown>, onOther?: (message: JobMessage<Spec>) => void): void {
  process.on('message', async (message: JobMessage<Spec>) => {
    if (message?.type !== 'run' || !message.spec) {
      onOther?.(message);
      return;
    }
    try {
      process.send?.({ type: 'result', id: message.id, result: await run(message.spec) });
    } catch (error) {
      process.send?.({ type: 'result', id: message.id, error: (error as Error).stack ?? String(error) });
    }
  });
  process.on('disconnect', () => process.exit(0));
  process.send?.({ type: 'ready' });
}
