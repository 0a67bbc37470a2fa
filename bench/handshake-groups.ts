/**
 * Part of `npm run bench`: the hybrid post-quantum handshake (X25519MLKEM768, the default offer)
 * against a classical one (the dialer offers X25519 alone), in the same run, against the same
 * listener engine, connections interleaved so the machine's load falls on both alike. Sizes come
 * from the engines' own events (the hellos, and every record of the handshake), times
 * from `tls.secure` (TCP accept/connect → handshake done) and from connect() to the pin check.
 */
import type { EventDetails, LockstepEvent } from '../shared/events';
import { LockstepPair, nextEvent } from './lockstep';
import { fmtMs, fmtRatio, median, table } from './stats';

interface Sample {
  secure: EventDetails['tls.secure'];
  /** Bytes on the wire of the handshake's records (in the clear, or under the handshake keys), headers included, per direction. */
  bytesOut: number;
  bytesIn: number;
  secureMs: number;
  readyMs: number;
}

async function sampleOnce(pair: LockstepPair): Promise<Sample> {
  const seen: LockstepEvent[] = [];
  const stop = pair.dialer.events.subscribe((e) => seen.push(e));
  const secured = nextEvent(pair.dialer, (e) => e.kind === 'tls.secure', 'the dialer\'s tls.secure');
  const { secureMs, readyMs } = await pair.connectOnce();
  const secure = await secured;
  stop();
  if (secure.kind !== 'tls.secure') throw new Error('bench: not a tls.secure event');
  let bytesOut = 0;
  let bytesIn = 0;
  for (const e of seen) {
    if (e.kind !== 'tls.record' || e.conn !== secure.conn) continue;
    if (e.detail.encrypted && e.detail.decrypted?.epoch !== 'handshake') continue;
    if (e.dir === 'out') bytesOut += 5 + e.detail.length;
    else bytesIn += 5 + e.detail.length;
  }
  return { secure: secure.detail, bytesOut, bytesIn, secureMs, readyMs };
}

export interface GroupsBench {
  hybrid: Sample[];
  classical: Sample[];
}

export async function runHandshakeGroupsBench(o: { runs: number; warmup: number; log: (line: string) => void }): Promise<GroupsBench> {
  const hybridPair = await LockstepPair.open();
  const classicalPair = await LockstepPair.open({ groups: ['X25519'] });
  const result: GroupsBench = { hybrid: [], classical: [] };
  try {
    for (let i = 0; i < o.warmup + o.runs; i += 1) {
      const h = await sampleOnce(hybridPair);
      const c = await sampleOnce(classicalPair);
      if (i < o.warmup) continue;
      result.hybrid.push(h);
      result.classical.push(c);
    }
  } finally {
    await hybridPair.close();
    await classicalPair.close();
  }
  const groups = (s: Sample[]) => [...new Set(s.map((x) => x.secure.group))].join(', ');
  o.log(`    hybrid dialer got ${groups(result.hybrid)}; classical dialer got ${groups(result.classical)}`);
  return result;
}

const bytes = (n: number) => `${Math.round(n).toLocaleString('en-US')} B`;

export function formatHandshakeGroupsBench(r: GroupsBench): string {
  const m = (s: Sample[], f: (x: Sample) => number) => median(s.map(f));
  const row = (label: string, f: (x: Sample) => number, fmt: (n: number) => string): string[] => {
    const h = m(r.hybrid, f);
    const c = m(r.classical, f);
    return [label, fmt(h), fmt(c), fmtRatio(h / c)];
  };
  const kx = (x: Sample) => x.secure.keyExchange;
  const groupOf = (s: Sample[]) => s[0]?.secure.group ?? '?';
  return [
    `Key exchange: hybrid post-quantum against classical, one listener, ${r.hybrid.length} connections each, interleaved (medians):`,
    table(
      ['handshake', `hybrid (${groupOf(r.hybrid)})`, `classical (${groupOf(r.classical)})`, 'hybrid / classical'],
      [
        row('ClientHello', (x) => kx(x)?.clientHelloBytes ?? NaN, bytes),
        row('ServerHello', (x) => kx(x)?.serverHelloBytes ?? NaN, bytes),
        row('client key shares', (x) => kx(x)?.clientShares.reduce((n, s) => n + s.length, 0) ?? NaN, bytes),
        row('server key share', (x) => kx(x)?.serverShare?.length ?? NaN, bytes),
        row('handshake bytes dialer → listener', (x) => x.bytesOut, bytes),
        row('handshake bytes listener → dialer', (x) => x.bytesIn, bytes),
        row('TLS handshake (tls.secure)', (x) => x.secure.handshakeMs, fmtMs),
        row('connect → pin checked', (x) => x.secureMs, fmtMs),
        row('connect → ready (hellos exchanged)', (x) => x.readyMs, fmtMs),
      ],
    ),
    '- The hybrid ClientHello also carries a plain X25519 share (32 B) so a listener without the hybrid answers at once; the hybrid shares are ML-KEM-768 + X25519: 1,184 + 32 B from the client, 1,088 + 32 B from the server. Handshake bytes: every record of the handshake (the hellos, change_cipher_spec, and what the handshake keys encrypt: certificates, signatures, Finished). Times are loopback, both engines in this process: the ML-KEM work itself, plus the larger records.',
  ].join('\n');
}
