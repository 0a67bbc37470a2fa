/**
 * Pairing by code, at the messenger level: the listener shows a code good for one attempt; the
 * dialer connects without a pin and runs CPace (pairing-channel.ts); on success both sides pin
 * the key presented on that very connection, mark it verified, resolve any pending key change to
 * it, and the connection goes on as an ordinary session.
 */
import type { EventInput } from '../../../shared/events';
import { LockstepError } from '../errors';
import type { Identity } from '../identity/identity';
import { formatAddress, type HostPort, parseAddress } from '../net/address';
import { claimedName, type SecuredPeer } from '../net/peer-check';
import { runPairing } from '../pairing/pairing-channel';
import { generatePairingCode, normalizePairingCode } from '../pairing/pairing-code';
import type { Contact, ContactStore } from '../store/contacts';
import type { KeyChanges } from '../trust/key-changes';
import type { Sessions } from './sessions';

export interface PairingFlowDeps {
  identity: () => Identity;
  contacts: ContactStore;
  keyChanges: KeyChanges;
  sessions: Sessions;
  emit: (event: EventInput) => void;
  /** Dial without a pin: pairing decides trust instead. */
  dialUnpinned: (target: HostPort) => Promise<SecuredPeer>;
  contactChanged: (contactId: string, change: 'added' | 'updated') => void;
}

export class PairingFlow {
  /** The code this listener accepts for its next (single) pairing attempt. */
  private code: string | null = null;

  constructor(private readonly deps: PairingFlowDeps) {}

  /** Returns the code in its canonical form; a new one is made when none is given. */
  start(code?: string): string {
    this.code = code ? normalizePairingCode(code) : generatePairingCode();
    return this.code;
  }

  stop(): void {
    this.code = null;
  }

  get activeCode(): string | null {
    return this.code;
  }

  /** A listener with a code active takes an unknown dialer into pairing. Returns false otherwise. */
  admit(peer: SecuredPeer): boolean {
    if (!this.code || this.deps.contacts.byPin(peer.pin)) return false;
    void this.pairIncoming(peer);
    return true;
  }

  async pairWith(address: string, code: string): Promise<Contact> {
    const canonical = normalizePairingCode(code); // a typo fails here, before any traffic
    const target = parseAddress(address);
    const peer = await this.deps.dialUnpinned(target);
    const outcome = await runPairing({ peer, role: 'dialer', code: canonical, ownPin: this.deps.identity().pin, emit: this.deps.emit });
    if (!outcome.ok) {
      this.drop(peer, outcome.reason);
      throw new LockstepError('PAIRING_FAILED', 'Pairing failed: the codes differ, or the connection is not direct. Nothing was pinned; make a new code and try again.');
    }
    const contact = this.pin(peer, formatAddress(target));
    this.deps.sessions.attach(contact.id, peer, this.deps.identity().name, true, outcome.leftover);
    return contact;
  }

  private async pairIncoming(peer: SecuredPeer): Promise<void> {
    const code = this.code!;
    this.code = null; // one attempt per code: what limits a guesser to a single guess
    const outcome = await runPairing({ peer, role: 'listener', code, ownPin: this.deps.identity().pin, emit: this.deps.emit });
    if (!outcome.ok) return this.drop(peer, outcome.reason);
    const contact = this.pin(peer, null);
    this.deps.sessions.attach(contact.id, peer, this.deps.identity().name, true, outcome.leftover);
  }

  /** Pin the key that passed pairing: resolves a pending key change to it, else adds or updates a contact. */
  private pin(peer: SecuredPeer, address: string | null): Contact {
    this.deps.keyChanges.resolveByPairing(peer.pin);
    const name = claimedName(peer.certificate);
    const namesake = this.deps.contacts.byName(name);
    const label = namesake && namesake.pin !== peer.pin ? `${name} (new key — not the ${namesake.name} you know)` : name;
    const { contact, created } = this.deps.contacts.add({ name: label, pin: peer.pin, address, verified: true });
    this.deps.contacts.setVerified(contact.id, true);
    this.deps.emit({
      conn: peer.conn,
      dir: 'local',
      layer: 'trust',
      kind: 'trust.decision',
      summary: `Paired by code with ${contact.name}: the key is pinned and marked verified.`,
      detail: { requestId: null, pin: peer.pin, decision: 'trusted', contactId: contact.id },
    });
    this.deps.contactChanged(contact.id, created ? 'added' : 'updated');
    return this.deps.contacts.byId(contact.id) ?? contact;
  }

  private drop(peer: SecuredPeer, reason: string): void {
    // Give the PAIRING_FAILED frame a moment to leave, then make sure the socket is gone.
    peer.socket.end();
    setTimeout(() => peer.socket.destroy(), 500).unref();
    this.deps.sessions.emitClosed(peer.conn, null, { by: 'local', code: 'PAIRING_FAILED', reason: `pairing failed (${reason})` });
  }
}
