/**
 * Running one pairing attempt on a freshly secured, not-yet-pinned connection: the CPace frames
 * (pairing-protocol.ts) go over the socket as newline-delimited JSON before any `hello`. When the
 * attempt ends, the socket is paused and handed back with whatever bytes followed the last pairing
 * frame (the peer's `hello` may share a TCP segment with it), so the session loses nothing.
 */
import type { EventInput, Role } from '../../../shared/events';
import type { SecuredPeer } from '../net/peer-check';
import { encodeFrame, FrameDecoder } from '../wire/framing';
import { createPairing, pairingExporter, type PairingFrame } from './pairing-protocol';

export const PAIRING_TIMEOUT_MS = 60_000;

export type PairingOutcome = { ok: true; peerPin: string; leftover: Buffer } | { ok: false; reason: string };

export interface PairingChannelOptions {
  peer: SecuredPeer;
  role: Role;
  code: string;
  ownPin: string;
  emit: (event: EventInput) => void;
  timeoutMs?: number;
  /** Bytes already read from the socket (the listener's look at the first frame) that belong to this attempt. */
  initialBytes?: Buffer;
}

function announce(opts: PairingChannelOptions, phase: 'started' | 'succeeded' | 'failed', reason: string | null): void {
  const summaries = {
    started: 'Pairing by code: both sides prove they typed the same code (CPace), bound to both certificates and this very connection. Nothing else is read or written meanwhile.',
    succeeded: 'Paired: the codes matched and nobody sat in between. Each side has pinned the key the other presented on this connection.',
    failed: 'PAIRING FAILED: the codes differ, or the connection is not direct (someone relayed it with another certificate). Nothing was pinned; make a new code to try again.',
  };
  opts.emit({
    conn: opts.peer.conn,
    dir: 'local',
    layer: 'trust',
    kind: 'trust.pairing',
    summary: summaries[phase],
    detail: { role: opts.role, phase, peerPin: opts.peer.pin, reason },
  });
}

export function runPairing(opts: PairingChannelOptions): Promise<PairingOutcome> {
  const { socket } = opts.peer;
  const pairing = createPairing({ role: opts.role, code: opts.code, ownPin: opts.ownPin, peerPin: opts.peer.pin, exporter: pairingExporter(socket) });
  const decoder = new FrameDecoder();
  announce(opts, 'started', null);
  return new Promise((resolve) => {
    let settled = false;
    // The plaintext witness compares every application byte, pairing frames included.
    const witness = opts.peer.connection.witness;
    const write = (frames: PairingFrame[]) =>
      frames.forEach((f) => {
        const bytes = encodeFrame(f);
        witness?.onAppBytes('out', bytes);
        socket.write(bytes);
      });
    const settle = (outcome: PairingOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.pause();
      socket.off('data', onData);
      socket.off('close', onClose);
      announce(opts, outcome.ok ? 'succeeded' : 'failed', outcome.ok ? null : outcome.reason);
      resolve(outcome);
    };
    const onData = (chunk: Buffer) => {
      // Frames arrive whole or split; the bytes after the frame that ends the attempt belong to the session.
      let offset = 0;
      while (offset < chunk.length && !settled) {
        const newline = chunk.indexOf(0x0a, offset);
        const end = newline === -1 ? chunk.length : newline + 1;
        witness?.onAppBytes('in', chunk.subarray(offset, end));
        for (const decoded of decoder.push(chunk.subarray(offset, end))) {
          let value: unknown = null;
          if (decoded.kind === 'frame') {
            try {
              value = JSON.parse(decoded.text);
            } catch {
              value = null;
            }
          }
          const step = pairing.receive(value);
          write(step.send);
          if (step.done) {
            settle(step.done.ok ? { ok: true, peerPin: step.done.peerPin, leftover: chunk.subarray(end) } : { ok: false, reason: step.done.reason });
            break;
          }
        }
        offset = end;
      }
    };
    const onClose = () => settle({ ok: false, reason: 'the connection closed during pairing' });
    const timer = setTimeout(() => {
      write(pairing.abort().send);
      settle({ ok: false, reason: 'pairing timed out' });
    }, opts.timeoutMs ?? PAIRING_TIMEOUT_MS);
    socket.on('data', onData);
    socket.once('close', onClose);
    if (opts.initialBytes) onData(opts.initialBytes);
    write(pairing.start());
    if (!settled) socket.resume();
  });
}
