// The flooding client's process, driven over IPC.
import { runFlood, type FloodSpec } from './flood-core.js';

process.on('message', async (message: { type?: string; id?: number; spec?: FloodSpec }) => {
  if (message?.type !== 'run' || !message.spec) return;
  try {
    process.send?.({ type: 'result', id: message.id, result: await runFlood(message.spec) });
  } catch (error) {
    process.send?.({ type: 'result', id: message.id, error: (error as Error).stack ?? String(error) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' });
