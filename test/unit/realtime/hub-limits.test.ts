// Issue 15, finding 1: sockets per terminal are capped. A terminal (a paired device, or a script holding
// its cookie) could open sockets without end; past the cap a new one is closed at once with a reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { CLOSE_TOO_MANY_SOCKETS, RealtimeHub } from '../../../server/realtime/hub.js';
import { waitFor } from '../../helpers/wait.js';

const quiet = { info() {}, warn() {}, error() {} };

/** Opens a socket as `terminal`: resolves with the first frame, or with the close code and reason. */
function connect(url: string, terminal: string): Promise<{ ws: WebSocket; assigned: boolean; code?: number; reason?: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers: { 'x-terminal': terminal } });
    ws.once('message', (data) => resolve({ ws, assigned: JSON.parse(data.toString()).type === 'socket_id_assigned' }));
    ws.once('close', (code, reason) => resolve({ ws, assigned: false, code, reason: reason.toString() }));
    ws.once('error', reject);
  });
}

test('a terminal gets at most maxSocketsPerTerminal sockets; the next is closed with a clear reason', async (t) => {
  const hub = new RealtimeHub({
    channels: new Map(),
    log: quiet,
    redact: (_name, state) => state,
    maxSocketsPerTerminal: 3,
    async authorize(req) {
      return { terminalId: String(req.headers['x-terminal']), userKey: null, roles: [], loggedIn: false };
    },
  });
  const server = createServer();
  server.on('upgrade', (req, socket, head) => void hub.handleUpgrade(req, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const open: WebSocket[] = [];
  t.after(async () => {
    for (const ws of open) ws.terminate();
    await hub.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  for (let i = 0; i < 3; i++) {
    const socket = await connect(url, 'till-1');
    open.push(socket.ws);
    assert.equal(socket.assigned, true, `socket ${i + 1}`);
  }
  const over = await connect(url, 'till-1');
  assert.equal(over.assigned, false, 'a fourth socket of the same terminal was served');
  assert.equal(over.code, CLOSE_TOO_MANY_SOCKETS);
  assert.match(over.reason ?? '', /too many open windows for this terminal \(limit 3\)/);
  assert.equal(hub.socketsOf('till-1'), 3);

  const other = await connect(url, 'till-2');
  open.push(other.ws);
  assert.equal(other.assigned, true, 'another terminal is not affected');

  // a window closing makes room again
  const closed = new Promise((resolve) => open[0].once('close', resolve));
  open[0].close();
  await closed;
  await waitFor(() => hub.socketsOf('till-1') <= 2, "the hub to forget the closed window");
  const again = await connect(url, 'till-1');
  open.push(again.ws);
  assert.equal(again.assigned, true);
});
