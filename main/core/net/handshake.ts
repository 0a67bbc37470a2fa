/**
 * What both roles do around the TLS handshake: put the tap between TCP and TLS so every byte is
 * observed, feed the record observer and the keylog, bound the handshake in time, and turn every
 * failure into an event and a destroyed socket (after the handshake a TLS error does not close
 * the socket by itself).
 */
import type { Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';

import type { EventInput, Role } from '../../../shared/events';
import type { EventBus, EventSlot } from '../events/event-bus';
import { errorCode } from '../errors';
import { ALL_FEATURES, gapsOf, type RuntimeFeatures } from '../runtime/runtime-features';
import { classifyTlsError, explainTlsError } from './tls-errors';
import { ConnectionDisclosure } from '../tls/disclosure';
import { createPlaintextWitness } from '../tls/plaintext-witness';
import { KeyExchangeTracker } from '../tls/key-exchange';
import { createRecordObserver } from '../tls/record-observer';
import { Tap } from '../tls/tap';
import type { Connection, ConnectionOrigin, Observation } from './connection';

export type { Connection, ConnectionOrigin, Observation } from './connection';

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
  origin: ConnectionOrigin;
  /** `full` unless the bench says otherwise (connection.ts). */
  observe?: Observation;
  /** `slot`: a place the record observer took on the bus earlier (see `slots`). */
  emit: (event: EventInput, slot?: EventSlot) => void;
  /**
   * The bus's places, so the record observer decrypts the handshake off the critical path and
   * still reports each record where it was on the wire (record-observer.ts). Absent: decoded as
   * it passes (drills, Eve, tests).
   */
  slots?: Pick<EventBus, 'reserve'>;
  revealSecrets: boolean;
  handshakeTimeoutMs: number;
  /** Extra per-connection observers (the Wireshark capture, for one). */
  hooks?: (c: TappedConnection) => ConnectionHook | void;
  /** What the TLS library offers (the engine's probe); absent: everything, as on Node's OpenSSL. */
  runtime?: RuntimeFeatures;
}

export const runtimeOf = (ctx: HandshakeContext): RuntimeFeatures => ctx.runtime ?? ALL_FEATURES;

/** Put the tap under a new connection and make its Connection: the one value the layers above pass along. */
export function tapSocket(raw: Socket, ctx: HandshakeContext): Connection {
  const tap = new Tap(raw);
  // Every connection starts untrusted: its plaintext stays out of events until a trust decision.
  const disclosure = new ConnectionDisclosure(ctx.conn, ctx.emit);
  const keyExchange = new KeyExchangeTracker();
  const observe = ctx.observe ?? 'full';
  // Without the keylog no key will come: records are reported as unopened at once, not held.
  const keylog = runtimeOf(ctx).keylog;
  // The witness compares records the panel opened itself: without keys it would only cry wolf.
  const witness = (observe === 'full' || observe === 'inline') && keylog ? createPlaintextWitness({ conn: ctx.conn, emit: ctx.emit, disclosure }) : null;
  const observer = observe !== 'none'
    ? createRecordObserver({
        role: ctx.role,
        conn: ctx.conn,
        emit: ctx.emit,
        disclosure,
        revealSecrets: ctx.revealSecrets,
        expectKeys: keylog,
        onPlaintext: (dir, index, bytes, reason) => witness?.onRecord(dir, index, bytes, reason),
        onHello: (hello, bytes) => keyExchange.onHello(hello, bytes),
        // Without the keylog nothing is decrypted, so there is nothing to take off the critical path.
        ...(keylog && ctx.slots && observe !== 'inline' ? { slots: ctx.slots } : {}),
      })
    : null;
  const hook = ctx.hooks?.({ conn: ctx.conn, role: ctx.role, tap, disclosure }) ?? {};
  tap.onBytes = (dir, chunk) => {
    observer?.onBytes(dir, chunk);
    hook.onBytes?.(dir, chunk);
  };
  // The records decoded a turn late are reported first, as they would have been at once (shown,
  // held or withheld under the trust of that moment, and judged by the witness); records still
  // waiting for keys are reported as undecryptable. Then a connection that ends before its peer
  // was trusted is refused for good, and what it held is dropped.
  raw.once('close', () => {
    observer?.flush('the connection closed');
    witness?.close();
    disclosure.refuse();
    hook.onClose?.();
  });
  return {
    id: ctx.conn,
    role: ctx.role,
    origin: ctx.origin,
    tap,
    disclosure,
    witness,
    observer,
    keyExchange,
    onKeylog: (line) => {
      if (!keylog) return; // a runtime without the feature never calls this; one switched off must not either
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
  const runtime = runtimeOf(ctx);
  const { failure, alert } = classifyTlsError(err, runtime);
  const timeout = failure === 'timeout';
  const runtimeGaps = gapsOf(runtime, ['alertCodes']);
  ctx.emit({
    conn: ctx.conn,
    dir: 'local',
    layer: 'tls',
    kind: 'tls.error',
    summary: timeout ? `The TLS handshake did not finish within ${ctx.handshakeTimeoutMs / 1000} s: dropped.` : explainTlsError(err, failure),
    detail: {
      code: timeout ? 'HANDSHAKE_TIMEOUT' : code,
      message: err.message,
      alert,
      failure,
      ...(runtimeGaps.length > 0 ? { runtimeGaps } : {}),
    },
  });
}

/**
 * Report a TLS-level failure (in the handshake, or a bad record later) once, and make sure the
 * socket is gone. Both roles call this as soon as they hold the TLS socket.
 */
export function onTlsError(socket: TLSSocket, ctx: HandshakeContext): void {
  let reported = false;
  socket.on('error', (err: Error) => {
    if (!reported) reportTlsError(ctx, err);
    reported = true;
    socket.destroy();
  });
}
