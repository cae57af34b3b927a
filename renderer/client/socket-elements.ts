// Which channels the page needs: the atom-socket values of the elements in the DOM, recomputed
// whenever elements come or go (SPA swaps, action updates, page scripts) — compatibility.md D17.
// With each channel go the soft refreshes its elements would perform on its event (automatic push):
// the host may render them and send the answers with the event, so no request is needed.
import type { RefreshRequest } from '../../protocol/wire.js';
import { MAX_REFRESH_REQUESTS } from '../../protocol/wire.js';
import { ATTR, parseActionSpec } from './attributes.js';
import { buildBody, formOf } from './body.js';

/** channel → the refreshes its elements would perform (empty when none can be told to the host) */
export type SocketSubscriptions = Map<string, RefreshRequest[]>;

/**
 * The refresh an element would perform, when the host can know all of it: an atom-action with an
 * atom-target, outside any form (a form's fields are what the user types: only the page knows them),
 * and not opted out with atom-push="off".
 */
export function refreshRequestOf(el: Element): RefreshRequest | null {
  if (!el.hasAttribute(ATTR.onEvent)) return null;
  if (el.getAttribute(ATTR.push)?.trim().toLowerCase() === 'off') return null;
  const spec = parseActionSpec(el.getAttribute(ATTR.action));
  const target = el.getAttribute(ATTR.target)?.trim();
  if (!spec || !target || formOf(el) !== null) return null;
  const body: Record<string, string> = {};
  for (const [name, value] of Object.entries(buildBody(el, null))) if (typeof value === 'string') body[name] = value;
  return { method: spec.method, url: spec.url, target, body, page: location.pathname + location.search };
}

export function socketSubscriptions(root: ParentNode = document): SocketSubscriptions {
  const channels: SocketSubscriptions = new Map();
  for (const el of root.querySelectorAll(`[${ATTR.socket}]`)) {
    const channel = el.getAttribute(ATTR.socket)?.trim();
    if (!channel) continue;
    const requests = channels.get(channel) ?? [];
    channels.set(channel, requests);
    const request = refreshRequestOf(el);
    if (request && requests.length < MAX_REFRESH_REQUESTS) requests.push(request);
  }
  return channels;
}

export function socketChannels(root: ParentNode = document): Set<string> {
  return new Set(socketSubscriptions(root).keys());
}

/** What changed about a channel's subscription: compared to decide whether to subscribe again. */
export function requestsSignature(requests: readonly RefreshRequest[]): string {
  return JSON.stringify(requests);
}

export function watchSocketElements(onChange: (channels: SocketSubscriptions) => void): void {
  let last = '';
  const report = (): void => {
    const channels = socketSubscriptions();
    const signature = JSON.stringify([...channels].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    if (signature === last) return;
    last = signature;
    onChange(channels);
  };
  new MutationObserver(report).observe(document.documentElement, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: [ATTR.socket, ATTR.action, ATTR.target, ATTR.onEvent, ATTR.push],
  });
  report();
}
