// Fan-out as the host's subscribers see it: N WebSocket subscribers (windows of one till: same cookies) and
// an initiator socket. Delivery rounds: the initiator's action is sent and every subscriber notes when its
// event arrives (the initiator must get none). Storm rounds: every subscriber answers its event with a soft
// refresh, as the browser client does, and the round ends when the last refresh has been answered; an event
// that carries its rendered fragment (emit.render) is swapped in by the client without a refresh, so it
// counts as answered when it arrives.
// All times are taken in this one process, from the moment the action is sent; an event counts as arrived
// once its subscriber has decoded and parsed the frame (what the browser client does before it can use it).
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { httpOnce } from './http-once.js';
import { actionHeaders, type SessionInfo } from './session.js';
import type { RefreshRequest } from '../../protocol/wire.js';

export interface FanoutSpec {
  session: SessionInfo;
  subscribers: number;
  channel: string;
  event: string;
  action: { path: string; body: string };
  refresh: { path: string; body: string };
  /**
   * Automatic push (issue 18): subscribe as the browser client does, telling the host the soft refresh the
   * receipt element would perform. An event that brings that refresh already rendered is answered at once.
   * Absent: subscribe as an older client (every storm subscriber refreshes over HTTP).
   */
  refreshRequest?: RefreshRequest;
  deliveryRounds: number;
  stormRounds: number;
  pauseMs: number;
  /** keep every socket open this long after the last round (memory is sampled meanwhile) */
  holdMs?: number;
  /**
   * Split over several client processes (fanout.bench.ts --clients): a 'listener' holds only its share of
   * the subscribers, sends no action, plays the same rounds in the same order as they come (one unmeasured
   * delivery and storm round, then the delivery rounds, then the storm rounds) and times its arrivals on the
   * wall clock (performance.timeOrigin + now: t0Abs 0); the 'driver' (default) sends the actions and starts
   * a round only once every listener has finished the one before (FanoutSync).
   */
  role?: 'driver' | 'listener';
}

/** How the processes of a split load generator keep their rounds together (driven over IPC). */
export interface FanoutSync {
  /** a listener's subscribers are all connected and subscribed */
  connected?(): void;
  /** a listener finished its share of round `index` (warm-up rounds included) */
  roundDone?(index: number): void;
  /** the driver waits until every listener has finished round `index` */
  othersDone?(index: number): Promise<void>;
}

export interface FanoutResult {
  subscribers: number;
  /** ms from sending the action to each subscriber's event */
  delivery: number[];
  /** per round: ms between the first and the last subscriber's event */
  spread: number[];
  missed: number;
  echoed: number;
  /** the initiator's action round trips (ms) */
  actionRtt: number[];
  /** per storm round: ms from sending the action to the last refresh answer */
  storms: number[];
  stormFailures: number;
  connectMs: number;
  /** every measured round: when the action was sent (wall clock, ms), arrivals and storm end (ms after it) */
  rounds: Array<{ storm: boolean; t0Abs: number; arrivals: number[]; endMs?: number }>;
  errors: string[];
}

interface Sub {
  ws: WebSocket;
  id: string;
}

interface Round {
  t0: number;
  t0Abs: number;
  arrivals: number[];
  storm: boolean;
  refreshed: number;
  refreshFailed: number;
  lastRefreshAt: number;
  finish?: () => void;
}

const ROUND_TIMEOUT_MS = 5000;

interface Frame {
  type?: string;
  id?: string;
  message?: string;
  event?: string;
  html?: { html?: unknown };
  refreshed?: Array<{ action?: string; html?: { html?: unknown } }>;
}

function wsUrl(url: string): string {
  return url.replace(/^http/, 'ws') + '/';
}

export async function runFanout(spec: FanoutSpec, sync: FanoutSync = {}): Promise<FanoutResult> {
  const listener = spec.role === 'listener';
  const totalRounds = 2 + spec.deliveryRounds + spec.stormRounds;
  let heard = 0; // a listener's rounds so far
  let listened: (() => void) | null = null;
  const result: FanoutResult = { subscribers: spec.subscribers, delivery: [], spread: [], missed: 0, echoed: 0, actionRtt: [], storms: [], stormFailures: 0, connectMs: 0, rounds: [], errors: [] };
  const stormAgent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const actionAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  let round: Round | null = null;
  const subs: Sub[] = [];

  const refresh = (sub: Sub, current: Round) => {
    httpOnce(stormAgent, spec.session.url, spec.refresh.path, 'POST', actionHeaders(spec.session, { 'x-socket-id': sub.id }), spec.refresh.body).then(
      (answer) => {
        if (answer.status !== 200) current.refreshFailed++;
        current.refreshed++;
        current.lastRefreshAt = performance.now();
        if (current.refreshed === spec.subscribers) current.finish?.();
      },
      (error: Error) => {
        current.refreshFailed++;
        current.refreshed++;
        if (result.errors.length < 5) result.errors.push(`refresh: ${error.message}`);
        if (current.refreshed === spec.subscribers) current.finish?.();
      },
    );
  };

  const open = (counted: boolean): Promise<Sub> =>
    new Promise((resolve, reject) => {
      const ws = new WebSocket(wsUrl(spec.session.url), { headers: { cookie: spec.session.cookie, origin: spec.session.url }, perMessageDeflate: false });
      const sub: Sub = { ws, id: '' };
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: HTTP ${res.statusCode}`)));
      ws.on('message', (data) => {
        // a subscriber has its event once the frame is decoded and parsed, as the browser client has it:
        // the arrival is timed after that, so a bigger or costlier frame counts in full
        const frame = JSON.parse(data.toString()) as Frame;
        const at = performance.now();
        if (frame.event === spec.event) {
          if (!counted) {
            result.echoed++;
            return;
          }
          if (listener && !round) round = listenerRound();
          const current = round;
          if (!current) return;
          current.arrivals.push(at - current.t0);
          if (!current.storm) {
            if (current.arrivals.length === spec.subscribers) current.finish?.();
          } else if (typeof frame.html?.html === 'string' || pushedRefresh(frame)) {
            // the browser client swaps a pushed fragment (emit.render, or its own refresh rendered by the
            // host) in and sends no refresh: neither does this window
            current.refreshed++;
            current.lastRefreshAt = at;
            if (current.refreshed === spec.subscribers) current.finish?.();
          } else refresh(sub, current);
          return;
        }
        if (frame.type === 'socket_id_assigned') {
          sub.id = frame.id!;
          if (!counted) resolve(sub);
          else {
            const refresh = spec.refreshRequest ? { refresh: [spec.refreshRequest] } : {};
            ws.send(JSON.stringify({ type: 'subscribe', channel: spec.channel, ...refresh }));
          }
        } else if (frame.type === 'subscribed') resolve(sub);
        else if (frame.type === 'error') reject(new Error(`subscribe refused: ${frame.message}`));
      });
    });

  const wanted = spec.refreshRequest ? `${spec.refreshRequest.method} ${spec.refreshRequest.url}` : null;
  const pushedRefresh = (frame: Frame): boolean =>
    wanted !== null && Array.isArray(frame.refreshed) && frame.refreshed.some((r) => r.action === wanted && typeof r.html?.html === 'string');

  /** A listener's round starts with its first event; times are wall-clock (t0 = -timeOrigin). */
  const listenerRound = (): Round => {
    const index = heard;
    const current: Round = { t0: -performance.timeOrigin, t0Abs: 0, arrivals: [], storm: index === 1 || index >= 2 + spec.deliveryRounds, refreshed: 0, refreshFailed: 0, lastRefreshAt: 0 };
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      round = null;
      heard++;
      if (index >= 2) record(current);
      sync.roundDone?.(index);
      if (heard === totalRounds) listened?.();
    };
    current.finish = end;
    setTimeout(end, ROUND_TIMEOUT_MS).unref();
    return current;
  };

  const record = (played: Round) => {
    result.missed += spec.subscribers - played.arrivals.length;
    if (!played.storm) {
      result.delivery.push(...played.arrivals);
      result.rounds.push({ storm: false, t0Abs: played.t0Abs, arrivals: played.arrivals });
      if (played.arrivals.length) result.spread.push(Math.max(...played.arrivals) - Math.min(...played.arrivals));
      return;
    }
    result.stormFailures += played.refreshFailed + (spec.subscribers - played.refreshed);
    const endMs = played.refreshed === spec.subscribers ? played.lastRefreshAt - played.t0 : NaN;
    result.storms.push(endMs);
    result.rounds.push({ storm: true, t0Abs: played.t0Abs, arrivals: played.arrivals, endMs });
  };

  const connectStarted = performance.now();
  try {
    for (let i = 0; i < spec.subscribers; i += 25) {
      const batch = Math.min(25, spec.subscribers - i);
      subs.push(...(await Promise.all(Array.from({ length: batch }, () => open(true)))));
    }
    if (listener) {
      result.connectMs = performance.now() - connectStarted;
      sync.connected?.();
      await new Promise<void>((resolve) => (listened = resolve));
      if (spec.holdMs) await new Promise((resolve) => setTimeout(resolve, spec.holdMs));
      return result;
    }
    const initiator = await open(false);
    result.connectMs = performance.now() - connectStarted;
    const headers = actionHeaders(spec.session, { 'x-socket-id': initiator.id });

    let played = 0;
    const play = async (storm: boolean): Promise<Round> => {
      const current: Round = { t0: 0, t0Abs: 0, arrivals: [], storm, refreshed: 0, refreshFailed: 0, lastRefreshAt: 0 };
      const done = new Promise<void>((resolve) => (current.finish = resolve));
      const timeout = new Promise<void>((resolve) => setTimeout(resolve, ROUND_TIMEOUT_MS).unref());
      round = current;
      current.t0 = performance.now();
      current.t0Abs = performance.timeOrigin + current.t0;
      const answer = await httpOnce(actionAgent, spec.session.url, spec.action.path, 'POST', headers, spec.action.body);
      result.actionRtt.push(performance.now() - current.t0);
      if (answer.status !== 200 && result.errors.length < 5) result.errors.push(`action: HTTP ${answer.status} ${answer.body.slice(0, 200)}`);
      await Promise.race([done, timeout]);
      round = null;
      if (sync.othersDone) await Promise.race([sync.othersDone(played), new Promise((resolve) => setTimeout(resolve, ROUND_TIMEOUT_MS).unref())]);
      played++;
      await new Promise((resolve) => setTimeout(resolve, spec.pauseMs));
      return current;
    };

    // one unmeasured round of each kind: warm code paths and open the refresh connections
    await play(false);
    await play(true);
    for (let r = 0; r < spec.deliveryRounds; r++) record(await play(false));
    for (let r = 0; r < spec.stormRounds; r++) record(await play(true));
    if (spec.holdMs) await new Promise((resolve) => setTimeout(resolve, spec.holdMs));
  } catch (error) {
    result.errors.push((error as Error).message);
  } finally {
    for (const sub of subs) sub.ws.terminate();
    stormAgent.destroy();
    actionAgent.destroy();
  }
  return result;
}
