// One WebSocket per page, multiplexing every channel. Upgrades are authorised (origin, and a session or
// terminal when the app needs one); subscriptions are authorised per channel; notifications go out after
// commit only, to subscribers of the same scope, never to the initiating socket, and never fail the action.
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type WebSocket, type RawData } from 'ws';
import type { ActionFragment, EventFrame, ServerFrame } from '../../protocol/wire.js';
import type { Logger } from '../log.js';
import type { Channel } from './channels.js';
import { projectPayload } from './channels.js';
import { encodeFrame } from './event-frame.js';
import { RefreshPushes, type RefreshPlan, type RefreshRenderer } from './refresh-push.js';
import { FramedPayloads, writeFramed } from './preframed.js';

export const MAX_FRAME_BYTES = 64 * 1024;
const MAX_BUFFERED_BYTES = 1024 * 1024;
const HEARTBEAT_MS = 15_000;
/**
 * Event frames are framed once per payload and written to each socket's stream (preframed.ts);
 * SERVEROKEY_PREFRAMED=off sends each through ws.send as before (the fan-out benchmark compares both).
 */
const PREFRAMED = process.env.SERVEROKEY_PREFRAMED !== 'off';
/**
 * Open sockets one terminal may hold (one per window or tab). A till has a few windows; the fan-out
 * benchmark opens 300 of one till. Past it, a new socket is closed at once with CLOSE_TOO_MANY_SOCKETS,
 * so a device (or a script with its cookie) cannot grow the host's memory by opening sockets.
 */
export const DEFAULT_MAX_SOCKETS_PER_TERMINAL = 512;

export interface SocketPrincipal {
  terminalId: string | null;
  userKey: string | null;
  roles: string[];
  loggedIn: boolean;
  /** the login session the socket was opened with (checked again before every delivery) */
  session?: string | null;
}

/** Close codes the host sends; the client reconnects after each (and is refused where it must be). */
export const CLOSE_SESSION_CHANGED = 4001;
export const CLOSE_TERMINAL_REVOKED = 4003;
export const CLOSE_TOO_MANY_SOCKETS = 4008;

export interface Subscriber {
  id: string;
  ws: WebSocket;
  principal: SocketPrincipal;
  channels: Set<string>;
  alive: boolean;
}

export interface NotifyChange {
  name: string;
  scopeKey: string;
  scope: 'global' | 'terminal' | 'user';
  state: unknown;
}

/** Who a per-user pushed fragment is rendered for: the recipients' user key (null: not logged in). */
export interface Viewer {
  userKey: string | null;
}

/** The socket that sent the action (X-Socket-Id) and the terminal the request came from. */
export interface Initiator {
  socketId: string;
  terminalId: string | null;
}

/** Event frames made ready before a commit is durable; send() once it is. */
export interface PreparedNotification {
  send(): Promise<void>;
}

type EncodedFrame = Buffer | Promise<Buffer>;

interface PreparedEvent {
  channel: Channel;
  change: NotifyChange;
  /** serialised ahead when the channel had a listener in the change's scope */
  frame?: EncodedFrame;
  /**
   * a channel whose pushed fragment uses `user`: one frame per recipient user key (null: no login),
   * serialised ahead for the listeners there were, and on demand for any other
   */
  frames?: Map<string | null, EncodedFrame>;
  /** subscribers' soft refreshes rendered for this change (automatic push, refresh-push.ts) */
  refreshes?: RefreshPlan;
}

export interface HubOptions {
  channels: Map<string, Channel>;
  log: Logger;
  /** decides whether an upgrade is allowed and who it is; return a string to refuse with that reason */
  authorize(req: IncomingMessage): Promise<SocketPrincipal | string>;
  /** false once a login session has ended (logout, expiry): its sockets are closed instead of served */
  sessionLive?(session: string): boolean;
  /** payload cleanup for a connector (e.g. remove password fields from the user connector) */
  redact(connector: string, state: unknown): unknown;
  /**
   * The fragment pushed with the event of a channel with emit.render, rendered once per change (and so
   * once per scope); undefined when it cannot be rendered (subscribers then refresh as without render).
   * Return it directly (not a promise) so the event goes out without waiting for the event loop.
   */
  renderPush?(channel: Channel, change: NotifyChange, viewer?: Viewer): ActionFragment | undefined | Promise<ActionFragment | undefined>;
  /**
   * true when the channel's pushed fragment depends on who receives it (its template uses `user`): it is
   * then rendered once per distinct user among the recipients, renderPush getting that user's key
   */
  pushPerUser?(channel: Channel): boolean;
  /** renders subscribers' read-only soft refreshes to push with events (absent: windows always fetch them) */
  renderRefresh?: RefreshRenderer;
  /** frames a new socket gets right after its id (e.g. the host's status while it cannot save) */
  greeting?(): ServerFrame[];
  /** default DEFAULT_MAX_SOCKETS_PER_TERMINAL */
  maxSocketsPerTerminal?: number;
}

export class RealtimeHub {
  readonly sockets = new Map<string, Subscriber>();
  private readonly wss: WebSocketServer;
  private readonly byConnector = new Map<string, Channel[]>();
  /** open sockets per terminal id (a socket counts until its close event) */
  private readonly perTerminal = new Map<string, number>();
  private heartbeat?: NodeJS.Timeout;
  /** frames sent, subscribers dropped for not keeping up, upgrades refused, event frames serialised, sockets over a terminal's cap */
  counters = { delivered: 0, dropped: 0, refused: 0, encoded: 0, overCap: 0 };
  /** the windows' refresh requests and the pushes planned from them */
  readonly refreshPushes: RefreshPushes;

  constructor(private options: HubOptions) {
    this.refreshPushes = new RefreshPushes(() => this.options.renderRefresh, MAX_FRAME_BYTES, (message) => this.options.log.warn(message));
    this.wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES, clientTracking: false });
    this.index();
  }

  private index(): void {
    this.byConnector.clear();
    for (const channel of this.options.channels.values()) {
      const list = this.byConnector.get(channel.watch) ?? [];
      list.push(channel);
      this.byConnector.set(channel.watch, list);
    }
  }

  /** After the app is loaded again (dev mode): new channels and hooks, the same open sockets. */
  reconfigure(options: HubOptions): void {
    this.options = options;
    this.index();
    for (const sub of this.sockets.values()) {
      for (const name of sub.channels) if (!options.channels.has(name)) sub.channels.delete(name);
    }
  }

  /** Starts heartbeats; the host forwards its server's upgrades to handleUpgrade. */
  start(): void {
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  watches(connector: string): boolean {
    return this.byConnector.has(connector);
  }

  async handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    let principal: SocketPrincipal | string;
    try {
      principal = await this.options.authorize(req);
    } catch (error) {
      principal = (error as Error).message;
    }
    if (typeof principal === 'string') {
      this.counters.refused++;
      const body = principal;
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
      return;
    }
    const who = principal;
    this.wss.handleUpgrade(req, socket, head, (ws) => this.connected(ws, who));
  }

  /** Open sockets of a terminal (for checks and diagnostics). */
  socketsOf(terminalId: string): number {
    return this.perTerminal.get(terminalId) ?? 0;
  }

  private connected(ws: WebSocket, principal: SocketPrincipal): void {
    ws.on('error', () => ws.terminate());
    const terminal = principal.terminalId;
    if (terminal !== null) {
      const open = this.perTerminal.get(terminal) ?? 0;
      const cap = this.options.maxSocketsPerTerminal ?? DEFAULT_MAX_SOCKETS_PER_TERMINAL;
      if (open >= cap) {
        this.counters.overCap++;
        // the reason must fit a close frame (123 bytes)
        ws.close(CLOSE_TOO_MANY_SOCKETS, `too many open windows for this terminal (limit ${cap}): close some`);
        return;
      }
      this.perTerminal.set(terminal, open + 1);
    }
    const id = randomBytes(16).toString('hex');
    const sub: Subscriber = { id, ws, principal, channels: new Set(), alive: true };
    this.sockets.set(id, sub);
    ws.on('pong', () => (sub.alive = true));
    ws.on('message', (data, isBinary) => this.message(sub, data, isBinary));
    ws.on('close', () => {
      this.sockets.delete(id);
      if (terminal === null) return;
      const left = (this.perTerminal.get(terminal) ?? 1) - 1;
      if (left > 0) this.perTerminal.set(terminal, left);
      else this.perTerminal.delete(terminal);
    });
    this.send(sub, { type: 'socket_id_assigned', id });
    for (const frame of this.options.greeting?.() ?? []) this.send(sub, frame);
  }

  private message(sub: Subscriber, data: RawData, isBinary: boolean): void {
    sub.alive = true;
    if (isBinary) return this.send(sub, { type: 'error', message: 'binary frames are not accepted; send JSON text' });
    let frame: { type?: unknown; channel?: unknown; refresh?: unknown };
    try {
      frame = JSON.parse(data.toString());
    } catch {
      return this.send(sub, { type: 'error', message: 'frame is not JSON' });
    }
    if (!frame || typeof frame !== 'object') return this.send(sub, { type: 'error', message: 'frame must be a JSON object' });
    if (frame.type === 'ping') return this.sendRaw(sub, '{"type":"pong"}');
    if (frame.type !== 'subscribe' && frame.type !== 'unsubscribe') {
      return this.send(sub, { type: 'error', message: `unknown frame type ${JSON.stringify(frame.type)}` });
    }
    if (typeof frame.channel !== 'string') return this.send(sub, { type: 'error', message: 'frame needs a "channel" string' });
    const channel = this.options.channels.get(frame.channel);
    if (!channel) return this.send(sub, { type: 'error', message: `unknown channel "${frame.channel}"`, channel: frame.channel });
    if (frame.type === 'unsubscribe') {
      sub.channels.delete(channel.name);
      this.refreshPushes.forget(sub, channel.name);
      return;
    }
    if (this.sessionEnded(sub)) return this.endSocket(sub, CLOSE_SESSION_CHANGED, 'session ended');
    const denied = this.denied(channel, sub.principal);
    if (denied) return this.send(sub, { type: 'error', message: denied, channel: channel.name });
    sub.channels.add(channel.name);
    // a subscribe again (the window's elements changed) replaces the refreshes it asked for
    this.refreshPushes.remember(sub, channel.name, channel.push && !channel.render ? frame.refresh : undefined);
    this.send(sub, { type: 'subscribed', channel: channel.name });
  }

  private denied(channel: Channel, who: SocketPrincipal): string | null {
    if (channel.auth.required && !who.loggedIn) return `channel "${channel.name}" needs a logged-in user`;
    if (channel.auth.roles?.length && !who.roles.some((r) => channel.auth.roles!.includes(r))) {
      return `channel "${channel.name}" is for roles: ${channel.auth.roles.join(', ')}`;
    }
    return null;
  }

  private sessionEnded(sub: Subscriber): boolean {
    const { session } = sub.principal;
    return Boolean(session && this.options.sessionLive && !this.options.sessionLive(session));
  }

  private endSocket(sub: Subscriber, code: number, reason: string): void {
    this.sockets.delete(sub.id);
    sub.ws.close(code, reason);
  }

  private inScope(change: NotifyChange, who: SocketPrincipal): boolean {
    if (change.scope === 'terminal') return who.terminalId === change.scopeKey;
    if (change.scope === 'user') return who.userKey === change.scopeKey;
    return true;
  }

  /**
   * After commit: tell every subscriber of a channel watching a written connector, except the initiator.
   * Same as prepare(changes, initiator).send(), for callers that learn of the change once it is durable.
   */
  notify(changes: NotifyChange[], initiator: Initiator | undefined): Promise<void> {
    return this.prepare(changes, initiator).send();
  }

  /**
   * Before the commit is durable (while its fsync is in flight): render and serialise each event once per
   * channel and change, so that only sending is left once the commit is durable. Nothing goes out until
   * send(), which the caller calls only after the commit succeeded (a failed commit is never announced).
   * A channel nobody listens to is not rendered; one that gains a subscriber meanwhile is done in send().
   */
  prepare(changes: NotifyChange[], initiator: Initiator | undefined): PreparedNotification {
    const events: PreparedEvent[] = [];
    for (const change of changes) {
      for (const channel of this.byConnector.get(change.name) ?? []) {
        const event: PreparedEvent = { channel, change };
        if (this.hasListener(channel, change)) {
          try {
            if (this.perUser(channel)) {
              event.frames = new Map();
              for (const sub of this.listenersOf(channel, change)) this.frameForUser(event, sub.principal.userKey);
            } else {
              event.frame = this.encodeEvent(channel, change);
              // a commit that fails never awaits its frame: its failure must not surface as an unhandled rejection
              if (event.frame instanceof Promise) event.frame.catch(() => {});
            }
          } catch {
            // tried again (and reported) by send(), should the commit succeed
          }
          // a channel with emit.render pushes its own fragment; the others push their subscribers' refreshes
          if (!channel.render) {
            const listeners = [...this.listenersOf(channel, change)].filter((sub) => sub.id !== initiator?.socketId);
            event.refreshes = this.refreshPushes.plan(channel, change, listeners);
          }
        }
        events.push(event);
      }
    }
    return { send: () => this.sendPrepared(events, initiator) };
  }

  /**
   * The frames go out to the subscribers there are now, the same bytes to each, never to the initiating
   * socket. The initiating socket is skipped only when it belongs to the requesting terminal, so a socket
   * id sent by another terminal cannot silence someone else's notifications. Nothing here waits unless a
   * pushed fragment's render is asynchronous (the host's is not), and a failure never fails the action.
   */
  private async sendPrepared(events: PreparedEvent[], initiator: Initiator | undefined): Promise<void> {
    const isInitiator = (sub: Subscriber) =>
      initiator !== undefined && sub.id === initiator.socketId && sub.principal.terminalId === initiator.terminalId;
    // one notification reaches many windows of few logins: each login's liveness is looked up once
    const ended = new Map<string, boolean>();
    const sessionEnded = (sub: Subscriber) => {
      const { session } = sub.principal;
      if (!session) return false;
      let gone = ended.get(session);
      if (gone === undefined) ended.set(session, (gone = this.sessionEnded(sub)));
      return gone;
    };
    const framed = PREFRAMED ? new FramedPayloads() : undefined;
    for (const event of events) {
      const { channel, change, frame, refreshes } = event;
      try {
        const recipients: Subscriber[] = [];
        for (const sub of this.sockets.values()) {
          if (isInitiator(sub) || !sub.channels.has(channel.name) || !this.inScope(change, sub.principal)) continue;
          // a socket outliving its login (logout elsewhere, expiry) gets nothing more; it reconnects as what it now is
          if (sessionEnded(sub)) {
            this.endSocket(sub, CLOSE_SESSION_CHANGED, 'session ended');
            continue;
          }
          recipients.push(sub);
        }
        if (recipients.length === 0) continue;
        if (this.perUser(channel)) {
          await this.sendPerUser(event, recipients, framed);
          continue;
        }
        let encoded = frame ?? this.encodeEvent(channel, change);
        // `await` only for a promise: awaiting anything else would still wait for the microtask queue
        if (encoded instanceof Promise) encoded = await encoded;
        if (refreshes) for (const sub of recipients) this.sendRaw(sub, refreshes.frameFor(sub, encoded), framed);
        else for (const sub of recipients) this.sendRaw(sub, encoded, framed);
      } catch (error) {
        this.options.log.warn(`channel "${channel.name}": notification failed: ${(error as Error).message}`);
      }
    }
  }

  private perUser(channel: Channel): boolean {
    return Boolean(channel.render) && (this.options.pushPerUser?.(channel) ?? false);
  }

  /** The event's frame for recipients logged in as `userKey`: serialised once per user key and event. */
  private frameForUser(event: PreparedEvent, userKey: string | null): EncodedFrame {
    event.frames ??= new Map();
    let frame = event.frames.get(userKey);
    if (!frame) {
      frame = this.encodeEvent(event.channel, event.change, { userKey });
      if (frame instanceof Promise) frame.catch(() => {});
      event.frames.set(userKey, frame);
    }
    return frame;
  }

  /** A per-user fragment: each recipient gets the frame rendered for its own user. */
  private async sendPerUser(event: PreparedEvent, recipients: Subscriber[], framed: FramedPayloads | undefined): Promise<void> {
    for (const sub of recipients) {
      let encoded = this.frameForUser(event, sub.principal.userKey);
      if (encoded instanceof Promise) encoded = await encoded;
      this.sendRaw(sub, encoded, framed);
    }
  }

  /** Whether a socket here listens to a channel watching this connector, in this scope. */
  hasSubscriber(connector: string, scope: NotifyChange['scope'], scopeKey: string): boolean {
    const change = { name: connector, scope, scopeKey, state: undefined };
    return (this.byConnector.get(connector) ?? []).some((channel) => this.hasListener(channel, change));
  }

  /** The sockets listening to the channel in the change's scope now. */
  private *listenersOf(channel: Channel, change: NotifyChange): Iterable<Subscriber> {
    for (const sub of this.sockets.values()) if (sub.channels.has(channel.name) && this.inScope(change, sub.principal)) yield sub;
  }

  private hasListener(channel: Channel, change: NotifyChange): boolean {
    for (const sub of this.sockets.values()) if (sub.channels.has(channel.name) && this.inScope(change, sub.principal)) return true;
    return false;
  }

  /** One event frame, serialised once for every recipient of this change (pushed fragment included). */
  private encodeEvent(channel: Channel, change: NotifyChange, viewer?: Viewer): EncodedFrame {
    const encode = (pushed: ActionFragment | undefined) => {
      this.counters.encoded++;
      const frame: EventFrame = {
        event: channel.event,
        channel: channel.name,
        payload: projectPayload(channel, this.options.redact(change.name, change.state)),
      };
      // the component's CSS is on every page that shows it: sent to 300 windows it was a third of each
      // frame's bytes and decoding time (bench/profiles/fanout-memory.md); a page without it refreshes
      if (pushed) frame.html = pushed.styles === '' ? pushed : { ...pushed, styles: '' };
      if (pushed && pushed.styles !== '') frame.stylesOnPage = true;
      return encodeFrame(frame);
    };
    const pushed = channel.render ? this.pushedFragment(channel, change, viewer) : undefined;
    return pushed instanceof Promise ? pushed.then(encode) : encode(pushed);
  }

  /** The fragment pushed with a channel's event, rendered once per change; without one, subscribers refresh. */
  private pushedFragment(channel: Channel, change: NotifyChange, viewer?: Viewer): ActionFragment | undefined | Promise<ActionFragment | undefined> {
    const fail = (error: unknown) => {
      this.options.log.warn(`channel "${channel.name}": could not render "${channel.render}" to push (${(error as Error).message}); subscribers refresh instead`);
      return undefined;
    };
    try {
      const pushed = this.options.renderPush?.(channel, change, viewer);
      return pushed instanceof Promise ? pushed.catch(fail) : pushed;
    } catch (error) {
      return fail(error);
    }
  }

  /** Frames for every socket (dev reload, overlays). */
  broadcast(frame: ServerFrame): void {
    const encoded = JSON.stringify(frame);
    for (const sub of this.sockets.values()) this.sendRaw(sub, encoded);
  }

  /** Closes the sockets of a revoked terminal. */
  disconnectTerminal(terminalId: string): void {
    for (const sub of this.sockets.values()) {
      if (sub.principal.terminalId === terminalId) this.endSocket(sub, CLOSE_TERMINAL_REVOKED, 'terminal revoked');
    }
  }

  /**
   * A user's logins ended (auth:endSessions: an account deactivated, a password reset): every window of
   * theirs, on any terminal, is told to reload (it lands on the login page) and its socket is closed.
   */
  endUserSessions(userKey: string): number {
    const reload = JSON.stringify({ type: 'reload' } satisfies ServerFrame);
    let ended = 0;
    for (const sub of [...this.sockets.values()]) {
      if (sub.principal.userKey !== userKey) continue;
      this.sendRaw(sub, reload);
      this.endSocket(sub, CLOSE_SESSION_CHANGED, 'sessions ended');
      ended++;
    }
    return ended;
  }

  /**
   * A terminal logged in or out: its sockets were opened with the old cookies, so they are closed and
   * reconnect with the new ones (subscriptions then follow the new login; a logged-out page gets none).
   */
  sessionChanged(terminalId: string): void {
    for (const sub of this.sockets.values()) {
      if (sub.principal.terminalId === terminalId) this.endSocket(sub, CLOSE_SESSION_CHANGED, 'session changed');
    }
  }

  private send(sub: Subscriber, frame: ServerFrame): void {
    this.sendRaw(sub, JSON.stringify(frame));
  }

  /** A text frame: a string, or its UTF-8 bytes (framed once for every recipient when `framed` is given). */
  private sendRaw(sub: Subscriber, encoded: string | Buffer, framed?: FramedPayloads): void {
    if (sub.ws.readyState !== sub.ws.OPEN) return;
    if (sub.ws.bufferedAmount > MAX_BUFFERED_BYTES) {
      // a subscriber that cannot keep up is dropped; it resyncs on reconnect instead of growing host memory
      this.counters.dropped++;
      sub.ws.terminate();
      this.sockets.delete(sub.id);
      return;
    }
    this.counters.delivered++;
    if (framed && typeof encoded !== 'string' && writeFramed(sub.ws, framed.of(encoded))) return;
    sub.ws.send(encoded, { binary: false });
  }

  private beat(): void {
    for (const sub of this.sockets.values()) {
      if (!sub.alive) {
        sub.ws.terminate();
        this.sockets.delete(sub.id);
        continue;
      }
      sub.alive = false;
      sub.ws.ping();
    }
  }

  async close(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    for (const sub of this.sockets.values()) sub.ws.close(1001, 'host shutting down');
    this.sockets.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }
}
