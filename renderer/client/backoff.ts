// Reconnect delays: the first retry is fast (a restarted host is back in a moment), then doubling,
// capped at ~5 s (a LAN till should not wait long), each with jitter so many terminals do not
// reconnect in lockstep after the host restarts.

export const RECONNECT_BASE_MS = 250;
export const RECONNECT_CAP_MS = 5000;

/** attempt 0 → 125–250 ms, 1 → 250–500 ms, … , capped at 2.5–5 s. */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(RECONNECT_CAP_MS, RECONNECT_BASE_MS * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
