// The load generator's process: runs LoadSpecs sent over IPC and answers with their results.
import { runLoad, type LoadSpec } from './load-core.js';

process.on('message', async (message: { type?: string; id?: number; spec?: LoadSpec }) => {
  if (message?.type !== 'run' || !message.spec) return;
  try {
    const result = await runLoad(message.spec);
    process.send?.({ type: 'result', id: message.id, result });
  } catch (error) {
    process.send?.({ type: 'result', id: message.id, error: (error as Error).stack ?? String(error) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' });
