// atom-queue="name": user actions whose trigger (or an ancestor) names the same queue are sent one at a
// time, in the order they were triggered; each waits for the previous one's answer. A till puts its
// whole work area in one queue, so a scan typed while a payment is on its way is sent after the
// payment is answered (and lands in the next receipt) instead of overtaking it. While an action waits,
// its trigger carries the class `atom-queued` (and aria-busy, as any running action).
import { ATTR } from './attributes.js';

export const QUEUED_CLASS = 'atom-queued';

/** The queue an action trigger belongs to: the nearest atom-queue, or null (sent at once). */
export function queueOf(el: Element): string | null {
  const name = el.closest(`[${ATTR.queue}]`)?.getAttribute(ATTR.queue)?.trim();
  return name ? name : null;
}

export class ActionQueues {
  /** per queue: settles when the last action put into it has been answered */
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(name: string | null, trigger: Element, send: () => Promise<T>): Promise<T> {
    if (name === null) return send();
    const previous = this.tails.get(name);
    let result: Promise<T>;
    if (previous === undefined) {
      result = send();
    } else {
      trigger.classList.add(QUEUED_CLASS);
      result = previous.then(() => {
        trigger.classList.remove(QUEUED_CLASS);
        return send();
      });
    }
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(name, tail);
    void tail.then(() => {
      if (this.tails.get(name) === tail) this.tails.delete(name);
    });
    return result;
  }
}
