import type { EventDetails, LockstepEvent } from '../../shared/events';
import type { ContactView } from '../../shared/views';
import { cipherLabel, protocolLabel } from './format';

export interface ConnectionFacts {
  secure: EventDetails['tls.secure'] | null;
  trust: EventDetails['trust.check'] | null;
  decision: EventDetails['trust.decision'] | null;
}

/** The latest handshake result, pin check and trust decision seen on one connection. */
export function connectionFacts(events: readonly LockstepEvent[], conn: string | null): ConnectionFacts {
  const facts: ConnectionFacts = { secure: null, trust: null, decision: null };
  if (!conn) return facts;
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    if (event.conn !== conn) continue;
    if (event.kind === 'tls.secure') facts.secure ??= event.detail;
    else if (event.kind === 'trust.check') facts.trust ??= event.detail;
    else if (event.kind === 'trust.decision') facts.decision ??= event.detail;
    if (facts.secure && facts.trust && facts.decision) break;
  }
  return facts;
}

/** The pin part of the lock badge: what the pin check concluded, in a few words. */
export function pinLabel(facts: ConnectionFacts): string {
  if (facts.trust?.verdict === 'mismatch') return 'pin mismatch ✗';
  if (facts.trust?.verdict === 'match') return 'pinned ✓';
  if (facts.decision && facts.decision.decision !== 'rejected') return 'pinned on first contact ✓';
  if (facts.trust?.verdict === 'unknown') return 'new key, not trusted yet';
  if (facts.trust?.verdict === 'no-certificate') return 'no certificate ✗';
  return 'pin not checked yet';
}

/** "TLS 1.3 · AES-256-GCM · pinned ✓", or null before the handshake has finished. */
export function lockLabel(facts: ConnectionFacts): string | null {
  if (!facts.secure) return null;
  return `${protocolLabel(facts.secure.protocol)} · ${cipherLabel(facts.secure.cipherStandardName)} · ${pinLabel(facts)}`;
}

function contactIdOf(event: LockstepEvent): string | null {
  switch (event.kind) {
    case 'trust.check':
    case 'trust.decision':
    case 'conn.ready':
    case 'conn.closed':
    case 'message.sent':
    case 'message.received':
    case 'message.delivered':
      return event.detail.contactId;
    default:
      return null;
  }
}

/** Every connection of a contact the kept events mention, oldest first, ending with its current one. */
export function connectionsOf(events: readonly LockstepEvent[], contact: Pick<ContactView, 'id' | 'connId'>): string[] {
  const seen = new Set<string>();
  for (const event of events) {
    if (event.conn && !seen.has(event.conn) && contactIdOf(event) === contact.id) seen.add(event.conn);
  }
  if (contact.connId) {
    seen.delete(contact.connId);
    seen.add(contact.connId);
  }
  return [...seen];
}

/** The connection state in words, as the chat header shows it. */
export function stateWords(contact: Pick<ContactView, 'state' | 'lastClose'>): string {
  switch (contact.state) {
    case 'offline':
      return 'Offline';
    case 'connecting':
      return 'Connecting…';
    case 'securing':
      return 'Securing the connection (TLS handshake)…';
    case 'waiting':
      return 'Waiting for the other side to accept';
    case 'ready':
      return 'Secure';
    case 'closed':
      return contact.lastClose ? `Closed: ${contact.lastClose}` : 'Closed';
  }
}
