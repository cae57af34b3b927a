// One HTTP request on a given agent, answered with status and body text.
import http from 'node:http';

export function httpOnce(agent: http.Agent, url: string, path: string, method: string, headers: Record<string, string>, body: string): Promise<{ status: number; body: string }> {
  const target = new URL(path, url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { agent, hostname: target.hostname, port: target.port, path: target.pathname + target.search, method, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
