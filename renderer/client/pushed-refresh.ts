// Automatic push on the client: refresh answers the host rendered and sent with an event (EventFrame
// `refreshed`). A pushed answer is never older than one already applied for its channel: each carries the
// version of the change it was rendered for, and an older one than the channel's last is dropped (the
// elements then refresh over HTTP, which brings the latest state). Pure, so it is tested without a DOM.
import type { ActionFragment, EventFrame } from '../../protocol/wire.js';

export class PushVersions {
  private readonly last = new Map<string, number>();

  /** true when a push of this version may be applied for the channel (and records it) */
  admit(channel: string, version: number): boolean {
    const seen = this.last.get(channel);
    if (seen !== undefined && version <= seen) return false;
    this.last.set(channel, version);
    return true;
  }

  /** A new connection (maybe to a restarted host, whose versions start again): nothing is known. */
  reset(): void {
    this.last.clear();
  }
}

/** The frame as the page may use it: its pushed refreshes dropped when they are stale or malformed. */
export function admitRefreshed(frame: EventFrame, versions: PushVersions): EventFrame {
  if (frame.refreshed === undefined) return frame;
  const usable =
    Array.isArray(frame.refreshed) &&
    typeof frame.version === 'number' &&
    typeof frame.channel === 'string' &&
    versions.admit(frame.channel, frame.version);
  if (usable) return frame;
  const { refreshed: _stale, version: _version, ...rest } = frame;
  return rest;
}

/** The answer pushed for an element's refresh (its atom-action and atom-target), if the host sent one. */
export function pushedAnswerFor(frame: EventFrame, action: string | null, target: string | null): ActionFragment | undefined {
  if (!frame.refreshed || action === null || target === null) return undefined;
  const wanted = action.trim().split(/\s+/);
  // "/x" alone means POST /x (attributes.ts parseActionSpec)
  const normalized = wanted.length === 1 ? `POST ${wanted[0]}` : `${wanted[0].toUpperCase()} ${wanted[1]}`;
  const entry = frame.refreshed.find((pushed) => pushed.action === normalized && pushed.target === target.trim());
  return entry && typeof entry.html?.html === 'string' ? entry.html : undefined;
}
