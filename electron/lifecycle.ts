// Start-up and quit of the desktop app as one small state machine with injected steps, so the exact
// sequence is tested in Node against a real host: start the host → wait until it answers HTTP → open the
// windows; quit: close the windows → host.close() (finishes in-flight actions, flushes writes, closes
// sockets). Also: the reason shown when the start fails, and when a crashed renderer is reloaded.

export interface HostLike {
  url: string;
  close(): Promise<void>;
}

export type LifecyclePhase = 'idle' | 'starting' | 'running' | 'failed' | 'quitting' | 'stopped';

export interface LifecycleSteps<H extends HostLike> {
  startHost(): Promise<H>;
  /** resolves once the host answers HTTP; default: waitForHttp(host.url) */
  waitUntilAnswering?(url: string): Promise<void>;
  openWindows(host: H): Promise<void> | void;
  closeWindows(): Promise<void> | void;
  /** called once when the start fails (the host did not start, never answered, or windows failed) */
  reportStartFailure(message: string, error: unknown): Promise<void> | void;
  log?(message: string): void;
  /** how long quit waits for host.close() before giving up on it; default 15 s */
  closeTimeoutMs?: number;
}

export interface Lifecycle<H extends HostLike> {
  readonly phase: LifecyclePhase;
  readonly host: H | undefined;
  /** the host once running, undefined when the start failed (already reported) */
  start(): Promise<H | undefined>;
  /** idempotent: every caller waits for the same shutdown; safe during start-up */
  quit(): Promise<void>;
}

export function createLifecycle<H extends HostLike>(steps: LifecycleSteps<H>): Lifecycle<H> {
  let phase: LifecyclePhase = 'idle';
  let host: H | undefined;
  let starting: Promise<H | undefined> | undefined;
  let quitting: Promise<void> | undefined;
  const log = steps.log ?? (() => {});
  const waitUntilAnswering = steps.waitUntilAnswering ?? ((url: string) => waitForHttp(url));

  async function runStart(): Promise<H | undefined> {
    phase = 'starting';
    try {
      host = await steps.startHost();
      log(`host listening at ${host.url}`);
      await waitUntilAnswering(host.url);
      if (quitting) return host;
      await steps.openWindows(host);
      if (phase === 'starting') phase = 'running';
      return host;
    } catch (error) {
      if (quitting) return host;
      phase = 'failed';
      const message = describeStartError(error);
      log(`start failed: ${message}`);
      // A host that started but never answered (or whose windows failed) must still release its port and files.
      await closeHost();
      await steps.reportStartFailure(message, error);
      return undefined;
    }
  }

  async function closeHost(): Promise<void> {
    const current = host;
    host = undefined;
    if (!current) return;
    const timeoutMs = steps.closeTimeoutMs ?? 15_000;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    try {
      const outcome = await Promise.race([current.close().then(() => 'closed' as const), deadline]);
      if (outcome === 'timeout') log(`host did not close within ${timeoutMs} ms; quitting anyway`);
      else log('host closed');
    } catch (error) {
      log(`host close failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  async function runQuit(): Promise<void> {
    phase = 'quitting';
    try {
      await steps.closeWindows();
    } catch (error) {
      log(`closing windows failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    // A start in progress finishes first, so the host it is creating is closed rather than leaked.
    if (starting) await starting.catch(() => undefined);
    await closeHost();
    phase = 'stopped';
  }

  return {
    get phase() {
      return phase;
    },
    get host() {
      return host;
    },
    start() {
      starting ??= runStart();
      return starting;
    },
    quit() {
      quitting ??= runQuit();
      return quitting;
    },
  };
}

export interface WaitForHttpOptions {
  timeoutMs?: number;
  intervalMs?: number;
  fetchImpl?: typeof fetch;
}

/**
 * Polls `url` until the host answers with any HTTP status below 500 (a redirect to /login is an answer).
 * Connection refused and 5xx are retried until the deadline; then the last reason is reported.
 */
export async function waitForHttp(url: string, options: WaitForHttpOptions = {}): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const intervalMs = options.intervalMs ?? 100;
  const fetchImpl = options.fetchImpl ?? fetch;
  const deadline = Date.now() + timeoutMs;
  let lastReason = 'no answer';
  for (;;) {
    try {
      const response = await fetchImpl(url, { redirect: 'manual', signal: AbortSignal.timeout(Math.min(5_000, timeoutMs)) });
      await response.body?.cancel();
      if (response.status < 500) return;
      lastReason = `HTTP ${response.status}`;
    } catch (error) {
      lastReason = causeMessage(error);
    }
    if (Date.now() + intervalMs > deadline) {
      throw new HostNotAnsweringError(url, timeoutMs, lastReason);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

export class HostNotAnsweringError extends Error {
  constructor(
    readonly url: string,
    readonly timeoutMs: number,
    readonly reason: string,
  ) {
    super(`The till server at ${url} did not answer within ${Math.round(timeoutMs / 1000)} s (${reason}).`);
    this.name = 'HostNotAnsweringError';
  }
}

function causeMessage(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    if (cause instanceof Error) return `${error.message}: ${cause.message}`;
    return error.message;
  }
  return String(error);
}

/** The reason shown in the start-failure dialog: what happened and what to do, in the cashier's language. */
export function describeStartError(error: unknown): string {
  const err = error as (Error & { code?: string; port?: number; path?: string }) | undefined;
  const code = err?.code;
  if (code === 'EADDRINUSE') {
    const port = err?.port ? ` ${err.port}` : '';
    return `Порт${port} уже занят другой программой. Закройте её или запустите кассу с другим портом (--port). (${err?.message})`;
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return `Нет доступа: ${err?.message}. Проверьте права на папку данных или выберите порт выше 1024.`;
  }
  if (code === 'ENOSPC') return `На диске нет места: ${err?.message}. Освободите место и запустите кассу снова.`;
  if (error instanceof HostNotAnsweringError) {
    return `Сервер кассы запустился, но не отвечает: ${error.message}`;
  }
  if (error instanceof Error) return error.message;
  return String(error);
}

export type CrashDecision = 'reload' | 'give-up' | 'ignore';

/**
 * A crashed renderer is reloaded, but a page that crashes again and again is not reloaded forever:
 * after `maxCrashes` within `windowMs` the window shows the failure instead.
 */
export function createCrashPolicy(options: { maxCrashes?: number; windowMs?: number; now?: () => number } = {}) {
  const maxCrashes = options.maxCrashes ?? 3;
  const windowMs = options.windowMs ?? 60_000;
  const now = options.now ?? Date.now;
  const crashes: number[] = [];
  return {
    onRenderProcessGone(reason: string): CrashDecision {
      if (reason === 'clean-exit') return 'ignore';
      const t = now();
      crashes.push(t);
      while (crashes.length > 0 && crashes[0]! <= t - windowMs) crashes.shift();
      return crashes.length > maxCrashes ? 'give-up' : 'reload';
    },
  };
}
