// The action side of the realtime wiring: while a commit is being made durable, the hub prepares its event
// frames (render, serialise); they go out the moment the commit is durable, and never for a failed one.
import type { Logger } from '../log.js';
import type { Change, RemoteCommit, Store } from '../store/types.js';
import type { Initiator, NotifyChange, RealtimeHub } from './hub.js';

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

/**
 * A commit another host made on a shared database (PostgreSQL), once this host's copies are up to date:
 * this host's subscribers are told as of a local commit — same scopes, and never the socket that sent the
 * action, which may well be connected here while its request went to the other host.
 */
export async function notifyRemoteCommit(
  hub: RealtimeHub | undefined,
  store: Pick<Store, 'info' | 'peek' | 'read'>,
  log: Logger,
  commit: RemoteCommit,
): Promise<void> {
  if (!hub) return;
  try {
    const changes: NotifyChange[] = [];
    for (const { name, scopeKey } of commit.changes) {
      if (!hub.watches(name)) continue;
      const { scope } = store.info(name);
      // a state nobody here listens to is not loaded just to be announced
      if (!hub.hasSubscriber(name, scope, scopeKey)) continue;
      const state = store.peek(name, scopeKey) ?? (await store.read(name, scopeKey));
      changes.push({ name, scopeKey, scope, state });
    }
    if (changes.length > 0) await hub.notify(changes, commit.origin);
  } catch (error) {
    log.warn(`notify: another host's change could not be announced here: ${(error as Error).message}`);
  }
}
