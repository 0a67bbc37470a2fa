/**
 * The downgrade drill: dial a listener offering TLS 1.2 only, as an attacker who strips the newer
 * versions from a ClientHello would make it look. A Lockstep listener speaks TLS 1.3 only
 * (`minVersion: 'TLSv1.3'`), so it must answer with a protocol_version alert and close. The
 * drill's own tap and observer show the ClientHello and the alert as they crossed the wire.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';

import type { EventDetails, EventInput } from '../../../shared/events';
import { errorCode, LockstepError } from '../errors';
import { createIdentity } from '../identity/identity';
import type { HostPort } from '../net/address';
import { type HandshakeContext, runtimeOf, tapSocket } from '../net/handshake';
import { defaultOffer, ecdhCurveFor } from '../net/key-exchange-groups';
import { classifyTlsError } from '../net/tls-errors';
import { TIMEOUTS } from '../policy';
import type { RuntimeFeatures } from '../runtime/runtime-features';
import { ALPN } from '../wire/protocol';

export interface DowngradeOptions extends HostPort {
  emit: (event: EventInput) => void;
  conn?: string;
  timeoutMs?: number;
  /** The engine's probed runtime features (the alert is read from the error code only where it names one). */
  runtime?: RuntimeFeatures;
}

export type DowngradeResult = EventDetails['drill.verdict'] & { alert: string | null; code: string };

/** Run the drill once; resolves with the verdict (also emitted as `drill.verdict`). */
export async function downgradeDrill(o: DowngradeOptions): Promise<DowngradeResult> {
  const dir = mkdtempSync(join(tmpdir(), 'lockstep-downgrade-'));
  try {
    // A throwaway certificate: a real client would present one, but it is never reached.
    const creds = await createIdentity(dir, 'Downgrade drill');
    const ctx: HandshakeContext = { conn: o.conn ?? 'drill-1', role: 'dialer', origin: 'drill', emit: o.emit, revealSecrets: false, handshakeTimeoutMs: o.timeoutMs ?? TIMEOUTS.handshakeMs, runtime: o.runtime };
    const result = await attempt(o, ctx, creds);
    o.emit({ conn: ctx.conn, dir: 'local', layer: 'drill', kind: 'drill.verdict', summary: verdictSentence(result), detail: { drill: result.drill, outcome: result.outcome, reason: result.reason } });
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function attempt(o: DowngradeOptions, ctx: HandshakeContext, creds: { keyPem: string; certPem: string }): Promise<DowngradeResult> {
  return new Promise((resolve, reject) => {
    const raw = tcpConnect({ host: o.host, port: o.port });
    const timer = setTimeout(() => raw.destroy(new LockstepError('TIMEOUT', `No answer from ${o.host}:${o.port}.`)), ctx.handshakeTimeoutMs);
    raw.once('error', (err) => {
      clearTimeout(timer);
      reject(new LockstepError('CONNECT_FAILED', `Cannot reach ${o.host}:${o.port} (${errorCode(err)}).`, { cause: err }));
    });
    raw.once('connect', () => {
      raw.removeAllListeners('error');
      raw.on('error', () => raw.destroy());
      const { tap, onKeylog } = tapSocket(raw, ctx);
      const socket = tlsConnect({
        socket: tap,
        key: creds.keyPem,
        cert: creds.certPem,
        minVersion: 'TLSv1.2',
        maxVersion: 'TLSv1.2',
        rejectUnauthorized: false,
        ALPNProtocols: [ALPN],
        // The same groups as every other context: only the version is what the attacker changed.
        ecdhCurve: ecdhCurveFor(defaultOffer()),
      });
      socket.on('keylog', onKeylog);
      const done = (r: DowngradeResult) => {
        clearTimeout(timer);
        socket.destroy();
        // Let the tap deliver the alert record to the observer before the caller moves on.
        setImmediate(() => resolve(r));
      };
      socket.once('secureConnect', () =>
        done({
          drill: 'downgrade',
          outcome: 'succeeded',
          alert: null,
          code: 'DOWNGRADED',
          reason: `THE LISTENER ACCEPTED ${socket.getProtocol() ?? 'an older TLS version'}: it should speak TLS 1.3 only.`,
        }),
      );
      socket.once('error', (err: Error) => {
        const { failure, alert } = classifyTlsError(err, runtimeOf(ctx));
        const code = errorCode(err);
        // This side offered the old version: the shared wording ("the other side offered…") is the listener's.
        ctx.emit({
          conn: ctx.conn,
          dir: 'local',
          layer: 'tls',
          kind: 'tls.error',
          summary: `The listener refused this TLS 1.2-only handshake${alert ? ` with a ${alert.replace(/ /g, '_')} alert` : ''}: it speaks TLS 1.3 only.`,
          detail: { code, message: err.message, alert, failure, ...(runtimeOf(ctx).alertCodes ? {} : { runtimeGaps: ['alert-names' as const] }) },
        });
        done({
          drill: 'downgrade',
          outcome: 'defeated',
          alert,
          code,
          reason: failure === 'protocol-version'
            ? 'The listener answered a TLS 1.2-only ClientHello with a protocol_version alert and closed: Lockstep speaks TLS 1.3 only, so no one in the middle can push a connection down to an older, weaker version.'
            : `The listener refused the TLS 1.2-only handshake (${alert ?? code}): no connection below TLS 1.3 was made.`,
        });
      });
    });
  });
}

function verdictSentence(r: DowngradeResult): string {
  if (r.outcome === 'succeeded') return `DOWNGRADE SUCCEEDED. ${r.reason}`;
  return `Downgrade refused${r.alert ? ` (alert: ${r.alert.replace(/ /g, '_')})` : ''}. ${r.reason}`;
}
