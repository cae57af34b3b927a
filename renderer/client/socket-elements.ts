// Which channels the page needs: the atom-socket values of the elements in the DOM, recomputed
// whenever elements come or go (SPA swaps, action updates, page scripts) — compatibility.md D17.
import { ATTR } from './attributes.js';

export function socketChannels(root: ParentNode = document): Set<string> {
  const channels = new Set<string>();
  for (const el of root.querySelectorAll(`[${ATTR.socket}]`)) {
    const channel = el.getAttribute(ATTR.socket)?.trim();
    if (channel) channels.add(channel);
  }
  return channels;
}

export function watchSocketElements(onChange: (channels: Set<string>) => void): void {
  let last = '';
  const report = (): void => {
    const channels = socketChannels();
    const signature = [...channels].sort().join('\n');
    if (signature === last) return;
    last = signature;
    onChange(channels);
  };
  new MutationObserver(report).observe(document.documentElement, {
    childList: true,
    subtree: true,
    attributes: true,
    attributeFilter: [ATTR.socket],
  });
  report();
}
