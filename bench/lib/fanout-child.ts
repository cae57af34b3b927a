// The fan-out client's process (subscribers, initiator, refresh storm), driven over IPC.
import { runFanout, type FanoutSpec } from './fanout-core.js';

process.on('message', async (message: { type?: string; id?: number; spec?: FanoutSpec }) => {
  if (message?.type !== 'run' || !message.spec) return;
  try {
    process.send?.({ type: 'result', id: message.id, result: await runFanout(message.spec) });
  } catch (error) {
    process.send?.({ type: 'result', id: message.id, error: (error as Error).stack ?? String(error) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' });
