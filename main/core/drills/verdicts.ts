/**
 * A drill's outcome as a peer sees it, in words. Pure: one of the peer's own events in, a
 * `drill.verdict` out (or null when the event says nothing about a drill). The same events
 * happen without a drill — a real attacker on the wire causes exactly these — so each verdict
 * says what was refused and why, never that a drill was running.
 *
 * Each verdict is decided by typed fields (`unopened`, `replayOf`, `failure`, `verdict`, `code`),
 * never by reading a summary or an error message:
 *   tls.record in, tag failed           → tamper (or replay, when the record is an exact copy)
 *   tls.error, bad_record_mac alert in  → tamper, from the sender's side
 *   trust.check mismatch (dialer)       → impostor
 *   conn.closed UNTRUSTED_PEER          → impostor, from the listener's side
 *   tls.error, protocol version         → downgrade
 */
import type { EventInput, LockstepEvent } from '../../../shared/events';

type Verdict = Extract<EventInput, { kind: 'drill.verdict' }>;
type AnyEvent = LockstepEvent | EventInput;

export function verdictFor(e: AnyEvent): Verdict | null {
  switch (e.kind) {
    case 'tls.record': {
      if (e.dir !== 'in' || e.detail.unopened !== 'tag-mismatch') return null;
      return e.detail.replayOf !== undefined
        ? verdict(e, 'replay', `Record #${e.detail.index} was an exact copy of record #${e.detail.replayOf}: a replay. Its sequence number was already used, so it failed the integrity check (bad_record_mac); TLS dropped the connection and the copy was never shown. The original was delivered once.`)
        : verdict(e, 'tamper', `Record #${e.detail.index} arrived altered: its authentication tag did not verify (bad_record_mac). TLS rejected it and dropped the connection; nothing from it was shown, and the sender resends on a new connection.`);
    }
    case 'tls.error': {
      if (e.dir !== 'local') return null;
      // The peer's bad_record_mac alert (`alert` set): this side's record was changed on the way.
      if (e.detail.failure === 'bad-record-mac' && e.detail.alert !== null) {
        return verdict(e, 'tamper', 'The other side rejected a record from this side: it failed the integrity check on arrival (bad_record_mac), so it was changed or replayed on the way. The connection was dropped; messages not yet acknowledged are resent on the next one.');
      }
      if (e.detail.failure === 'protocol-version') {
        return verdict(e, 'downgrade', 'A peer offered only an older TLS version and was refused (protocol_version): Lockstep speaks TLS 1.3 only, so a connection cannot be pushed down to a weaker version.');
      }
      return null;
    }
    case 'trust.check': {
      if (e.detail.verdict !== 'mismatch') return null;
      const who = e.detail.contactName || 'the contact';
      return verdict(e, 'impostor', `The key presented is not the one pinned for ${who} (expected ${e.detail.expected}, presented ${e.detail.presented}): this is not ${who}. Refused before any message was sent.`);
    }
    case 'conn.closed': {
      if (e.detail.code !== 'UNTRUSTED_PEER') return null;
      return verdict(e, 'impostor', 'A key that is not pinned here tried to connect and was refused before a single message was read from it.');
    }
    default:
      return null;
  }
}

function verdict(e: AnyEvent, drill: Verdict['detail']['drill'], reason: string): Verdict {
  return { conn: e.conn, dir: 'local', layer: 'drill', kind: 'drill.verdict', summary: reason, detail: { drill, outcome: 'defeated', reason } };
}
