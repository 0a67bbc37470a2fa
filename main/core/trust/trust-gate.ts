/**
 * The listener's trust decision for a dialer that passed the TLS handshake. A known pin is let
 * in; an unknown one is refused, trusted on first use (`accept`), or held — socket open, nothing
 * read — until the user decides (`ask`). A newcomer claiming a known contact's name is never
 * merged into that contact: it is flagged as a possible impersonation.
 */
import { randomUUID } from 'node:crypto';

import type { EventInput } from '../../../shared/events';
import type { RequestView } from '../../../shared/views';
import { claimedName, type SecuredPeer } from '../net/peer-check';
import type { Contact, ContactStore } from '../store/contacts';
import { humanFingerprint, safetyNumber } from './pins';

export type UnknownPeerPolicy = 'refuse' | 'ask' | 'accept';

export type Verdict = { kind: 'trusted'; contact: Contact } | { kind: 'refused'; code: string; reason: string };

interface Pending {
  view: RequestView;
  peer: SecuredPeer;
  settle: (verdict: Verdict) => void;
}

export interface TrustGateOptions {
  contacts: ContactStore;
  ownPin: () => string;
  policy: UnknownPeerPolicy;
  emit: (event: EventInput) => void;
  /** A held newcomer claims a known contact's name: it may be that contact with a new key. */
  onNamesake?: (peer: SecuredPeer, namesake: Contact, requestId: string) => void;
}

export class TrustGate {
  private readonly pending = new Map<string, Pending>();

  constructor(private readonly opts: TrustGateOptions) {}

  requests(): RequestView[] {
    return [...this.pending.values()].map((p) => p.view);
  }

  judge(peer: SecuredPeer): Promise<Verdict> {
    const known = this.opts.contacts.byPin(peer.pin);
    // A pin found only in a row that fails its integrity check proves nothing: refused, never trusted.
    if (known?.damaged) return Promise.resolve({ kind: 'refused', code: 'CONTACT_DAMAGED', reason: 'this key is stored for a contact whose trust data was changed outside Lockstep' });
    this.emitCheck(peer, known);
    if (known) return Promise.resolve({ kind: 'trusted', contact: known });
    const name = claimedName(peer.certificate);
    const namesake = this.opts.contacts.byName(name);
    if (this.opts.policy === 'accept') return Promise.resolve(this.admit(peer, name, namesake, null, 'auto-trusted'));
    if (this.opts.policy === 'refuse') {
      return Promise.resolve({ kind: 'refused', code: 'UNTRUSTED_PEER', reason: 'an unknown key knocked and this peer only accepts pinned contacts' });
    }
    return this.hold(peer, name, namesake);
  }

  /** Let a held connection in as an existing contact (its key was re-verified meanwhile). */
  admitAs(requestId: string, contact: Contact): boolean {
    const p = this.pending.get(requestId);
    if (!p || p.peer.pin !== contact.pin) return false;
    this.pending.delete(requestId);
    this.emitDecision(requestId, p.peer, 'trusted', contact.id);
    p.settle({ kind: 'trusted', contact });
    return true;
  }

  decide(requestId: string, decision: 'trust' | 'reject'): Contact | null {
    const p = this.pending.get(requestId);
    if (!p) return null;
    this.pending.delete(requestId);
    if (decision === 'reject') {
      this.emitDecision(requestId, p.peer, 'rejected', null);
      p.settle({ kind: 'refused', code: 'UNTRUSTED_PEER', reason: 'the user rejected this key' });
      return null;
    }
    const verdict = this.admit(p.peer, p.view.claimedName, this.opts.contacts.byName(p.view.claimedName), requestId, 'trusted');
    p.settle(verdict);
    return verdict.kind === 'trusted' ? verdict.contact : null;
  }

  private hold(peer: SecuredPeer, name: string, namesake: Contact | null): Promise<Verdict> {
    const id = randomUUID();
    const claimsKnownName = namesake !== null;
    const view: RequestView = {
      id,
      claimedName: name,
      pin: peer.pin,
      fingerprint: humanFingerprint(peer.pin),
      safetyNumber: safetyNumber(this.opts.ownPin(), peer.pin),
      remoteAddress: peer.remote,
      at: new Date().toISOString(),
      claimsKnownName,
      connId: peer.conn,
    };
    this.opts.emit({
      conn: peer.conn,
      dir: 'local',
      layer: 'trust',
      kind: 'trust.pending',
      summary: claimsKnownName
        ? `WARNING: a new key claims to be "${name}", a contact you already know by another key — possible impersonation. Waiting for your decision; nothing is read meanwhile.`
        : `"${name}" (a key you have not pinned) wants to talk. Compare the safety number, then trust or reject; nothing is read meanwhile.`,
      detail: { requestId: id, pin: peer.pin, claimedName: name, claimsKnownName },
    });
    return new Promise((resolve) => {
      this.pending.set(id, { view, peer, settle: resolve });
      if (namesake) this.opts.onNamesake?.(peer, namesake, id);
      peer.socket.once('close', () => {
        if (this.pending.delete(id)) resolve({ kind: 'refused', code: 'CONNECTION_CLOSED', reason: 'the peer left before a decision' });
      });
    });
  }

  private admit(peer: SecuredPeer, name: string, namesake: Contact | null, requestId: string | null, how: 'trusted' | 'auto-trusted'): Verdict {
    const label = namesake ? `${name} (new key — not the ${namesake.name} you know)` : name;
    const { contact } = this.opts.contacts.add({ name: label, pin: peer.pin, address: null });
    this.emitDecision(requestId, peer, how, contact.id);
    return { kind: 'trusted', contact };
  }

  private emitCheck(peer: SecuredPeer, known: Contact | null): void {
    this.opts.emit({
      conn: peer.conn,
      dir: 'local',
      layer: 'trust',
      kind: 'trust.check',
      summary: known
        ? `Pin check passed: the key presented is the one pinned for ${known.name} ✓`
        : 'Pin check: this key is not pinned for any contact.',
      detail: {
        role: 'listener',
        expected: known?.pin ?? null,
        presented: peer.pin,
        verdict: known ? 'match' : 'unknown',
        contactId: known?.id ?? null,
        contactName: known?.name ?? null,
      },
    });
  }

  private emitDecision(requestId: string | null, peer: SecuredPeer, decision: 'trusted' | 'rejected' | 'auto-trusted', contactId: string | null): void {
    const words = { trusted: 'You trusted this key: it is now pinned.', rejected: 'You rejected this key: the connection is closed.', 'auto-trusted': 'Trusted on first use (--accept-new): the key is now pinned.' };
    this.opts.emit({
      conn: peer.conn,
      dir: 'local',
      layer: 'trust',
      kind: 'trust.decision',
      summary: words[decision],
      detail: { requestId, pin: peer.pin, decision, contactId },
    });
  }
}
