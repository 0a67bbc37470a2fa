/**
 * The classical comparison side by side: the hybrid handshake (X25519MLKEM768) and the one made
 * with X25519 alone, as the engine measured them (drill `classical`): hello sizes, handshake time,
 * and the verdict on a recording of each.
 */
import type { EventBase, HandshakeFacts, LockstepEvent } from '../../shared/events';
import { formatMs } from './format';
import { recordingVerdict } from './key-exchange-words';
import type { Detail } from './step-details';

export interface ComparisonRow {
  label: string;
  hybrid: string;
  classical: string;
}

const size = (n: number) => `${n.toLocaleString('en-US')} bytes`;

export function comparisonRows(hybrid: HandshakeFacts | null, classical: HandshakeFacts): ComparisonRow[] {
  const h = (f: (x: HandshakeFacts) => string) => (hybrid ? f(hybrid) : '(not seen)');
  return [
    { label: 'Group', hybrid: h((x) => x.group ?? '?'), classical: classical.group ?? '?' },
    { label: 'ClientHello', hybrid: h((x) => size(x.clientHelloBytes)), classical: size(classical.clientHelloBytes) },
    { label: 'ServerHello', hybrid: h((x) => size(x.serverHelloBytes)), classical: size(classical.serverHelloBytes) },
    { label: 'Handshake time', hybrid: h((x) => formatMs(x.handshakeMs)), classical: formatMs(classical.handshakeMs) },
    { label: 'A recording, later', hybrid: h((x) => recordingVerdict(x.group).text), classical: recordingVerdict(classical.group).text },
  ];
}

export function comparisonDetails(hybrid: HandshakeFacts | null, classical: HandshakeFacts): Detail[] {
  return comparisonRows(hybrid, classical).map((r) => ({ label: r.label, value: `hybrid: ${r.hybrid} · classical: ${r.classical}` }));
}

export type ComparisonEvent = EventBase<'drill.verdict'> & { detail: { comparison: NonNullable<EventBase<'drill.verdict'>['detail']['comparison']> } };

/** The newest classical comparison in the stream (on one of `conns`, when given). */
export function latestComparison(events: readonly LockstepEvent[], conns: ReadonlySet<string> | null = null): ComparisonEvent | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i]!;
    if (e.kind !== 'drill.verdict' || !e.detail.comparison) continue;
    if (conns && (e.conn === null || !conns.has(e.conn))) continue;
    return e as ComparisonEvent;
  }
  return null;
}
