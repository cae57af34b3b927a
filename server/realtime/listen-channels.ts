// Socket channels that follow a PostgreSQL notification channel (sockets.<name>.listen) instead of a
// connector: a NOTIFY from anyone — a trigger on a table the engine does not manage, another program —
// refreshes the channel's subscribers. Notifications arriving close together (a shop's batch of sales,
// several shops at once) are gathered for GATHER_MS into one event, so a burst costs one refresh per window.
import type { Engine } from '../engine.js';
import type { Logger } from '../log.js';
import { LISTEN_PREFIX } from './channels.js';
import type { RealtimeHub } from './hub.js';

export const GATHER_MS = 250;

export async function followDatabaseChannels(engine: Engine, hub: () => RealtimeHub | undefined, log: Logger): Promise<void> {
  const listened = [...new Set([...engine.channels.values()].flatMap((channel) => (channel.listen ? [channel.listen] : [])))];
  if (listened.length === 0) return;
  if (!engine.database) {
    const names = [...engine.channels.values()].filter((channel) => channel.listen).map((channel) => `sockets["${channel.name}"]`);
    throw new Error(`${names.join(', ')} listen to PostgreSQL notifications: serve the app with --database postgres://… (or SERVEROKEY_DATABASE_URL)`);
  }
  const pending = new Map<string, NodeJS.Timeout>();
  await engine.database.listen(listened, (channel) => {
    if (pending.has(channel)) return;
    const timer = setTimeout(() => {
      pending.delete(channel);
      hub()
        ?.notify([{ name: `${LISTEN_PREFIX}${channel}`, scope: 'global', scopeKey: 'global', state: null }], undefined)
        .catch((error: unknown) => log.warn(`sockets: notification "${channel}" could not be announced: ${(error as Error).message}`));
    }, GATHER_MS);
    timer.unref();
    pending.set(channel, timer);
  });
  log.info(`sockets: hearing PostgreSQL notifications ${listened.join(', ')}`);
}
