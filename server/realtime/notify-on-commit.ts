// The action side of the realtime wiring: while a commit is being made durable, the hub prepares its event
// frames (render, serialise); they go out the moment the commit is durable, and never for a failed one.
import type { Logger } from '../log.js';
import type { Change, Store } from '../store/types.js';
import type { Initiator, RealtimeHub } from './hub.js';

export function notifyOnCommit(
  hub: RealtimeHub | undefined,
  store: Pick<Store, 'info'>,
  log: Logger,
  changes: Change[],
  durable: Promise<void>,
  initiator: Initiator | undefined,
): void {
  if (!hub) return;
  const watched = changes.filter((change) => hub.watches(change.name));
  if (watched.length === 0) return;
  const prepared = hub.prepare(
    watched.map((change) => ({ ...change, scope: store.info(change.name).scope })),
    initiator,
  );
  durable.then(
    () => prepared.send().catch((error) => log.warn(`notify: ${(error as Error).message}`)),
    // the action reports its failed commit itself; nobody is told of a change that was not stored
    () => {},
  );
}
