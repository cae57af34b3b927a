// Issue 18 (delivery at 300 subscribers): event frames are framed once and the same bytes written to every
// socket's stream. A client must read them exactly as frames ws.send would have made, in order with ws's
// own frames, at every header size; a socket with permessage-deflate is left to ws.send.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { FramedPayloads, textFrame, writeFramed } from '../../../server/realtime/preframed.js';
import { waitFor } from '../../helpers/wait.js';

async function pair(deflate: boolean) {
  const server = createServer();
  const wss = new WebSocketServer({ server, perMessageDeflate: deflate });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const accepted = new Promise<WebSocket>((resolve) => wss.once('connection', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}/`, { perMessageDeflate: deflate });
  const received: string[] = [];
  client.on('message', (data, isBinary) => received.push(isBinary ? '<binary>' : data.toString()));
  await new Promise((resolve, reject) => client.once('open', resolve).once('error', reject));
  const close = async () => {
    client.terminate();
    wss.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return { serverSide: await accepted, received, close };
}

const until = (check: () => boolean) => waitFor(check, 'the frames');

test('framed-once text frames arrive intact and in order with ws.send, for short, 16-bit and 64-bit lengths', async (t) => {
  const { serverSide, received, close } = await pair(false);
  t.after(close);
  const payloads = [5, 126, 300, 70_000].map((n) => JSON.stringify({ event: 'x', pad: 'a'.repeat(n) }));
  const framed = new FramedPayloads();
  const expected: string[] = [];
  for (const text of payloads) {
    const buffer = Buffer.from(text, 'latin1');
    assert.equal(writeFramed(serverSide, framed.of(buffer)), true, 'a socket without extensions is written directly');
    serverSide.send('between', { binary: false });
    expected.push(text, 'between');
  }
  await until(() => received.length === expected.length);
  assert.deepEqual(received, expected);
});

test('a payload is framed once per notification, and the frame is what ws would send', () => {
  const payload = Buffer.from('{"event":"receipt-changed"}', 'latin1');
  const framed = new FramedPayloads();
  assert.equal(framed.of(payload), framed.of(payload), 'the same bytes for every recipient');
  const frame = textFrame(payload);
  assert.equal(frame[0], 0x81, 'FIN and the text opcode');
  assert.equal(frame[1], payload.length, 'unmasked, 7-bit length');
  assert.deepEqual(frame.subarray(2), payload);
});

test('a socket with permessage-deflate is left to ws.send (its frames are compressed per socket)', async (t) => {
  const { serverSide, close } = await pair(true);
  t.after(close);
  assert.notEqual(serverSide.extensions, '');
  assert.equal(writeFramed(serverSide, textFrame(Buffer.from('{}'))), false);
});
