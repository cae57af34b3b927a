// http:get fetches JSON into a context path. Bounded (compatibility.md D26): a total deadline, at most five redirects
// (relative ones resolved), a size cap, and the manifest's optional host allow-list. Failures are saved
// as { error } and do not fail the action (original behaviour).
import { assignPath, childPath } from '../paths.js';
import { evaluate, stepFailure } from '../evaluate.js';
import type { StepKind } from '../context.js';

const MAX_REDIRECTS = 5;
const DEFAULT_TIMEOUT_MS = 5000;
const DEFAULT_MAX_BYTES = 1_000_000;

function networkError(error: unknown, timeoutMs: number): Error {
  const err = error as Error;
  if (err.name === 'TimeoutError' || err.name === 'AbortError') return new Error(`timed out after ${timeoutMs} ms`);
  return new Error(`request failed: ${(err.cause as Error | undefined)?.message ?? err.message}`);
}

export async function fetchJson(
  url: string,
  options: { timeoutMs: number; maxBytes: number; allowHosts?: string[] },
): Promise<unknown> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  let current = new URL(url);
  for (let hop = 0; ; hop++) {
    if (current.protocol !== 'http:' && current.protocol !== 'https:') {
      throw new Error(`only http and https URLs can be fetched (got ${current.protocol})`);
    }
    if (options.allowHosts && !options.allowHosts.includes(current.hostname)) {
      throw new Error(`host ${current.hostname} is not in http.allowHosts of the manifest`);
    }
    let response: Response;
    try {
      response = await fetch(current, { redirect: 'manual', signal, headers: { accept: 'application/json' } });
    } catch (error) {
      throw networkError(error, options.timeoutMs);
    }
    if (response.status >= 300 && response.status < 400 && response.headers.get('location')) {
      await response.body?.cancel();
      if (hop >= MAX_REDIRECTS) throw new Error(`more than ${MAX_REDIRECTS} redirects`);
      current = new URL(response.headers.get('location')!, current);
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`HTTP status ${response.status}`);
    }
    const reader = response.body?.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    if (reader) {
      for (;;) {
        // the deadline also covers a body that trickles in after the headers
        const { done, value } = await reader.read().catch((error: unknown) => {
          throw networkError(error, options.timeoutMs);
        });
        if (done) break;
        size += value.byteLength;
        if (size > options.maxBytes) {
          await reader.cancel();
          throw new Error(`response larger than ${options.maxBytes} bytes`);
        }
        chunks.push(value);
      }
    }
    const text = Buffer.concat(chunks).toString('utf8');
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new Error(`response is not JSON: ${(error as Error).message}`);
    }
  }
}

export const httpGetStep: StepKind = {
  key: 'http:get',
  async run(step, state, path) {
    const spec = step['http:get'] as { url?: unknown; saveTo?: unknown; timeoutMs?: unknown; maxBytes?: unknown } | null;
    if (!spec || typeof spec !== 'object') throw stepFailure(new Error('"http:get" needs { url, saveTo }'), state, path);
    if (typeof spec.saveTo !== 'string' || !spec.saveTo) {
      throw stepFailure(new Error('"http:get" needs saveTo (e.g. "context.result")'), state, childPath(path, 'http:get'));
    }
    const url = evaluate(spec.url, state, `${childPath(path, 'http:get')}.url`);
    let result: unknown;
    try {
      if (typeof url !== 'string') throw new Error(`url must be a string (got ${typeof url})`);
      result = await fetchJson(url, {
        timeoutMs: typeof spec.timeoutMs === 'number' ? spec.timeoutMs : DEFAULT_TIMEOUT_MS,
        maxBytes: typeof spec.maxBytes === 'number' ? spec.maxBytes : DEFAULT_MAX_BYTES,
        allowHosts: state.services.allowHosts,
      });
    } catch (error) {
      result = { error: (error as Error).message };
    }
    try {
      assignPath(state.vars, spec.saveTo, result);
    } catch (error) {
      throw stepFailure(error, state, `${childPath(path, 'http:get')}.saveTo`);
    }
  },
};
