// The fan-out client's process (subscribers, initiator, refresh storm), driven over IPC. When the load is
// split over several such processes, listeners report each finished round ({ type: 'round-done' }) and the
// driver is told when all of them have ({ type: 'others-done' }).
import { runFanout, type FanoutSpec } from './fanout-core.js';

const othersDone = new Map<number, () => void>();
const heard = new Set<number>();

process.on('message', async (message: { type?: string; id?: number; spec?: FanoutSpec; round?: number }) => {
  if (message?.type === 'others-done' && typeof message.round === 'number') {
    heard.add(message.round);
    othersDone.get(message.round)?.();
    return;
  }
  if (message?.type !== 'run' || !message.spec) return;
  heard.clear();
  const split = message.spec.role !== undefined;
  try {
    const result = await runFanout(message.spec, {
      connected: () => process.send?.({ type: 'connected' }),
      roundDone: message.spec.role === 'listener' ? (round) => process.send?.({ type: 'round-done', round }) : undefined,
      othersDone:
        split && message.spec.role === 'driver'
          ? (round) => (heard.has(round) ? Promise.resolve() : new Promise<void>((resolve) => othersDone.set(round, resolve)))
          : undefined,
    });
    process.send?.({ type: 'result', id: message.id, result });
  } catch (error) {
    process.send?.({ type: 'result', id: message.id, error: (error as Error).stack ?? String(error) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' });
