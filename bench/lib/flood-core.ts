// A hostile client: many WebSocket connections with a valid till's cookies that subscribe and then send
// garbage (non-JSON text, binary, unknown frame types, unknown channels, frames over the size limit),
// plus upgrades without cookies or from a foreign origin, and raw TCP connections sending junk or
// half an HTTP request. Counts what the host did with each.
import net from 'node:net';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import WebSocket from 'ws';
import type { SessionInfo } from './session.js';

export interface FloodSpec {
  session: SessionInfo;
  channel: string;
  connections: number;
  /** upgrades without cookies, and with a foreign Origin */
  unauthenticated: number;
  /** raw TCP connections: junk bytes, and request heads never finished */
  rawSockets: number;
  seconds: number;
}

export interface FloodResult {
  opened: number;
  failedToOpen: number;
  refusedUnauthenticated: number;
  acceptedUnauthenticated: number;
  framesSent: number;
  bytesSent: number;
  /** close codes the host sent, with counts */
  closedByHost: Record<string, number>;
  openAtEnd: number;
  /** raw connections that sent junk bytes / half a request head, closed by the host before the end */
  junkClosedByHost: number;
  halfHeadsClosedByHost: number;
  errors: string[];
  openMs: number;
}

const GARBAGE: Array<() => string | Buffer> = [
  () => 'not json at all',
  () => '{"type":',
  () => '[]',
  () => 'null',
  () => JSON.stringify({ type: 'launch-missiles' }),
  () => JSON.stringify({ type: 'subscribe', channel: 'no-such-channel' }),
  () => JSON.stringify({ type: 'subscribe', channel: 42 }),
  () => JSON.stringify({ type: 'subscribe', channel: 'x'.repeat(10_000) }),
  () => JSON.stringify({ type: 'ping' }),
  () => JSON.stringify({ __proto__: { polluted: true }, type: 'subscribe', constructor: { prototype: { polluted: true } } }),
  () => randomBytes(512),
  () => randomBytes(256).toString('latin1'),
];

function wsUrl(url: string): string {
  return url.replace(/^http/, 'ws') + '/';
}

export async function runFlood(spec: FloodSpec): Promise<FloodResult> {
  const result: FloodResult = { opened: 0, failedToOpen: 0, refusedUnauthenticated: 0, acceptedUnauthenticated: 0, framesSent: 0, bytesSent: 0, closedByHost: {}, openAtEnd: 0, junkClosedByHost: 0, halfHeadsClosedByHost: 0, errors: [], openMs: 0 };
  const sockets: WebSocket[] = [];
  const raws: net.Socket[] = [];
  let ending = false;
  const note = (message: string) => result.errors.length < 8 && result.errors.push(message);

  const open = () =>
    new Promise<void>((resolve) => {
      const ws = new WebSocket(wsUrl(spec.session.url), { headers: { cookie: spec.session.cookie, origin: spec.session.url }, perMessageDeflate: false });
      let settled = false;
      const done = () => {
        if (!settled) {
          settled = true;
          resolve();
        }
      };
      ws.on('open', () => {
        result.opened++;
        sockets.push(ws);
        ws.send(JSON.stringify({ type: 'subscribe', channel: spec.channel }));
        done();
      });
      ws.on('message', () => undefined);
      ws.on('close', (code) => {
        if (!ending && settled && sockets.includes(ws)) result.closedByHost[code] = (result.closedByHost[code] ?? 0) + 1;
      });
      ws.on('error', (error) => {
        if (!settled) {
          result.failedToOpen++;
          note(`open: ${error.message}`);
        }
        done();
      });
    });

  const openStranger = (foreignOrigin: boolean) =>
    new Promise<void>((resolve) => {
      const headers: Record<string, string> = foreignOrigin ? { cookie: spec.session.cookie, origin: 'http://evil.example' } : { origin: spec.session.url };
      const ws = new WebSocket(wsUrl(spec.session.url), { headers, perMessageDeflate: false });
      ws.on('open', () => {
        result.acceptedUnauthenticated++;
        ws.terminate();
        resolve();
      });
      ws.on('unexpected-response', (_req, res) => {
        result.refusedUnauthenticated++;
        res.resume();
        ws.terminate();
        resolve();
      });
      ws.on('error', () => resolve());
    });

  const started = performance.now();
  for (let i = 0; i < spec.connections; i += 50) {
    await Promise.all(Array.from({ length: Math.min(50, spec.connections - i) }, open));
  }
  result.openMs = performance.now() - started;
  await Promise.all(Array.from({ length: spec.unauthenticated }, (_, i) => openStranger(i % 2 === 1)));

  const target = new URL(spec.session.url);
  for (let i = 0; i < spec.rawSockets; i++) {
    const raw = net.connect(Number(target.port), target.hostname);
    raw.on('error', () => undefined);
    // read what the host answers (else the socket never sees the host's end)
    raw.resume();
    raw.on('close', () => {
      if (ending) return;
      if (i % 2 === 0) result.junkClosedByHost++;
      else result.halfHeadsClosedByHost++;
    });
    raw.on('connect', () => {
      if (i % 2 === 0) raw.write(randomBytes(2048));
      else raw.write(`GET / HTTP/1.1\r\nHost: ${target.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Slow: `);
    });
    raws.push(raw);
  }

  // garbage from every connection, in turns, until the time is up
  const deadline = performance.now() + spec.seconds * 1000;
  let turn = 0;
  while (performance.now() < deadline) {
    for (const ws of sockets) {
      if (ws.readyState !== WebSocket.OPEN) continue;
      const kind = turn % (GARBAGE.length + 1);
      // now and then a frame over the host's size limit
      const frame = kind === GARBAGE.length ? (turn % 7 === 0 ? 'x'.repeat(100 * 1024) : JSON.stringify({ type: 'ping' })) : GARBAGE[kind]();
      ws.send(frame, { binary: Buffer.isBuffer(frame) });
      result.framesSent++;
      result.bytesSent += typeof frame === 'string' ? Buffer.byteLength(frame) : frame.length;
      turn++;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  result.openAtEnd = sockets.filter((ws) => ws.readyState === WebSocket.OPEN).length;
  ending = true;
  for (const ws of sockets) ws.terminate();
  for (const raw of raws) raw.destroy();
  await new Promise((resolve) => setTimeout(resolve, 200));
  return result;
}
