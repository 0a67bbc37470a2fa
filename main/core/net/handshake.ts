/**
 * What both roles do around the TLS handshake: put the tap between TCP and TLS so every byte is
 * observed, feed the record observer and the keylog, bound the handshake in time, and turn every
 * failure into an event and a destroyed socket (after the handshake a TLS error does not close
 * the socket by itself).
 */
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

import type { EventInput, Role } from '../../../shared/events';
import { errorCode } from '../errors';
import { alertOf, explainTlsError } from './tls-errors';
import { ConnectionDisclosure } from '../tls/disclosure';
import { bindWitness, createPlaintextWitness, type PlaintextWitness } from '../tls/plaintext-witness';
import { createRecordObserver } from '../tls/record-observer';
import { Tap } from '../tls/tap';

/** What an extra observer of a connection (a capture, a drill) may hook into. */
export interface ConnectionHook {
  onBytes?: (dir: 'in' | 'out', chunk: Buffer) => void;
  onKeylog?: (line: Buffer) => void;
  onClose?: () => void;
}

export interface TappedConnection {
  conn: string;
  role: Role;
  tap: Tap;
  /** Whether this connection's plaintext may leave the engine yet (a capture's keys count as plaintext). */
  disclosure: ConnectionDisclosure;
}

/** What the tap gives the role that made it: the tap for TLS, the keylog feed, and the plaintext gate. */
export interface Tapped {
  tap: Tap;
  onKeylog: (line: Buffer) => void;
  disclosure: ConnectionDisclosure;
}

/** Several per-connection observers as one. */
export function composeHooks(...all: (HandshakeContext['hooks'] | undefined)[]): HandshakeContext['hooks'] {
  const present = all.filter((h): h is NonNullable<HandshakeContext['hooks']> => h !== undefined);
  if (present.length <= 1) return present[0];
  return (c) => {
    const hooks = present.map((h) => h(c) ?? {});
    return {
      onBytes: (dir, chunk) => hooks.forEach((h) => h.onBytes?.(dir, chunk)),
      onKeylog: (line) => hooks.forEach((h) => h.onKeylog?.(line)),
      onClose: () => hooks.forEach((h) => h.onClose?.()),
    };
  };
}

export interface HandshakeContext {
  conn: string;
  role: Role;
  emit: (event: EventInput) => void;
  revealSecrets: boolean;
  handshakeTimeoutMs: number;
  /** Extra per-connection observers (the Wireshark capture, for one). */
  hooks?: (c: TappedConnection) => ConnectionHook | void;
}

/**
 * For `bench/tap-bench.ts` only: `observer: false` runs the engine without the record observer
 * and the plaintext witness (the tap still sits in the stream and extra hooks still run), and
 * `witness: false` without the witness alone, so the cost of decrypting every record a second
 * time, and of comparing it, can be measured. Never switched off in the app.
 */
export const engineInternals = { observer: true, witness: true };

/** Each connection's witness, from the tap (made first) to the TLS socket (made later). */
const witnesses = new WeakMap<HandshakeContext, PlaintextWitness>();

export function tapSocket(raw: Socket, ctx: HandshakeContext): Tapped {
  const tap = new Tap(raw);
  // Every connection starts untrusted: its plaintext stays out of events until a trust decision.
  const disclosure = new ConnectionDisclosure(ctx.conn, ctx.emit);
  const observing = engineInternals.observer;
  const witness = observing && engineInternals.witness ? createPlaintextWitness({ conn: ctx.conn, emit: ctx.emit, disclosure }) : null;
  if (witness) witnesses.set(ctx, witness);
  const observer = observing
    ? createRecordObserver({
        role: ctx.role,
        conn: ctx.conn,
        emit: ctx.emit,
        disclosure,
        revealSecrets: ctx.revealSecrets,
        onPlaintext: (dir, index, bytes, reason) => witness?.onRecord(dir, index, bytes, reason),
      })
    : null;
  const hook = ctx.hooks?.({ conn: ctx.conn, role: ctx.role, tap, disclosure }) ?? {};
  tap.onBytes = (dir, chunk) => {
    observer?.onBytes(dir, chunk);
    hook.onBytes?.(dir, chunk);
  };
  // Records still waiting for keys when the connection ends are reported as undecryptable; a
  // connection that ends before its peer was trusted is refused for good.
  raw.once('close', () => {
    disclosure.refuse();
    witness?.close();
    observer?.flush('the connection closed');
    hook.onClose?.();
  });
  return {
    tap,
    disclosure,
    onKeylog: (line) => {
      observer?.onKeylog(line);
      hook.onKeylog?.(line);
    },
  };
}

/** Destroy the socket if the handshake has not finished in time. Returns the cancel function. */
export function handshakeDeadline(socket: TLSSocket, ctx: HandshakeContext): () => void {
  const timer = setTimeout(() => {
    reportTlsError(ctx, Object.assign(new Error('handshake timeout'), { code: 'ERR_TLS_HANDSHAKE_TIMEOUT' }));
    socket.destroy();
  }, ctx.handshakeTimeoutMs);
  socket.once('close', () => clearTimeout(timer));
  return () => clearTimeout(timer);
}

/** Turn a TLS failure into a `tls.error` event a presenter can read out. */
export function reportTlsError(ctx: HandshakeContext, err: Error): void {
  const code = errorCode(err);
  const timeout = code === 'ERR_TLS_HANDSHAKE_TIMEOUT';
  ctx.emit({
    conn: ctx.conn,
    dir: 'local',
    layer: 'tls',
    kind: 'tls.error',
    summary: timeout ? `The TLS handshake did not finish within ${ctx.handshakeTimeoutMs / 1000} s: dropped.` : explainTlsError(code, err.message),
    detail: { code: timeout ? 'HANDSHAKE_TIMEOUT' : code, message: err.message, alert: alertOf(err.message) },
  });
}

/**
 * Report a TLS-level failure (in the handshake, or a bad record later) once, and make sure the
 * socket is gone. Both roles call this as soon as they hold the TLS socket, so it is also where
 * the connection's plaintext witness is bound to that socket (the session finds it there).
 */
export function onTlsError(socket: TLSSocket, ctx: HandshakeContext): void {
  const witness = witnesses.get(ctx);
  if (witness) bindWitness(socket, witness);
  let reported = false;
  socket.on('error', (err: Error) => {
    if (!reported) reportTlsError(ctx, err);
    reported = true;
    socket.destroy();
  });
}
