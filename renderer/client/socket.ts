// The page's one WebSocket (compatibility.md §5.9, D17 fixed): subscribes to the channels of the atom-socket
// elements currently in the DOM (and unsubscribes when they leave), reconnects with backoff and
// jitter, re-subscribes and then asks for one refresh of everything subscribed, and detects a dead
// peer with ping/pong heartbeats.
import type { ClientFrame, EventFrame, RefreshRequest } from '../../protocol/wire.js';
import { reconnectDelay } from './backoff.js';
import { usableFrame } from './pushed-styles.js';
import { admitRefreshed, PushVersions } from './pushed-refresh.js';
import { requestsSignature } from './socket-elements.js';
import { styleTagPresent } from './styles.js';

export const PING_EVERY_MS = 10_000;
/** no answer this long after a ping → the peer is gone (with the ping interval: dead within ~30 s) */
export const PONG_TIMEOUT_MS = 17_500;
const TICK_MS = 2_500;
/** a connection attempt that neither opens nor fails this long (a dead LAN host) is abandoned */
const CONNECT_TIMEOUT_MS = 10_000;
/** after a reconnect, refresh at the latest this long after re-subscribing even without every ack */
const RESYNC_WAIT_MS = 3_000;

export type { EventFrame } from '../../protocol/wire.js';

export interface RealtimeHooks {
  onEvent(frame: EventFrame): void;
  /** after a reconnect, once the subscriptions are back: refresh what may have been missed */
  onResync(): void;
  onOnline(online: boolean): void;
  onReload(): void;
  onDevErrors(errors: unknown[]): void;
  /** the host's status: whether it can save changes, and what is wrong while it cannot */
  onHostStatus(ok: boolean, message: string): void;
  onServerError(message: string, channel?: string): void;
  debug: boolean;
}

export class RealtimeLink {
  id: string | null = null;
  private ws: WebSocket | null = null;
  private attempt = 0;
  private everConnected = false;
  private stopped = false;
  private reconnectTimer: number | undefined;
  private desired = new Map<string, RefreshRequest[]>();
  /** channel → the refresh requests last sent with its subscribe (as requestsSignature) */
  private readonly sent = new Map<string, string>();
  private readonly pushVersions = new PushVersions();
  private readonly acked = new Set<string>();
  /** channels the server refused on this connection: not asked again until a reconnect */
  private readonly refused = new Set<string>();
  private lastMessageAt = 0;
  private connectStartedAt = 0;
  private lastPingAt = 0;
  private pingOutstandingSince = 0;
  private resync: { waiting: Set<string>; timer: number } | null = null;

  constructor(private readonly hooks: RealtimeHooks) {}

  get connected(): boolean {
    return this.id !== null;
  }

  start(): void {
    this.connect();
    window.setInterval(() => this.tick(), TICK_MS);
    window.addEventListener('online', () => this.reconnectNow());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible') {
        if (this.ws === null) this.reconnectNow();
        else this.ping();
      }
    });
    // leaving the page closes the socket; that is not "offline"
    window.addEventListener('pagehide', () => {
      this.stopped = true;
      this.ws?.close();
    });
    window.addEventListener('pageshow', (event) => {
      if (event.persisted && this.stopped) {
        this.stopped = false;
        this.reconnectNow();
      }
    });
  }

  /** Channels named by atom-socket elements now in the DOM, with the refreshes their elements would perform. */
  setDesired(channels: Map<string, RefreshRequest[]>): void {
    this.desired = channels;
    if (!this.connected) return;
    for (const [channel, requests] of channels) {
      if (this.refused.has(channel)) continue;
      // subscribing again tells the host the new refreshes (the elements or the page changed)
      if (this.sent.get(channel) !== requestsSignature(requests)) this.subscribe(channel);
    }
    for (const channel of [...this.sent.keys()]) {
      if (channels.has(channel)) continue;
      this.sent.delete(channel);
      this.acked.delete(channel);
      this.send({ type: 'unsubscribe', channel });
    }
  }

  /** Channels the server confirmed and the page still shows. */
  subscriptions(): string[] {
    return [...this.acked].filter((channel) => this.desired.has(channel)).sort();
  }

  private url(): string {
    return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/`;
  }

  private connect(): void {
    if (this.stopped) return;
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url());
    } catch {
      this.lost();
      return;
    }
    this.ws = ws;
    this.connectStartedAt = Date.now();
    this.lastMessageAt = Date.now();
    this.pingOutstandingSince = 0;
    ws.onmessage = (message) => {
      if (ws !== this.ws) return;
      this.lastMessageAt = Date.now();
      this.pingOutstandingSince = 0;
      if (typeof message.data !== 'string') return;
      let frame: unknown;
      try {
        frame = JSON.parse(message.data);
      } catch {
        return;
      }
      if (typeof frame === 'object' && frame !== null) this.receive(frame as Record<string, unknown>);
    };
    ws.onclose = () => {
      if (ws === this.ws) this.lost();
    };
  }

  private receive(frame: Record<string, unknown>): void {
    switch (frame.type) {
      case 'socket_id_assigned':
        if (typeof frame.id === 'string') this.assigned(frame.id);
        return;
      case 'subscribed':
        if (typeof frame.channel === 'string') {
          this.acked.add(frame.channel);
          this.resolveResync(frame.channel);
        }
        return;
      case 'error':
        if (typeof frame.channel === 'string') {
          this.refused.add(frame.channel);
          this.acked.delete(frame.channel);
          this.resolveResync(frame.channel);
        }
        this.hooks.onServerError(String(frame.message ?? ''), typeof frame.channel === 'string' ? frame.channel : undefined);
        return;
      case 'reload':
        this.hooks.onReload();
        return;
      case 'dev-errors':
        this.hooks.onDevErrors(Array.isArray(frame.errors) ? frame.errors : []);
        return;
      case 'host-status':
        this.hooks.onHostStatus(frame.ok === true, String(frame.message ?? ''));
        return;
      case 'pong':
        return;
    }
    if (typeof frame.event === 'string') {
      this.hooks.onEvent(admitRefreshed(usableFrame(frame as unknown as EventFrame, styleTagPresent), this.pushVersions));
    }
  }

  private assigned(id: string): void {
    const isReconnect = this.everConnected;
    this.id = id;
    this.everConnected = true;
    this.attempt = 0;
    this.sent.clear();
    this.acked.clear();
    this.refused.clear();
    this.pushVersions.reset();
    if (this.hooks.debug) console.debug('[serverokey] socket id', id);
    this.hooks.onOnline(true);
    for (const channel of this.desired.keys()) this.subscribe(channel);
    if (isReconnect) this.beginResync();
  }

  private subscribe(channel: string): void {
    const requests = this.desired.get(channel) ?? [];
    this.sent.set(channel, requestsSignature(requests));
    this.send(requests.length > 0 ? { type: 'subscribe', channel, refresh: requests } : { type: 'subscribe', channel });
  }

  private beginResync(): void {
    if (this.resync) clearTimeout(this.resync.timer);
    const waiting = new Set(this.sent.keys());
    const timer = window.setTimeout(() => this.finishResync(), RESYNC_WAIT_MS);
    this.resync = { waiting, timer };
    if (waiting.size === 0) this.finishResync();
  }

  private resolveResync(channel: string): void {
    if (!this.resync) return;
    this.resync.waiting.delete(channel);
    if (this.resync.waiting.size === 0) this.finishResync();
  }

  private finishResync(): void {
    if (!this.resync) return;
    clearTimeout(this.resync.timer);
    this.resync = null;
    this.hooks.onResync();
  }

  private send(frame: ClientFrame): void {
    if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  private ping(): void {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return;
    this.lastPingAt = Date.now();
    if (this.pingOutstandingSince === 0) this.pingOutstandingSince = this.lastPingAt;
    this.send({ type: 'ping' });
  }

  private tick(): void {
    if (!this.ws) return;
    const now = Date.now();
    if (this.ws.readyState === WebSocket.CONNECTING && now - this.connectStartedAt >= CONNECT_TIMEOUT_MS) {
      this.dropSocket();
      this.lost();
      return;
    }
    if (this.ws.readyState !== WebSocket.OPEN) return;
    // judged from our own ping, so a timer throttled in a background tab does not look like a dead peer
    if (this.pingOutstandingSince !== 0 && now - this.pingOutstandingSince >= PONG_TIMEOUT_MS) {
      if (this.hooks.debug) console.debug('[serverokey] socket silent, reconnecting');
      this.dropSocket();
      this.lost();
      return;
    }
    if (now - this.lastPingAt >= PING_EVERY_MS) this.ping();
  }

  private dropSocket(): void {
    const ws = this.ws;
    this.ws = null;
    if (!ws) return;
    ws.onmessage = null;
    ws.onclose = null;
    try {
      ws.close();
    } catch {
      // already closing
    }
  }

  private lost(): void {
    this.ws = null;
    this.id = null;
    this.sent.clear();
    this.acked.clear();
    if (this.resync) {
      clearTimeout(this.resync.timer);
      this.resync = null;
    }
    if (this.stopped) return;
    this.hooks.onOnline(false);
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    const delay = reconnectDelay(this.attempt);
    this.attempt += 1;
    if (this.hooks.debug) console.debug('[serverokey] socket closed, retry in', delay, 'ms');
    this.reconnectTimer = window.setTimeout(() => {
      this.reconnectTimer = undefined;
      this.connect();
    }, delay);
  }

  private reconnectNow(): void {
    if (this.stopped || (this.ws && this.ws.readyState <= WebSocket.OPEN)) return;
    if (this.reconnectTimer !== undefined) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.attempt = 0;
    this.connect();
  }
}
