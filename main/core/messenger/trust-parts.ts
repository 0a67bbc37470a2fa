/**
 * The parts of the messenger that decide who gets in, wired together with the caps and deadlines
 * in force: the trust gate (held requests), key changes, pairing by code, the listener's
 * admission of a secured dialer, and the one summary of every newcomer a cap turned away.
 */
import type { EventInput } from '../../../shared/events';
import type { ViewChanged } from '../events/view-changes';
import type { Identity } from '../identity/identity';
import type { HostPort } from '../net/address';
import type { SecuredPeer } from '../net/peer-check';
import type { ContactStore } from '../store/contacts';
import { KeyChanges } from '../trust/key-changes';
import { RefusalTally } from '../trust/refusal-tally';
import { Slots, SourceRate } from '../trust/slots';
import { TrustGate, type UnknownPeerPolicy } from '../trust/trust-gate';
import { Admission } from './admission';
import type { MessengerLimits, MessengerTimeouts } from './options';
import { PairingFlow } from './pairing-flow';
import type { Sessions } from './sessions';

export interface TrustParts {
  tally: RefusalTally;
  /** Seats for connections in handshake, and how fast one address may open them (the listener's). */
  handshakes: Slots;
  accepts: SourceRate;
  gate: TrustGate;
  keyChanges: KeyChanges;
  pairing: PairingFlow;
  admission: Admission;
}

export interface TrustPartsDeps {
  policy: UnknownPeerPolicy;
  timeouts: Required<MessengerTimeouts>;
  limits: Required<MessengerLimits>;
  contacts: ContactStore;
  sessions: Sessions;
  identity: () => Identity;
  emit: (event: EventInput) => void;
  dialUnpinned: (target: HostPort) => Promise<SecuredPeer>;
  contactChanged: (contactId: string, change: 'added' | 'updated') => void;
  changed: ViewChanged;
  /** Whether the runtime can export TLS keying material, which pairing by code is bound to. */
  exporter: boolean;
}

export function buildTrustParts(d: TrustPartsDeps): TrustParts {
  const { limits, timeouts } = d;
  const tally = new RefusalTally({ emit: d.emit, summaryMs: limits.refusalSummaryMs });
  const onCapped = tally.count.bind(tally);
  const keyChanges = new KeyChanges({
    contacts: d.contacts,
    ownPin: () => d.identity().pin,
    emit: d.emit,
    changed: d.changed,
    maxPending: limits.maxKeyChanges,
    lifetimeMs: timeouts.keyChangeMs,
    onCapped,
  });
  const gate = new TrustGate({
    contacts: d.contacts,
    ownPin: () => d.identity().pin,
    policy: d.policy,
    emit: d.emit,
    changed: d.changed,
    requests: new Slots(limits.maxRequests, limits.maxRequestsPerAddress),
    requestMs: timeouts.requestMs,
    onCapped,
    onNamesake: (peer, namesake, requestId) =>
      void keyChanges.detect({ contact: namesake, newPin: peer.pin, side: 'listener', remoteAddress: peer.remote, conn: peer.conn, requestId }),
    onRequestEnded: (requestId) => keyChanges.endRequest(requestId),
  });
  const pairing = new PairingFlow({
    identity: d.identity,
    contacts: d.contacts,
    keyChanges,
    sessions: d.sessions,
    emit: d.emit,
    dialUnpinned: d.dialUnpinned,
    contactChanged: d.contactChanged,
    firstFrameMs: timeouts.listenerHelloMs,
    failuresAllowed: limits.pairingFailures,
    windowMs: limits.pairingWindowMs,
    onCapped,
    exporter: d.exporter,
  });
  const admission = new Admission({
    gate,
    pairing,
    sessions: d.sessions,
    localName: () => d.identity().name,
    localPin: () => d.identity().pin,
    firstFrames: new Slots(limits.maxHandshakes, limits.maxHandshakesPerAddress),
    onCapped,
  });
  const handshakes = new Slots(limits.maxHandshakes, limits.maxHandshakesPerAddress);
  return { tally, handshakes, accepts: new SourceRate(limits.acceptsPerAddressPerMinute), gate, keyChanges, pairing, admission };
}
