// Event frames for many sockets, framed once (issue 18: delivery to 300 subscribers). ws.send() builds a
// WebSocket header for every socket and writes header and payload as two buffers (cork, write, write,
// uncork: a writev); here the header and payload are joined once per distinct payload and the same bytes
// are written to every socket's stream, one write each. Only for sockets without an extension: a socket
// that negotiated permessage-deflate must compress per socket, so it goes through ws.send as before.
import type { Duplex } from 'node:stream';
import * as wsModule from 'ws';
import type { WebSocket } from 'ws';

interface FrameOptions {
  fin: boolean;
  rsv1: boolean;
  opcode: number;
  mask: boolean;
  readOnly: boolean;
}

/** ws's own frame builder (not in its type definitions): the header, and the payload unless it was merged in. */
const Sender = (wsModule as unknown as { Sender: { frame(data: Buffer, options: FrameOptions): Buffer[] } }).Sender;

/** An unmasked, uncompressed, final text frame of the payload (the server's frames are never masked). */
export function textFrame(payload: Buffer): Buffer {
  const parts = Sender.frame(payload, { fin: true, rsv1: false, opcode: 1, mask: false, readOnly: true });
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

/**
 * The framed bytes of each payload of one notification: every recipient of the same payload (the event
 * frame, or the event frame with the same pushed refreshes) gets the same framed buffer.
 */
export class FramedPayloads {
  private readonly framed = new Map<Buffer, Buffer>();

  of(payload: Buffer): Buffer {
    let frame = this.framed.get(payload);
    if (!frame) {
      frame = textFrame(payload);
      this.framed.set(payload, frame);
    }
    return frame;
  }
}

/**
 * Writes an already framed text frame straight to the socket's stream. false when the socket needs ws's
 * own path: an extension was negotiated (compression), or its stream is gone.
 */
export function writeFramed(ws: WebSocket, frame: Buffer): boolean {
  if (ws.extensions !== '') return false;
  // ws keeps its stream here; with no extension its sender writes every frame to it at once, in order
  const socket = (ws as unknown as { _socket?: Duplex | null })._socket;
  if (!socket || socket.destroyed) return false;
  socket.write(frame);
  return true;
}
