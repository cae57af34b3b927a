// Automatic push (issue 18): a window tells the host, when it subscribes, which soft refresh its elements
// would perform on the channel's event (RefreshRequest). When the event comes, the host renders each
// distinct refresh ONCE — equal keys (route, page, input, scope keys, user, terminal) give the same answer —
// and sends the answers with the event; the window swaps them in without a round trip. A refresh the host
// cannot render (not read-only, unknown route, a state not loaded) or that would not fit one frame is
// simply left out: the window then fetches it over HTTP as before.
import type { ActionFragment, PushedRefresh, RefreshRequest } from '../../protocol/wire.js';
import { MAX_REFRESH_REQUESTS } from '../../protocol/wire.js';
import { asciiJson } from './event-frame.js';
import type { Channel } from './channels.js';
import type { NotifyChange, SocketPrincipal, Subscriber } from './hub.js';

/** The host's side: what a refresh's answer depends on, and the answer itself. */
export interface RefreshRenderer {
  /** equal keys give the same answer; null: this refresh cannot be pushed (the window fetches it) */
  keyOf(request: RefreshRequest, principal: SocketPrincipal): string | null;
  /** the answer from the latest states; undefined when it cannot be rendered now (the window fetches it) */
  render(request: RefreshRequest, principal: SocketPrincipal): ActionFragment | undefined;
}

const MAX_TEXT = 2048;
/**
 * Distinct answers rendered for one event at most. Normal pages ask for a few (one per route and terminal);
 * a script could subscribe with many different pages to have the host render for each of them ahead of
 * everybody's delivery. Past the cap the windows fetch their refresh over HTTP, as without push.
 */
export const MAX_RENDERS_PER_EVENT = 256;

function shortString(value: unknown): value is string {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_TEXT;
}

/** The valid requests of a subscribe frame's `refresh` (a client's input: anything malformed is left out). */
export function parseRefreshRequests(raw: unknown): RefreshRequest[] {
  if (!Array.isArray(raw)) return [];
  const requests: RefreshRequest[] = [];
  for (const item of raw.slice(0, MAX_REFRESH_REQUESTS)) {
    if (!item || typeof item !== 'object') continue;
    const { method, url, target, body, page } = item as Record<string, unknown>;
    if (!shortString(method) || !shortString(url) || !shortString(target) || !shortString(page)) continue;
    if (!url.startsWith('/') || !page.startsWith('/')) continue;
    if (!body || typeof body !== 'object' || Array.isArray(body)) continue;
    const fields = Object.entries(body as Record<string, unknown>);
    if (fields.length > 64 || !fields.every(([, value]) => typeof value === 'string' && value.length <= MAX_TEXT)) continue;
    requests.push({ method: method.toUpperCase(), url, target, body: Object.fromEntries(fields) as Record<string, string>, page });
  }
  return requests;
}

export interface RefreshCounters {
  /** answers rendered (once per distinct key and event) */
  rendered: number;
  /** distinct frames (per event) made with at least one pushed refresh */
  pushed: number;
  /** frames whose refreshes were left out (in part or whole) for the frame size cap */
  tooBig: number;
}

/** Remembers each window's refresh requests per channel and plans the pushes of each event. */
export class RefreshPushes {
  private readonly requests = new WeakMap<Subscriber, Map<string, RefreshRequest[]>>();
  /** per watched connector and scope key: the last version handed out (commit order, this host run) */
  private readonly versions = new Map<string, number>();
  readonly counters: RefreshCounters = { rendered: 0, pushed: 0, tooBig: 0 };
  /**
   * Each request's key, per renderer (a reloaded app brings a new one): a key depends only on the request
   * and its window, both fixed for the subscription, so it is worked out once, not for every event
   * (with 300 windows that was ~3 ms of every event's preparation).
   */
  private readonly keys = new WeakMap<RefreshRenderer, WeakMap<RefreshRequest, string | null>>();

  constructor(
    private readonly renderer: () => RefreshRenderer | undefined,
    private readonly maxFrameBytes: number,
    private readonly warn: (message: string) => void,
  ) {}

  /** A subscribe frame: its requests replace the window's earlier ones for the channel. */
  remember(sub: Subscriber, channel: string, raw: unknown): void {
    const requests = parseRefreshRequests(raw);
    let byChannel = this.requests.get(sub);
    if (requests.length === 0) {
      byChannel?.delete(channel);
      return;
    }
    if (!byChannel) this.requests.set(sub, (byChannel = new Map()));
    byChannel.set(channel, requests);
  }

  forget(sub: Subscriber, channel: string): void {
    this.requests.get(sub)?.delete(channel);
  }

  /** The request's key (see RefreshRenderer.keyOf), remembered for the request's life. */
  keyOf(renderer: RefreshRenderer, request: RefreshRequest, principal: SocketPrincipal): string | null {
    let known = this.keys.get(renderer);
    if (!known) this.keys.set(renderer, (known = new WeakMap()));
    let key = known.get(request);
    if (key === undefined) {
      try {
        key = renderer.keyOf(request, principal);
      } catch {
        key = null;
      }
      known.set(request, key);
    }
    return key;
  }

  requestsOf(sub: Subscriber, channel: string): readonly RefreshRequest[] {
    return this.requests.get(sub)?.get(channel) ?? [];
  }

  /**
   * While the commit is flushed: the change's version, and the answers for the windows listening now
   * rendered ahead (each distinct one once). Windows that subscribe before send() are rendered then.
   */
  plan(channel: Channel, change: NotifyChange, listeners: Iterable<Subscriber>): RefreshPlan | undefined {
    const renderer = this.renderer();
    if (!renderer || !channel.push) return undefined;
    const versionKey = `${change.name}\u0000${change.scopeKey}`;
    const version = (this.versions.get(versionKey) ?? 0) + 1;
    this.versions.set(versionKey, version);
    const plan = new RefreshPlan(this, renderer, channel, version, this.maxFrameBytes, this.warn);
    for (const sub of listeners) plan.entriesFor(sub);
    return plan;
  }
}

/** One event's pushed refreshes: answers by key, and the frames made from them. */
export class RefreshPlan {
  /** key → the entry's JSON (ASCII), or null when it could not be rendered */
  private readonly answers = new Map<string, string | null>();
  /** per subscriber: the keys of its pushable refreshes */
  private readonly keysOf = new WeakMap<Subscriber, string[]>();
  /** joined keys → the whole frame, for the base frame it was made from */
  private readonly frames = new Map<string, Buffer>();
  private framesBase: Buffer | null = null;

  constructor(
    private readonly pushes: RefreshPushes,
    private readonly renderer: RefreshRenderer,
    private readonly channel: Channel,
    readonly version: number,
    private readonly maxFrameBytes: number,
    private readonly warn: (message: string) => void,
  ) {}

  /** The keys of the subscriber's refreshes that have an answer (rendering those not rendered yet). */
  entriesFor(sub: Subscriber): string[] {
    let keys = this.keysOf.get(sub);
    if (keys) return keys;
    keys = [];
    for (const request of this.pushes.requestsOf(sub, this.channel.name)) {
      const key = this.pushes.keyOf(this.renderer, request, sub.principal);
      if (key === null) continue;
      if (!this.answers.has(key)) {
        if (this.answers.size >= MAX_RENDERS_PER_EVENT) continue;
        this.answers.set(key, this.renderAnswer(request, sub.principal));
      }
      if (this.answers.get(key) !== null && !keys.includes(key)) keys.push(key);
    }
    this.keysOf.set(sub, keys);
    return keys;
  }

  private renderAnswer(request: RefreshRequest, principal: SocketPrincipal): string | null {
    try {
      const html = this.renderer.render(request, principal);
      if (!html) return null;
      this.pushes.counters.rendered++;
      const entry: PushedRefresh = { action: `${request.method} ${request.url}`, target: request.target, html };
      return asciiJson(entry);
    } catch (error) {
      this.warn(`channel "${this.channel.name}": could not render the refresh ${request.method} ${request.url} to push (${(error as Error).message}); windows fetch it instead`);
      return null;
    }
  }

  /**
   * The frame for one recipient: the event's base frame (serialised once for everybody) with the
   * recipient's answers and the version added, or the base frame alone when it has none or they do not fit.
   */
  frameFor(sub: Subscriber, base: Buffer): Buffer {
    const keys = this.entriesFor(sub);
    if (keys.length === 0) return base;
    if (this.framesBase !== base) {
      this.frames.clear();
      this.framesBase = base;
    }
    const signature = keys.join('\u0001');
    let frame = this.frames.get(signature);
    if (frame) return frame;
    // the base frame is a JSON object: the fields are added before its closing brace
    const head = `,"version":${this.version},"refreshed":[`;
    let room = this.maxFrameBytes - base.length - head.length - 2;
    const parts: string[] = [];
    for (const key of keys) {
      const json = this.answers.get(key)!;
      if (json.length + 1 > room) continue;
      room -= json.length + 1;
      parts.push(json);
    }
    if (parts.length < keys.length) this.pushes.counters.tooBig++;
    if (parts.length === 0) {
      this.frames.set(signature, base);
      return base;
    }
    frame = Buffer.concat([base.subarray(0, base.length - 1), Buffer.from(`${head}${parts.join(',')}]}`, 'latin1')]);
    this.pushes.counters.pushed++;
    this.frames.set(signature, frame);
    return frame;
  }
}
