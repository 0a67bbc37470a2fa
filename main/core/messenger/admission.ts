/**
 * What the listener does with a dialer that finished its TLS handshake: a known pin is let in; an
 * unknown one, while a pairing code shows, must first show its first frame (only a valid `pair`
 * may spend the code); then the trust gate decides (refuse, trust on first use, or hold for the
 * user). Every refusal closes the socket and says why with its code.
 */
import type { SecuredPeer } from '../net/peer-check';
import type { RefusalCode } from '../trust/refusal-tally';
import type { Slots } from '../trust/slots';
import type { TrustGate } from '../trust/trust-gate';
import type { PairingFlow } from './pairing-flow';
import type { Sessions } from './sessions';

export interface AdmissionDeps {
  gate: TrustGate;
  pairing: PairingFlow;
  sessions: Sessions;
  localName: () => string;
  localPin: () => string;
  /** Seats for unknown dialers whose first frame is being awaited. */
  firstFrames: Slots;
  onCapped: (code: RefusalCode) => void;
}

export class Admission {
  constructor(private readonly deps: AdmissionDeps) {}

  async admit(peer: SecuredPeer): Promise<void> {
    const { pairing, gate, sessions } = this.deps;
    let early: Buffer | undefined;
    if (pairing.wantsFirstFrame(peer)) {
      const seat = this.deps.firstFrames.take(peer.source);
      if (!seat) {
        this.deps.onCapped('TOO_MANY_CONNECTIONS');
        return this.refuse(peer, 'TOO_MANY_CONNECTIONS', 'too many unknown dialers are already being looked at');
      }
      const first = await pairing.firstFrame(peer);
      seat();
      if (first.kind === 'closed') return this.refuse(peer, 'CONNECTION_CLOSED', 'the peer left before sending anything');
      if (first.kind === 'silent') return this.refuse(peer, 'HELLO_TIMEOUT', 'the dialer sent no first frame in time');
      if (first.kind === 'pair') {
        if (pairing.pairIncoming(peer, first.bytes)) return;
        return this.refuse(peer, 'PAIRING_FAILED', 'a pairing attempt came when no code was active any more');
      }
      early = first.bytes;
    }
    const verdict = await gate.judge(peer);
    if (verdict.kind === 'refused') return this.refuse(peer, verdict.code, verdict.reason);
    sessions.attach(verdict.contact.id, peer, this.deps.localName(), peer.pin < this.deps.localPin(), early);
  }

  private refuse(peer: SecuredPeer, code: string, reason: string): void {
    // What the stranger sent so far is reported (held, never shown) before it is refused for good.
    peer.connection.observer?.drain();
    peer.connection.disclosure.refuse();
    peer.socket.destroy();
    this.deps.sessions.emitClosed(peer.conn, null, { by: 'local', code, reason });
  }
}
