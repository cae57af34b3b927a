// The baseline's event frame, encoded as the engine encodes it (server/realtime/event-frame.ts, written
// out again so the baseline stays free of engine code): JSON with every non-ASCII character as a \u
// escape, serialised once and sent as the same bytes to every subscriber.
const PAST_ASCII = /[\u0080-\uffff]/g;

export function encodeEventFrame(frame: Record<string, unknown>): Buffer {
  const text = JSON.stringify(frame).replace(PAST_ASCII, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return Buffer.from(text, 'latin1');
}
