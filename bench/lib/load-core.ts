// Closed-loop HTTP load: `concurrency` workers on keep-alive connections, each sending the next request as
// soon as the previous answer has fully arrived, for a fixed time. Every request's latency is kept.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { httpOnce } from './http-once.js';

export interface LoadRequest {
  path: string;
  /** JSON text sent as the body */
  body: string;
  method?: string;
}

export interface LoadSpec {
  url: string;
  /** sent in turn: request n (counted over all workers) is requests[n % requests.length] */
  requests: LoadRequest[];
  headers: Record<string, string>;
  concurrency: number;
  seconds: number;
  /** unmeasured lead-in on the same connections */
  warmupSeconds?: number;
  /** stop after this many measured requests even if time remains */
  maxRequests?: number;
}

export interface LoadResult {
  ok: number;
  failed: number;
  statuses: Record<string, number>;
  /** latency (ms) of every successful request, in completion order */
  latencies: number[];
  /** the same, split by the index of the request in spec.requests */
  byRequest: number[][];
  elapsedSeconds: number;
  /** successful completions per whole second of the run */
  perSecond: number[];
  /** longest time (ms) with no completion at all */
  maxGapMs: number;
  /** size in bytes of the last successful answer */
  lastBytes: number;
  lastBody: string;
  firstError?: string;
}

function once(agent: http.Agent, spec: LoadSpec, request: LoadRequest): Promise<{ status: number; body: string }> {
  return httpOnce(agent, spec.url, request.path, request.method ?? 'POST', spec.headers, request.body);
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: spec.concurrency });
  try {
    if (spec.warmupSeconds && spec.warmupSeconds > 0) {
      const until = performance.now() + spec.warmupSeconds * 1000;
      let n = 0;
      await Promise.all(
        Array.from({ length: spec.concurrency }, async () => {
          while (performance.now() < until) await once(agent, spec, spec.requests[n++ % spec.requests.length]).catch(() => undefined);
        }),
      );
    }
    const result: LoadResult = { ok: 0, failed: 0, statuses: {}, latencies: [], byRequest: spec.requests.map(() => []), elapsedSeconds: 0, perSecond: [], maxGapMs: 0, lastBytes: 0, lastBody: '' };
    const started = performance.now();
    const deadline = started + spec.seconds * 1000;
    let lastCompletion = started;
    let sent = 0;
    const worker = async () => {
      while (performance.now() < deadline && (spec.maxRequests === undefined || sent < spec.maxRequests)) {
        const index = sent++ % spec.requests.length;
        const t0 = performance.now();
        let status = 0;
        let body = '';
        try {
          ({ status, body } = await once(agent, spec, spec.requests[index]));
        } catch (error) {
          result.firstError ??= (error as Error).message;
          // the server is gone (a kill -9 soak): do not spin on refused connections
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
        const t1 = performance.now();
        result.statuses[status] = (result.statuses[status] ?? 0) + 1;
        if (status >= 200 && status < 300) {
          result.ok++;
          result.latencies.push(t1 - t0);
          result.byRequest[index].push(t1 - t0);
          const second = Math.floor((t1 - started) / 1000);
          while (result.perSecond.length <= second) result.perSecond.push(0);
          result.perSecond[second]++;
          result.maxGapMs = Math.max(result.maxGapMs, t1 - lastCompletion);
          lastCompletion = t1;
          result.lastBytes = Buffer.byteLength(body);
          result.lastBody = body;
        } else {
          result.failed++;
          result.firstError ??= `HTTP ${status}: ${body.slice(0, 300)}`;
        }
      }
    };
    await Promise.all(Array.from({ length: spec.concurrency }, worker));
    const ended = performance.now();
    result.elapsedSeconds = (ended - started) / 1000;
    result.maxGapMs = Math.max(result.maxGapMs, ended - lastCompletion);
    // a trailing partial second would look like a dip
    if (result.perSecond.length > Math.floor(result.elapsedSeconds)) result.perSecond.length = Math.floor(result.elapsedSeconds);
    return result;
  } finally {
    agent.destroy();
  }
}
