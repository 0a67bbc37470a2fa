/**
 * The classical comparison: the next connection to one contact offers X25519 alone, so the room
 * can put it beside the hybrid one (X25519MLKEM768) it had before: hello sizes, handshake time,
 * and what a recording of each is worth to a future quantum computer. When that connection's pin
 * check passes, one `drill.verdict` (drill `classical`, outcome `observed`) carries both
 * handshakes as typed facts; later connections offer the full list again.
 */
import type { EventDetails, EventInput, HandshakeFacts, LockstepEvent } from '../../../shared/events';
import type { GroupName } from '../net/key-exchange-groups';

export const CLASSICAL_OFFER: readonly GroupName[] = ['X25519'];

type Secure = EventDetails['tls.secure'];

function factsOf(conn: string, s: Secure): HandshakeFacts {
  return {
    conn,
    group: s.group,
    postQuantum: s.keyExchange?.postQuantum ?? false,
    clientHelloBytes: s.keyExchange?.clientHelloBytes ?? 0,
    serverHelloBytes: s.keyExchange?.serverHelloBytes ?? 0,
    handshakeMs: s.handshakeMs,
  };
}

const kb = (n: number) => `${n.toLocaleString('en-US')} bytes`;

export function comparisonSentence(hybrid: HandshakeFacts | null, classical: HandshakeFacts): string {
  const now = `Classical-only handshake (${classical.group ?? 'group not reported'}): ClientHello ${kb(classical.clientHelloBytes)}, ServerHello ${kb(classical.serverHelloBytes)}, ${classical.handshakeMs} ms.`;
  const before = hybrid
    ? ` The hybrid one before it (${hybrid.group}): ClientHello ${kb(hybrid.clientHelloBytes)}, ServerHello ${kb(hybrid.serverHelloBytes)}, ${hybrid.handshakeMs} ms.`
    : ' No hybrid handshake with this contact was seen before it to compare with.';
  return `${now}${before} A recording of this connection could be decrypted later by a quantum computer large enough to break X25519 (harvest now, decrypt later); a recording of the hybrid one stays secret unless ML-KEM-768 and X25519 both fall. The next connection offers the hybrid again.`;
}

export class ClassicalComparison {
  /** Contacts whose next dial offers X25519 alone. */
  private readonly armed = new Set<string>();
  /** Contacts dialled with the classical offer, waiting for that connection's pin check. */
  private readonly dialing = new Set<string>();
  private readonly secures = new Map<string, Secure>();
  private readonly lastHybrid = new Map<string, HandshakeFacts>();

  constructor(private readonly emit: (event: EventInput) => void) {}

  arm(contactId: string): void {
    this.armed.add(contactId);
  }

  /** The offer for this dial of the contact: X25519 alone once after `arm`, else null (the default). */
  takeOffer(contactId: string): readonly GroupName[] | null {
    if (!this.armed.delete(contactId)) return null;
    this.dialing.add(contactId);
    return CLASSICAL_OFFER;
  }

  observe(e: LockstepEvent): void {
    if (!e.conn) return;
    if (e.kind === 'tls.secure' && e.detail.role === 'dialer') this.secures.set(e.conn, e.detail);
    if (e.kind === 'conn.closed') this.secures.delete(e.conn);
    if (e.kind !== 'trust.check' || e.detail.role !== 'dialer' || e.detail.verdict !== 'match' || !e.detail.contactId) return;
    const secure = this.secures.get(e.conn);
    if (!secure) return;
    const facts = factsOf(e.conn, secure);
    const contactId = e.detail.contactId;
    if (facts.postQuantum) this.lastHybrid.set(contactId, facts);
    else if (this.dialing.delete(contactId)) this.report(e.conn, this.lastHybrid.get(contactId) ?? null, facts);
  }

  private report(conn: string, hybrid: HandshakeFacts | null, classical: HandshakeFacts): void {
    const reason = comparisonSentence(hybrid, classical);
    this.emit({ conn, dir: 'local', layer: 'drill', kind: 'drill.verdict', summary: reason, detail: { drill: 'classical', outcome: 'observed', reason, comparison: { hybrid, classical } } });
  }
}
