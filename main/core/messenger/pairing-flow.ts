/**
 * Pairing by code, at the messenger level: the listener shows a code good for one attempt; the
 * dialer connects without a pin and runs CPace (pairing-channel.ts); on success both sides pin
 * the key presented on that very connection, mark it verified, and the connection goes on as an
 * ordinary session.
 *
 * Who a pairing may change: one started from "Pair with a code" only ever adds a new contact or
 * updates the contact whose pin it already is; only one started from a contact's key-change card
 * (it carries that change's id) re-pins that contact. Who may spend the code: only a dialer whose
 * first frame is a valid `pair` (PROTOCOL.md §6.2). And failed attempts are rate-limited: past
 * the allowance no new code is given out until the window has passed.
 */
import type { EventInput } from '../../../shared/events';
import { LockstepError } from '../errors';
import type { Identity } from '../identity/identity';
import { formatAddress, type HostPort, parseAddress } from '../net/address';
import { claimedName, type SecuredPeer } from '../net/peer-check';
import { type FirstFrame, readFirstFrame } from '../pairing/first-frame';
import { runPairing } from '../pairing/pairing-channel';
import { generatePairingCode, normalizePairingCode } from '../pairing/pairing-code';
import type { Contact, ContactStore } from '../store/contacts';
import type { KeyChanges, PairingAim } from '../trust/key-changes';
import type { RefusalCode } from '../trust/refusal-tally';
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
  /** How long a listener waits for an unknown dialer's first frame. */
  firstFrameMs: number;
  /** Failed attempts allowed within `windowMs` before no new code is given out. */
  failuresAllowed: number;
  windowMs: number;
  onCapped: (code: RefusalCode) => void;
  /** Whether the runtime can export TLS keying material (runtime-features.ts); without it no pairing. */
  exporter: boolean;
}

/** Where the aim of a pairing comes from: the id of the key change whose card started it. */
export interface PairingTarget {
  keyChangeId?: string;
}

export class PairingFlow {
  /** The code this listener accepts for its next (single) pairing attempt, and what it is aimed at. */
  private code: string | null = null;
  private aim: PairingAim | null = null;
  private failures: number[] = [];

  constructor(private readonly deps: PairingFlowDeps) {}

  /** Returns the code in its canonical form; a new one is made when none is given. */
  start(code?: string, target: PairingTarget = {}): string {
    this.checkExporter();
    this.checkRate();
    const aim = target.keyChangeId ? this.deps.keyChanges.aim(target.keyChangeId) : null;
    this.code = code ? normalizePairingCode(code) : generatePairingCode();
    this.aim = aim;
    return this.code;
  }

  stop(): void {
    this.code = null;
    this.aim = null;
  }

  get activeCode(): string | null {
    return this.code;
  }

  /** Whether an unknown dialer must first show its first frame (a code is active). */
  wantsFirstFrame(peer: SecuredPeer): boolean {
    return this.code !== null && !this.deps.contacts.byPin(peer.pin);
  }

  /** The first frame of an unknown dialer, read while a code is active (see first-frame.ts). */
  firstFrame(peer: SecuredPeer): Promise<FirstFrame> {
    return readFirstFrame(peer.socket, this.deps.firstFrameMs);
  }

  /** A dialer whose first frame was a valid `pair`: it spends the code, if one is still active. */
  pairIncoming(peer: SecuredPeer, initialBytes: Buffer): boolean {
    const code = this.code;
    const aim = this.aim;
    if (!code) return false;
    this.code = null; // one attempt per code: what limits a guesser to a single guess
    this.aim = null;
    void this.runIncoming(peer, code, aim, initialBytes);
    return true;
  }

  async pairWith(address: string, code: string, target: PairingTarget = {}): Promise<Contact> {
    this.checkExporter();
    const canonical = normalizePairingCode(code); // a typo fails here, before any traffic
    const aim = target.keyChangeId ? this.deps.keyChanges.aim(target.keyChangeId) : null;
    const dialed = parseAddress(address);
    const peer = await this.deps.dialUnpinned(dialed);
    const outcome = await runPairing({ peer, role: 'dialer', code: canonical, ownPin: this.deps.identity().pin, emit: this.deps.emit });
    if (!outcome.ok) {
      this.drop(peer, 'PAIRING_FAILED', outcome.reason);
      throw new LockstepError('PAIRING_FAILED', 'Pairing failed: the codes differ, or the connection is not direct. Nothing was pinned; make a new code and try again.');
    }
    let contact: Contact;
    try {
      contact = this.pin(peer, formatAddress(dialed), aim);
    } catch (err) {
      this.drop(peer, (err as LockstepError).code ?? 'INTERNAL', (err as Error).message);
      throw err;
    }
    this.deps.sessions.attach(contact.id, peer, this.deps.identity().name, true, outcome.leftover);
    return contact;
  }

  private async runIncoming(peer: SecuredPeer, code: string, aim: PairingAim | null, initialBytes: Buffer): Promise<void> {
    const outcome = await runPairing({ peer, role: 'listener', code, ownPin: this.deps.identity().pin, emit: this.deps.emit, initialBytes });
    if (!outcome.ok) {
      this.failures.push(Date.now());
      return this.drop(peer, 'PAIRING_FAILED', outcome.reason);
    }
    let contact: Contact;
    try {
      contact = this.pin(peer, null, aim);
    } catch (err) {
      return this.drop(peer, (err as LockstepError).code ?? 'INTERNAL', (err as Error).message);
    }
    this.deps.sessions.attach(contact.id, peer, this.deps.identity().name, true, outcome.leftover);
  }

  /**
   * CPace's sid is the TLS exporter value of this very connection: what makes a relay (two TLS
   * connections, two values) fail. Without an exporter there is no binding, so no pairing at all
   * (fail closed), before any code is shown or any traffic moves.
   */
  private checkExporter(): void {
    if (this.deps.exporter) return;
    throw new LockstepError(
      'PAIRING_UNAVAILABLE',
      'This runtime cannot export TLS keying material, which binds a pairing to its connection: pairing by code is off. Add the contact by invite and compare the safety number instead.',
    );
  }

  /** Past the allowance of failed attempts, no new code until the oldest of them leaves the window. */
  private checkRate(): void {
    const now = Date.now();
    this.failures = this.failures.filter((t) => now - t < this.deps.windowMs);
    if (this.failures.length < this.deps.failuresAllowed) return;
    const wait = Math.ceil((this.failures[0]! + this.deps.windowMs - now) / 1000);
    this.deps.onCapped('PAIRING_RATE_LIMITED');
    throw new LockstepError(
      'PAIRING_RATE_LIMITED',
      `${this.failures.length} pairing attempts failed in the last ${Math.round(this.deps.windowMs / 60_000)} minutes: someone may be guessing codes. A new code can be made in ${wait} s.`,
    );
  }

  /**
   * Pin the key that passed pairing. Aimed at a key change: that change's contact takes this key.
   * Otherwise: a new contact, or the contact whose pin this already is — never anyone else.
   */
  private pin(peer: SecuredPeer, address: string | null, aim: PairingAim | null): Contact {
    let contact: Contact;
    let created = false;
    if (aim) {
      this.deps.keyChanges.resolveByPairing(aim, peer.pin);
      if (address) this.deps.contacts.setAddress(aim.contactId, address);
      contact = this.deps.contacts.byId(aim.contactId)!;
    } else {
      const name = claimedName(peer.certificate);
      const namesake = this.deps.contacts.byName(name);
      const label = namesake && namesake.pin !== peer.pin ? `${name} (new key — not the ${namesake.name} you know)` : name;
      ({ contact, created } = this.deps.contacts.add({ name: label, pin: peer.pin, address, verified: true }));
      this.deps.contacts.setVerified(contact.id, true);
    }
    this.deps.emit({
      conn: peer.conn,
      dir: 'local',
      layer: 'trust',
      kind: 'trust.decision',
      summary: aim
        ? `Paired again by code with ${aim.contactName}: this key is now pinned for ${aim.contactName} and marked verified.`
        : `Paired by code with ${contact.name}: the key is pinned and marked verified.`,
      detail: { requestId: null, pin: peer.pin, decision: 'trusted', contactId: contact.id },
    });
    this.deps.contactChanged(contact.id, created ? 'added' : 'updated');
    return this.deps.contacts.byId(contact.id) ?? contact;
  }

  private drop(peer: SecuredPeer, code: string, reason: string): void {
    // Give the PAIRING_FAILED frame a moment to leave, then make sure the socket is gone.
    peer.socket.end();
    setTimeout(() => peer.socket.destroy(), 500).unref();
    this.deps.sessions.emitClosed(peer.conn, null, { by: 'local', code, reason: code === 'PAIRING_FAILED' ? `pairing failed (${reason})` : reason }, peer.connection);
  }
}
