// The 20-till shop's client process (tills, customer displays, dashboard), driven over IPC.
import { runShop, type ShopSpec } from './shop-core.js';

process.on('message', async (message: { type?: string; id?: number; spec?: ShopSpec }) => {
  if (message?.type !== 'run' || !message.spec) return;
  try {
    process.send?.({ type: 'result', id: message.id, result: await runShop(message.spec) });
  } catch (error) {
    process.send?.({ type: 'result', id: message.id, error: (error as Error).stack ?? String(error) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send?.({ type: 'ready' });
