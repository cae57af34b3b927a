// The 20-till shop's client side (issue 18, item 3), in its own process: every till has its main window
// (the initiator of its actions) and a customer display, each a WebSocket with the till's cookies; the
// manager's dashboard subscribes to the sales feed telling the host its soft refresh, as the browser client
// does (so the host pushes it). Each till completes a sale (two items, then pay by card) every periodMs,
// the tills staggered across the period. Counted: every action's latency, every event that reached a
// display and the dashboard, against what the acknowledged actions must have caused.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { httpOnce } from './http-once.js';
import { actionHeaders, type SessionInfo } from './session.js';

export interface ShopSpec {
  tills: SessionInfo[];
  /** the manager's dashboard; absent for a server without sales (the baseline) */
  manager?: SessionInfo;
  /** the channels a till's main window and its customer display subscribe to */
  channels: { main: string; display: string };
  seconds: number;
  periodMs: number;
  items: [string, string];
  sale: { path: string; body: string };
  addPath: string;
  dashboardRefresh: string;
  /**
   * when the run starts (wall clock: performance.timeOrigin + now(), shared by every process of the
   * machine), so tills in separate processes (devices in their own namespaces) keep one schedule; default now
   */
  startAt?: number;
  /** each till's first sale after the start, ms; default staggered evenly across the period */
  offsetsMs?: number[];
}

export interface ShopHooks {
  /**
   * The sales the dashboard must have heard of, once every till is done: for a manager's process that has
   * no tills of its own (the driver tells it); default the sales of this process's tills
   */
  dashboardOwed?(): Promise<number>;
}

export interface ShopResult {
  /** ms per action (adds and sales), acknowledged or not */
  actionMs: number[];
  /** per action: seconds since the run started (to leave a warm-up out) */
  actionAt: number[];
  saleMs: number[];
  failed: number;
  sales: number;
  /** receipt-changing actions acknowledged per till, and receipt events its display received */
  expectedDisplayEvents: number;
  displayEvents: number;
  dashboardEvents: number;
  /** dashboard events that brought its refresh rendered (automatic push) */
  dashboardPushed: number;
  /** initiating windows that heard their own change */
  echoed: number;
  errors: string[];
  /** LAN devices the engine had paired when the run ended (network namespaces only) */
  pairedTerminals?: number;
}

function open(session: SessionInfo, channel: string, onEvent: (frame: Record<string, unknown>) => void, refresh?: unknown[]): Promise<{ ws: WebSocket; id: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(session.url.replace(/^http/, 'ws') + '/', { headers: { cookie: session.cookie, origin: session.url }, perMessageDeflate: false });
    let id = '';
    ws.once('error', reject);
    ws.on('message', (data) => {
      const frame = JSON.parse(data.toString()) as Record<string, unknown>;
      if (frame.type === 'socket_id_assigned') {
        id = String(frame.id);
        ws.send(JSON.stringify(refresh ? { type: 'subscribe', channel, refresh } : { type: 'subscribe', channel }));
      } else if (frame.type === 'subscribed') resolve({ ws, id });
      else if (frame.type === 'error') reject(new Error(`subscribe ${channel}: ${String(frame.message)}`));
      else if (typeof frame.event === 'string') onEvent(frame);
    });
  });
}

export async function runShop(spec: ShopSpec, hooks: ShopHooks = {}): Promise<ShopResult> {
  const result: ShopResult = { actionMs: [], actionAt: [], saleMs: [], failed: 0, sales: 0, expectedDisplayEvents: 0, displayEvents: 0, dashboardEvents: 0, dashboardPushed: 0, echoed: 0, errors: [] };
  const sockets: WebSocket[] = [];
  const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
  try {
    if (spec.manager) {
      const dashboardRequest = { method: 'POST', url: spec.dashboardRefresh, target: '#dashboard-container', body: {}, page: '/dashboard' };
      const dashboard = await open(spec.manager, 'sales-feed', (frame) => {
        result.dashboardEvents++;
        if (Array.isArray(frame.refreshed) && frame.refreshed.length > 0) result.dashboardPushed++;
      }, [dashboardRequest]);
      sockets.push(dashboard.ws);
    }
    const windows: string[] = [];
    for (const till of spec.tills) {
      const main = await open(till, spec.channels.main, () => result.echoed++);
      const display = await open(till, spec.channels.display, () => result.displayEvents++);
      sockets.push(main.ws, display.ws);
      windows.push(main.id);
    }
    const startedAt = spec.startAt !== undefined ? spec.startAt - performance.timeOrigin : performance.now();
    const endAt = startedAt + spec.seconds * 1000;
    const act = async (till: SessionInfo, socketId: string, path: string, body: string, sale: boolean) => {
      const started = performance.now();
      let ok = false;
      try {
        const answer = await httpOnce(agent, till.url, path, 'POST', actionHeaders(till, { 'x-socket-id': socketId }), body);
        ok = answer.status === 200;
        if (!ok && result.errors.length < 5) result.errors.push(`${path}: HTTP ${answer.status} ${answer.body.slice(0, 160)}`);
      } catch (error) {
        if (result.errors.length < 5) result.errors.push(`${path}: ${(error as Error).message}`);
      }
      const took = performance.now() - started;
      result.actionMs.push(took);
      result.actionAt.push((started - startedAt) / 1000);
      if (sale) result.saleMs.push(took);
      if (ok) {
        result.expectedDisplayEvents++;
        if (sale) result.sales++;
      } else result.failed++;
    };
    const runTill = async (index: number) => {
      const till = spec.tills[index];
      let next = startedAt + (spec.offsetsMs?.[index] ?? (index * spec.periodMs) / spec.tills.length);
      while (next < endAt) {
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, next - performance.now())));
        next += spec.periodMs;
        for (const item of spec.items) await act(till, windows[index], spec.addPath, JSON.stringify({ id: item }), false);
        await act(till, windows[index], spec.sale.path, spec.sale.body, true);
      }
    };
    await Promise.all(spec.tills.map((_, index) => runTill(index)));
    const dashboardOwed = spec.manager ? (hooks.dashboardOwed ? await hooks.dashboardOwed() : result.sales) : 0;
    // the last events are sent once their commits are durable: give them a moment to arrive
    const settleUntil = performance.now() + 3000;
    while (performance.now() < settleUntil && (result.displayEvents < result.expectedDisplayEvents || result.dashboardEvents < dashboardOwed)) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } catch (error) {
    result.errors.push((error as Error).message);
  } finally {
    for (const ws of sockets) ws.terminate();
    agent.destroy();
  }
  return result;
}
