// window.__serverokey: cheap counters tests and people can read (always on).

export interface EventLogEntry {
  event: string;
  channel: string | null;
}

export interface DebugHandle {
  readonly socketId: string | null;
  readonly connected: boolean;
  /** number of real-time event frames received */
  events: number;
  /** the last 200 event frames: event name and channel */
  eventLog: EventLogEntry[];
  /** number of action requests sent (user actions and soft refreshes) */
  actions: number;
  /** channels the server confirmed and the page still shows */
  subscriptions(): string[];
}

declare global {
  interface Window {
    __serverokey?: DebugHandle;
  }
}

const EVENT_LOG_LIMIT = 200;

export function createDebugHandle(source: {
  socketId(): string | null;
  connected(): boolean;
  subscriptions(): string[];
}): DebugHandle & { recordEvent(entry: EventLogEntry): void } {
  return {
    get socketId() {
      return source.socketId();
    },
    get connected() {
      return source.connected();
    },
    events: 0,
    eventLog: [],
    actions: 0,
    subscriptions: () => source.subscriptions(),
    recordEvent(entry: EventLogEntry) {
      this.events += 1;
      this.eventLog.push(entry);
      if (this.eventLog.length > EVENT_LOG_LIMIT) this.eventLog.splice(0, this.eventLog.length - EVENT_LOG_LIMIT);
    },
  };
}
