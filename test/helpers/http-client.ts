// A test terminal over real HTTP: keeps its cookies (terminal, session), picks up the page's CSRF token
// and sends actions the way the browser client does.
import WebSocket from 'ws';
import { CookieJar } from './cookie-jar.js';

export interface ActionResult {
  status: number;
  body: any;
  headers: Headers;
}

export class TestTerminal {
  private readonly jar = new CookieJar();
  readonly cookies = this.jar.cookies;

  constructor(readonly baseUrl: string) {}

  get csrf(): string {
    return this.jar.csrf;
  }

  set csrf(value: string) {
    this.jar.csrf = value;
  }

  cookieHeader(): string {
    return this.jar.cookieHeader();
  }

  private keep(headers: Headers): void {
    this.jar.keep(headers.getSetCookie());
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; headers: Headers }> {
    const response = await fetch(this.baseUrl + path, { headers: { cookie: this.cookieHeader(), ...headers }, redirect: 'manual' });
    this.keep(response.headers);
    const text = await response.text();
    this.jar.keepCsrf(text);
    return { status: response.status, text, headers: response.headers };
  }

  /** Opens a page so the terminal has its cookie and CSRF token. */
  async open(path = '/login'): Promise<this> {
    await this.get(path);
    return this;
  }

  async action(
    route: string,
    body: unknown = {},
    options: { socketId?: string; csrf?: string | null; headers?: Record<string, string>; raw?: string; contentType?: string } = {},
  ): Promise<ActionResult> {
    const [method, path] = route.includes(' ') ? route.split(' ') : ['POST', route];
    const headers: Record<string, string> = {
      cookie: this.cookieHeader(),
      'content-type': options.contentType ?? 'application/json',
      accept: 'application/json',
      ...options.headers,
    };
    const csrf = options.csrf === undefined ? this.csrf : options.csrf;
    if (csrf) headers['x-csrf-token'] = csrf;
    if (options.socketId) headers['x-socket-id'] = options.socketId;
    const hasBody = method !== 'GET' && method !== 'HEAD';
    const response = await fetch(this.baseUrl + path, {
      method,
      headers,
      body: hasBody ? (options.raw ?? JSON.stringify(body)) : undefined,
      redirect: 'manual',
    });
    this.keep(response.headers);
    const text = await response.text();
    let parsed: any = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }

  async login(login: string, password: string, route = '/auth/login'): Promise<ActionResult> {
    if (!this.csrf) await this.open('/login');
    const result = await this.action(route, { login, password });
    await this.get('/');
    return result;
  }

  /** Loads a page with this terminal's cookies but an old session id (a copied cookie), not keeping anything. */
  replaySession(path: string, sessionId: string): Promise<Response> {
    const cookies = new Map(this.cookies).set('session_id', sessionId);
    const cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    return fetch(this.baseUrl + path, { headers: { cookie }, redirect: 'manual' });
  }

  /** A WebSocket with this terminal's cookies; resolves once the socket id is assigned. */
  async socket(): Promise<TestSocket> {
    const ws = new WebSocket(this.baseUrl.replace(/^http/, 'ws') + '/', {
      headers: { cookie: this.cookieHeader(), origin: this.baseUrl },
    });
    const socket = new TestSocket(ws);
    await socket.ready;
    return socket;
  }
}

export class TestSocket {
  readonly frames: any[] = [];
  id = '';
  readonly ready: Promise<void>;
  private waiters: Array<{ test: (f: any) => boolean; resolve: (f: any) => void }> = [];

  constructor(readonly ws: WebSocket) {
    this.ready = new Promise((resolve, reject) => {
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
      ws.on('message', (data) => {
        const frame = JSON.parse(data.toString());
        if (frame.type === 'socket_id_assigned') {
          this.id = frame.id;
          resolve();
        }
        this.frames.push(frame);
        this.waiters = this.waiters.filter((w) => {
          if (!w.test(frame)) return true;
          w.resolve(frame);
          return false;
        });
      });
    });
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first frame (already received or still to come) that passes `test`; the deadline only bounds a failing test. */
  next(test: (frame: any) => boolean, timeoutMs = 10_000): Promise<any> {
    const seen = this.frames.find(test);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no matching frame within ' + timeoutMs + ' ms')), timeoutMs);
      this.waiters.push({ test, resolve: (f) => (clearTimeout(timer), resolve(f)) });
    });
  }

  async subscribe(channel: string): Promise<any> {
    this.send({ type: 'subscribe', channel });
    return this.next((f) => (f.type === 'subscribed' || f.type === 'error') && f.channel === channel);
  }

  events(name?: string): any[] {
    return this.frames.filter((f) => f.event && (!name || f.event === name));
  }

  close(): void {
    this.ws.close();
  }
}

/**
 * Resolves once every frame the host sent this socket before the call has arrived: the host answers a ping
 * with a pong on the same connection, after whatever it sent before (a WebSocket keeps order). "Nothing
 * arrived" is then asserted after an event that must arrive, not after a pause. An event frame goes out
 * before the action that caused it is answered, so after the action's answer the barrier covers it too.
 */
export function pingBarrier(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    const onMessage = (data: WebSocket.RawData) => {
      if (JSON.parse(data.toString()).type !== 'pong') return;
      ws.off('message', onMessage);
      ws.off('close', onClose);
      resolve();
    };
    const onClose = () => {
      ws.off('message', onMessage);
      reject(new Error('the socket closed before the host answered the ping'));
    };
    ws.on('message', onMessage);
    ws.once('close', onClose);
    ws.send(JSON.stringify({ type: 'ping' }));
  });
}

/** pingBarrier on every socket given. */
export async function allArrived(...sockets: Array<TestSocket | WebSocket>): Promise<void> {
  await Promise.all(sockets.map((socket) => pingBarrier(socket instanceof TestSocket ? socket.ws : socket)));
}
