// http:get against a local server (loopback only): JSON saved to a path, failures saved as { error }, and
// the bounds the original lacked (D26): total deadline, redirect limit, relative Location, size cap, allow-list.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RouteConfig } from '../../../server/manifest/types.js';
import { fetchJson } from '../../../server/actions/steps/http-get.js';
import { bench, failure } from '../../fixtures/steps-app/harness.mjs';

let server: Server;
let base = '';
const hits: string[] = [];

before(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    hits.push(url.pathname);
    const hop = /^\/hops\/(\d+)$/.exec(url.pathname);
    if (hop) {
      const left = Number(hop[1]);
      res.writeHead(302, { location: left > 0 ? `/hops/${left - 1}` : '/json' });
      return res.end();
    }
    switch (url.pathname) {
      case '/json':
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ fact: 'cats sleep a lot', length: 16 }));
      case '/absolute-redirect':
        res.writeHead(301, { location: `${base}/json` });
        return res.end();
      case '/to-localhost':
        res.writeHead(302, { location: `http://localhost:${(server.address() as AddressInfo).port}/json` });
        return res.end();
      case '/no-location':
        res.writeHead(302);
        return res.end();
      case '/missing':
        res.writeHead(404, { 'content-type': 'application/json' });
        return res.end('{"error":"not here"}');
      case '/text':
        res.writeHead(200, { 'content-type': 'text/html' });
        return res.end('<html>not json</html>');
      case '/big':
        res.writeHead(200, { 'content-type': 'application/json' });
        return res.end(JSON.stringify({ pad: 'x'.repeat(Number(url.searchParams.get('n'))) }));
      case '/slow-body':
        // headers and a first chunk at once, the rest never: only a total deadline ends this
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"partial":');
        return;
      case '/slow-headers':
        return; // never answers
      default:
        res.writeHead(500);
        return res.end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const routes: Record<string, RouteConfig> = {
  'POST /fetch': {
    type: 'action',
    steps: [{ 'http:get': { url: 'body.url', saveTo: 'context.result', maxBytes: 1000 } }, { set: 'context.after', to: true }],
  },
  'POST /fetch-briefly': {
    type: 'action',
    steps: [{ 'http:get': { url: 'body.url', saveTo: 'context.result', timeoutMs: 300 } }, { set: 'context.after', to: true }],
  },
  'POST /default-limits': { type: 'action', steps: [{ 'http:get': { url: 'body.url', saveTo: 'context.result' } }] },
  'POST /to-data': {
    type: 'action',
    reads: ['facts'],
    writes: ['facts'],
    steps: [{ 'http:get': { url: "body.base + '/json'", saveTo: 'data.facts.latest' } }],
  },
  'POST /no-save': { type: 'action', steps: [{ 'http:get': { url: 'body.url' } } as never] },
  'POST /bad-save': {
    type: 'action',
    steps: [{ set: 'context.n', to: 1 }, { 'http:get': { url: 'body.url', saveTo: 'context.n.result' } }],
  },
};

async function fetchVia(t: Parameters<typeof bench>[0], url: unknown, http?: { allowHosts?: string[] }, route = 'POST /fetch'): Promise<any> {
  const b = await bench(t, { routes, http });
  const out = await b.run(route, { url });
  assert.equal(out.vars.context.after, true, 'http:get never fails the action');
  return out.vars.context.result;
}

test('saves the parsed JSON at saveTo, also into data for a writes connector (Appendix A)', async (t) => {
  assert.deepEqual(await fetchVia(t, `${base}/json`), { fact: 'cats sleep a lot', length: 16 });
  const b = await bench(t, { connectors: { facts: { type: 'lowdb', initialState: {} } }, routes });
  await b.run('POST /to-data', { base });
  assert.deepEqual(JSON.parse(await b.file('facts')), { latest: { fact: 'cats sleep a lot', length: 16 } });
});

test('follows absolute and relative redirects up to five, refuses the sixth', async (t) => {
  assert.deepEqual(await fetchVia(t, `${base}/absolute-redirect`), { fact: 'cats sleep a lot', length: 16 });
  assert.equal((await fetchVia(t, `${base}/hops/4`)).fact, 'cats sleep a lot', '5 redirects are followed');
  hits.length = 0;
  const result = await fetchVia(t, `${base}/hops/5`);
  assert.match(result.error, /more than 5 redirects/);
  assert.equal(hits.length, 6, 'the sixth Location is not requested');
  assert.match((await fetchVia(t, `${base}/no-location`)).error, /HTTP status 302/);
});

test('non-2xx, non-JSON and connection errors are saved as { error } with the reason', async (t) => {
  assert.match((await fetchVia(t, `${base}/missing`)).error, /HTTP status 404/);
  assert.match((await fetchVia(t, `${base}/text`)).error, /not JSON/);
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
  const port = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  assert.match((await fetchVia(t, `http://127.0.0.1:${port}/json`)).error, /request failed: .*ECONNREFUSED/);
  assert.match((await fetchVia(t, 42)).error, /url must be a string/);
  assert.match((await fetchVia(t, 'file:///etc/passwd')).error, /only http and https/);
  assert.match((await fetchVia(t, 'not a url')).error, /Invalid URL/);
});

test('a body over the size cap is refused; the default cap is 1 MB', async (t) => {
  assert.match((await fetchVia(t, `${base}/big?n=5000`)).error, /larger than 1000 bytes/);
  assert.equal((await fetchVia(t, `${base}/big?n=500`)).pad.length, 500);
  const b = await bench(t, { routes });
  const big = await b.run('POST /default-limits', { url: `${base}/big?n=1100000` });
  assert.match(big.vars.context.result.error, /larger than 1000000 bytes/);
});

test('a total deadline ends a response that trickles or never comes', async (t) => {
  assert.match((await fetchVia(t, `${base}/slow-headers`, undefined, 'POST /fetch-briefly')).error, /timed out after 300 ms/);
  assert.match((await fetchVia(t, `${base}/slow-body`, undefined, 'POST /fetch-briefly')).error, /timed out after 300 ms/);
});

test('the allow-list refuses other hosts before connecting, also on redirects', async (t) => {
  hits.length = 0;
  assert.match((await fetchVia(t, `${base}/json`, { allowHosts: ['api.example.com'] })).error, /host 127\.0\.0\.1 is not in http\.allowHosts/);
  assert.deepEqual(hits, [], 'nothing was requested');
  assert.equal((await fetchVia(t, `${base}/json`, { allowHosts: ['127.0.0.1'] })).fact, 'cats sleep a lot');
  const redirected = await fetchVia(t, `${base}/to-localhost`, { allowHosts: ['127.0.0.1'] });
  assert.match(redirected.error, /host localhost is not in http\.allowHosts/);
});

test('a missing or unassignable saveTo fails the step with its path', async (t) => {
  const b = await bench(t, { routes });
  const error = await failure(b.run('POST /no-save', { url: `${base}/json` }));
  assert.equal(error.status, 500);
  assert.equal(error.details.step, 'routes["POST /no-save"].steps[0]["http:get"]');
  assert.match(error.message, /needs saveTo/);
  const bad = await failure(b.run('POST /bad-save', { url: `${base}/json` }));
  assert.equal(bad.status, 500);
  assert.equal(bad.details.step, 'routes["POST /bad-save"].steps[1]["http:get"].saveTo');
  assert.match(bad.message, /"context\.n" is a number/);
});

test('fetchJson on its own', async () => {
  assert.deepEqual(await fetchJson(`${base}/hops/1`, { timeoutMs: 5000, maxBytes: 1000 }), { fact: 'cats sleep a lot', length: 16 });
  await assert.rejects(fetchJson(`${base}/missing`, { timeoutMs: 5000, maxBytes: 1000 }), /HTTP status 404/);
});
