// The bare baseline: the kassa receipt's addItem / soft refresh / notify work written by hand with
// express + ws + lowdb, no engine. Same durability as the engine (an fdatasynced log line before the answer,
// the file replaced a second later), a per-receipt mutex, group commit, the same JSON shapes, the same fragment
// markup (a template string), the same auth checks (terminal cookie, session cookie, CSRF header, Origin)
// and the same notification (every subscriber of the receipt's scope except the initiating socket; for
// apps/kassa with the rendered receipt pushed in the event, prepared while the write is in flight and
// encoded as the engine encodes it).
// It is "the limit" of this stack: the benchmarks report the engine's figures as ratios to it.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import express, { type NextFunction, type Request, type Response } from 'express';
import { Low } from 'lowdb';
import { WebSocketServer, type WebSocket } from 'ws';
import bcrypt from 'bcryptjs';
import { DurableJsonFile } from './durable-file.js';
import { encodeEventFrame } from './event-frame.js';
import { KeyedMutex } from './mutex.js';
import { LOGIN_FORM, renderPage, scopedReceiptCss } from './page.js';
import type { Product, ReceiptKind } from './receipt-kind.js';
import { kassaReceipt } from './receipt-kassa.js';
import { originalReceipt } from './receipt-original.js';

export interface BaselineOptions {
  dataDir: string;
  port?: number;
  host?: string;
  /** global: one receipt for everyone (the original); terminal: one per terminal cookie (default) */
  scope?: 'global' | 'terminal';
  /** which app's receipt markup and money rules to reproduce (default kassa) */
  markup?: 'original' | 'kassa';
  /** the catalogue (default: the original example's five products) */
  products?: Product[];
  /** the app folder, for its receipt stylesheet (sent with every fragment, as the engine does) */
  appDir?: string;
}

export interface Baseline {
  url: string;
  port: number;
  close(): Promise<void>;
}

const CHANNEL = 'receipt-updates';
const EVENT = 'receipt-changed';
const TERMINAL_COOKIE = 'sok_terminal';
const SESSION_COOKIE = 'session_id';
// bcrypt (cost 10) of "123", the seeded cashier's password
const KASSIR = { login: 'kassir', name: 'Иванов И.И.', role: 'Кассир', passwordHash: '$2b$10$WWmwo7HNBgh7HTTaIYWD/.RLnn6l2MdYSk8CRXl76uEN0cD9FHege' };

const ORIGINAL_CATALOGUE: Product[] = [
  { id: 1, name: 'Хлеб Бородинский', price: '45.50' },
  { id: 2, name: 'Молоко 3.2%', price: '80.00' },
  { id: 3, name: 'Сыр Российский', price: '250.75' },
  { id: 4, name: 'Кефир 1%', price: '75.00' },
  { id: 5, name: 'Масло сливочное', price: '180.00' },
];

function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq).trim()] = decodeURIComponent(part.slice(eq + 1).trim());
  }
  return out;
}

function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (!origin) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

function parseFrame(text: string): { type?: unknown; channel?: unknown } | null {
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' ? (value as { type?: unknown; channel?: unknown }) : null;
  } catch {
    return null;
  }
}

interface Subscriber {
  id: string;
  ws: WebSocket;
  scopeKey: string;
  channels: Set<string>;
}

type Receipt = Record<string, unknown>;

export async function createBaseline(options: BaselineOptions): Promise<Baseline> {
  const scope = options.scope ?? 'terminal';
  const kind = (options.markup === 'original' ? originalReceipt : kassaReceipt) as unknown as ReceiptKind<Receipt>;
  const catalogue = options.products ?? ORIGINAL_CATALOGUE;
  const css = scopedReceiptCss(options.appDir, kind.fallbackCss);
  const secret = randomBytes(32);
  const sign = (kind: string, value: string) => createHmac('sha256', secret).update(`${kind}:${value}`).digest('base64url');
  const safeEqual = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

  const sessionsDb = new Low<Record<string, { login: string }>>(new DurableJsonFile(path.join(options.dataDir, 'sessions.json')), {});
  await sessionsDb.read();
  const receipts = new Map<string, Low<Receipt>>();
  const mutex = new KeyedMutex();
  const subscribers = new Map<string, Subscriber>();

  async function receiptDb(key: string): Promise<Low<Receipt>> {
    let db = receipts.get(key);
    if (!db) {
      const file = scope === 'global' ? path.join(options.dataDir, 'receipt.json') : path.join(options.dataDir, 'receipt', `${encodeURIComponent(key)}.json`);
      db = new Low<Receipt>(new DurableJsonFile(file), kind.empty());
      receipts.set(key, db);
      await db.read();
    }
    return db;
  }

  interface Who {
    terminal: string | null;
    session: string | null;
    user: { login: string } | null;
  }

  function identify(req: IncomingMessage): Who {
    const cookies = parseCookies(req.headers.cookie);
    let terminal: string | null = null;
    const t = cookies[TERMINAL_COOKIE];
    if (t) {
      const dot = t.lastIndexOf('.');
      if (dot > 0 && safeEqual(t.slice(dot + 1), sign('terminal', t.slice(0, dot)))) terminal = t.slice(0, dot);
    }
    const session = cookies[SESSION_COOKIE] ?? null;
    const user = session ? (sessionsDb.data[session] ?? null) : null;
    return { terminal, session: user ? session : null, user };
  }

  const csrfOf = (who: Who) => sign('csrf', who.session ?? who.terminal ?? 'anonymous');
  const scopeKeyOf = (who: Who) => (scope === 'global' ? 'global' : (who.terminal ?? 'none'));

  // as the engine does it: once per scope, the receipt rendered and pushed with the event when the app's
  // channel has emit.render (without its CSS, which the subscribers' pages have), the same bytes to everyone
  const eventFrame = (state: Receipt) =>
    encodeEventFrame({
      event: EVENT,
      channel: CHANNEL,
      payload: state,
      ...(kind.pushesFragment ? { html: { ...fragment(state), styles: '' }, stylesOnPage: true } : {}),
    });

  /** Rendered and serialised while the write is in flight (when anyone listens); sent once it is durable. */
  function prepareNotification(key: string, state: Receipt): (initiator: string | undefined) => void {
    let frame: Buffer | undefined;
    for (const sub of subscribers.values()) {
      if (sub.scopeKey !== key || !sub.channels.has(CHANNEL)) continue;
      frame = eventFrame(state);
      break;
    }
    return (initiator) => {
      for (const sub of subscribers.values()) {
        if (sub.id === initiator || sub.scopeKey !== key || !sub.channels.has(CHANNEL)) continue;
        frame ??= eventFrame(state);
        if (sub.ws.bufferedAmount > 1024 * 1024) {
          sub.ws.terminate();
          subscribers.delete(sub.id);
          continue;
        }
        sub.ws.send(frame, { binary: false });
      }
    };
  }

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));

  // every request gets a terminal identity (a signed cookie), as the engine's loopback browsers do
  app.use((req: Request, res: Response, next: NextFunction) => {
    const who = identify(req);
    if (!who.terminal) {
      const id = randomBytes(12).toString('hex');
      who.terminal = id;
      res.append('Set-Cookie', `${TERMINAL_COOKIE}=${id}.${sign('terminal', id)}; Path=/; HttpOnly; SameSite=Lax; Max-Age=315360000`);
    }
    res.locals.who = who;
    next();
  });

  const guardAction = (req: Request, res: Response, next: NextFunction) => {
    const who = res.locals.who as Who;
    if (!sameOrigin(req)) return void res.status(403).json({ error: { status: 403, message: 'foreign origin' } });
    const presented = req.get('x-csrf-token') ?? '';
    if (!presented || !safeEqual(presented, csrfOf(who))) return void res.status(403).json({ error: { status: 403, message: 'CSRF token missing or stale' } });
    next();
  };
  const needUser = (req: Request, res: Response, next: NextFunction) => {
    if (!(res.locals.who as Who).user) return void res.status(401).json({ error: { status: 401, message: 'log in first' }, redirect: '/login' });
    next();
  };

  app.get('/login', (_req, res) => {
    res.type('html').send(renderPage('Атомная касса', csrfOf(res.locals.who as Who), css, LOGIN_FORM));
  });

  app.get('/', async (_req, res) => {
    const who = res.locals.who as Who;
    if (!who.user) return void res.redirect(302, '/login');
    const db = await receiptDb(scopeKeyOf(who));
    res.type('html').send(renderPage('Атомная касса', csrfOf(who), css, kind.cashierPage(catalogue, db.data)));
  });

  app.post('/auth/login', guardAction, async (req, res) => {
    const { login, password } = (req.body ?? {}) as { login?: string; password?: string };
    if (login !== KASSIR.login || typeof password !== 'string' || !(await bcrypt.compare(password, KASSIR.passwordHash))) {
      return void res.json({ redirect: '/login?error=1' });
    }
    const token = randomBytes(24).toString('base64url');
    sessionsDb.data[token] = { login };
    await sessionsDb.write();
    res.append('Set-Cookie', `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax; Max-Age=43200`);
    res.json({ redirect: { url: '/', full: true } });
  });

  const fragment = (receipt: Receipt) => ({ html: kind.render(receipt), styles: css, scripts: [], componentName: 'receipt' });

  async function change(req: Request, res: Response, edit: (receipt: Receipt) => Receipt | void): Promise<void> {
    const who = res.locals.who as Who;
    const key = scopeKeyOf(who);
    const db = await receiptDb(key);
    const release = await mutex.lock(key);
    let durable: Promise<void>;
    let next: Receipt;
    try {
      next = structuredClone(db.data);
      next = edit(next) ?? next;
      kind.recalculate(next);
      db.data = next;
      durable = db.write();
    } finally {
      release();
    }
    const notify = prepareNotification(key, next);
    await durable;
    notify(req.get('x-socket-id') || undefined);
    res.json(fragment(next));
  }

  app.post('/action/addItem', guardAction, needUser, async (req, res, next) => {
    const id = (req.body as { id?: unknown })?.id;
    if (id === undefined || id === null || id === '') return void res.status(422).json({ error: { status: 422, message: 'id is required' } });
    const product = catalogue.find((p) => String(p.id) === String(id));
    if (!product) return void res.status(422).json({ error: { status: 422, message: `Товар не найден: ${String(id)}`, fields: { id: 'unknown product' } } });
    await change(req, res, (receipt) => kind.add(receipt, product)).catch(next);
  });

  app.post('/action/clearReceipt', guardAction, needUser, async (req, res, next) => {
    await change(req, res, () => kind.cleared()).catch(next);
  });

  // the benchmarks open a shift before selling; the baseline has no shifts or sales, so this only answers
  app.post('/action/openShift', guardAction, needUser, (_req, res) => void res.json({ redirect: '/' }));

  app.post('/action/soft-refresh-receipt', guardAction, needUser, async (_req, res) => {
    const db = await receiptDb(scopeKeyOf(res.locals.who as Who));
    res.json(fragment(db.data));
  });

  app.use((_req: Request, res: Response) => void res.status(404).json({ error: { status: 404, message: 'not found' } }));
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const status = (error as { status?: number }).status ?? 500;
    res.status(status).json({ error: { status, message: (error as Error).message } });
  });

  const server: Server = createServer(app);
  server.keepAliveTimeout = 65_000;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, clientTracking: false });

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const who = identify(req);
    if (!sameOrigin(req) || !req.headers.origin || !who.terminal || !who.user) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const sub: Subscriber = { id: randomBytes(16).toString('hex'), ws, scopeKey: scopeKeyOf(who), channels: new Set() };
      subscribers.set(sub.id, sub);
      ws.on('close', () => subscribers.delete(sub.id));
      ws.on('error', () => ws.terminate());
      ws.on('message', (data, isBinary) => {
        const frame = isBinary ? null : parseFrame(data.toString());
        if (!frame) return void ws.send('{"type":"error","message":"frame is not a JSON object"}');
        if (frame.type === 'ping') return void ws.send('{"type":"pong"}');
        if (frame.type === 'subscribe' && frame.channel === CHANNEL) {
          sub.channels.add(CHANNEL);
          return void ws.send(JSON.stringify({ type: 'subscribed', channel: CHANNEL }));
        }
        ws.send(JSON.stringify({ type: 'error', message: 'unknown frame or channel' }));
      });
      ws.send(JSON.stringify({ type: 'socket_id_assigned', id: sub.id }));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    async close() {
      for (const sub of subscribers.values()) sub.ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
