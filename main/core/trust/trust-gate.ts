/**
 * The listener's trust decision for a dialer that passed the TLS handshake. A known pin is let
 * in; an unknown one is refused, trusted on first use (`accept`, or `accept-first` for the first
 * new key of this run only), or held — socket open, nothing read — until the user decides
 * (`ask`). A newcomer claiming a known contact's name is never merged into that contact: it is
 * flagged as a possible impersonation.
 *
 * Held requests are what a stranger can make this peer keep, so they are bounded: capped in all
 * and per source address (past a cap the newcomer is refused, never a contact), one per pin (the
 * newest connection takes over the request), expired after `requestMs`, with TCP keepalive on the
 * held socket so a peer that vanished without a FIN does not keep its seat.
 */
import { randomUUID } from 'node:crypto';

import type { EventInput } from '../../../shared/events';
import type { RequestView } from '../../../shared/views';
import type { ViewChanged } from '../events/view-changes';
import { claimedName, type SecuredPeer } from '../net/peer-check';
import type { Contact, ContactStore } from '../store/contacts';
import { humanFingerprint, safetyNumber } from './pins';
import type { RefusalCode } from './refusal-tally';
import type { Slots } from './slots';

export type UnknownPeerPolicy = 'refuse' | 'ask' | 'accept' | 'accept-first';

export type Verdict = { kind: 'trusted'; contact: Contact } | { kind: 'refused'; code: string; reason: string };

/** Probes on a held socket start after this much silence (the OS then probes and gives up by itself). */
const HELD_KEEPALIVE_MS = 15_000;

interface Pending {
  view: RequestView;
  peer: SecuredPeer;
  settle: (verdict: Verdict) => void;
  expiry: NodeJS.Timeout;
  seat: () => void;
}

export interface TrustGateOptions {
  contacts: ContactStore;
  ownPin: () => string;
  policy: UnknownPeerPolicy;
  emit: (event: EventInput) => void;
  /** The held requests, or the contacts (a key let in), changed. */
  changed: ViewChanged;
  /** Seats for held requests (in all and per source address). */
  requests: Slots;
  /** How long a request is held before it expires and its socket is closed. */
  requestMs: number;
  /** A newcomer was refused because a cap was full (counted in one summary). */
  onCapped: (code: RefusalCode) => void;
  /** A held newcomer claims a known contact's name: it may be that contact with a new key. */
  onNamesake?: (peer: SecuredPeer, namesake: Contact, requestId: string) => void;
  /** A request left the queue (decided, expired, closed): whatever hung on it ends too. */
  onRequestEnded?: (requestId: string) => void;
}

export class TrustGate {
  private readonly pending = new Map<string, Pending>();
  /** `accept-first`: the one new key this run trusts has been trusted. */
  private firstTrusted = false;

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
    const policy = this.opts.policy;
    if (policy === 'accept' || (policy === 'accept-first' && !this.firstTrusted)) {
      this.firstTrusted = true;
      return Promise.resolve(this.admit(peer, name, namesake, null, 'auto-trusted'));
    }
    if (policy === 'accept-first') {
      return Promise.resolve({ kind: 'refused', code: 'UNTRUSTED_PEER', reason: 'an unknown key knocked and this peer trusted only the first new key (--accept-first)' });
    }
    if (policy === 'refuse') {
      return Promise.resolve({ kind: 'refused', code: 'UNTRUSTED_PEER', reason: 'an unknown key knocked and this peer only accepts pinned contacts' });
    }
    return this.hold(peer, name, namesake);
  }

  /** Let a held connection in as an existing contact (its key was re-verified meanwhile). */
  admitAs(requestId: string, contact: Contact): boolean {
    const p = this.pending.get(requestId);
    if (!p || p.peer.pin !== contact.pin) return false;
    this.end(requestId, p);
    this.emitDecision(requestId, p.peer, 'trusted', contact.id);
    p.settle({ kind: 'trusted', contact });
    return true;
  }

  decide(requestId: string, decision: 'trust' | 'reject'): Contact | null {
    const p = this.pending.get(requestId);
    if (!p) return null;
    this.end(requestId, p);
    if (decision === 'reject') {
      this.emitDecision(requestId, p.peer, 'rejected', null);
      p.settle({ kind: 'refused', code: 'UNTRUSTED_PEER', reason: 'the user rejected this key' });
      return null;
    }
    const verdict = this.admit(p.peer, p.view.claimedName, this.opts.contacts.byName(p.view.claimedName), requestId, 'trusted');
    p.settle(verdict);
    return verdict.kind === 'trusted' ? verdict.contact : null;
  }

  /** Close every held request (the app is closing). */
  closeAll(): void {
    for (const [id, p] of [...this.pending]) {
      this.end(id, p);
      p.settle({ kind: 'refused', code: 'CONNECTION_CLOSED', reason: 'the app is closing' });
    }
  }

  private hold(peer: SecuredPeer, name: string, namesake: Contact | null): Promise<Verdict> {
    const same = [...this.pending.entries()].find(([, p]) => p.view.pin === peer.pin);
    if (same) return this.replace(same[0], same[1], peer);
    const seat = this.opts.requests.take(peer.source);
    if (!seat) return this.capped();
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
      const expiry = setTimeout(() => this.expire(id), this.opts.requestMs);
      expiry.unref();
      this.pending.set(id, { view, peer, settle: resolve, expiry, seat });
      this.opts.changed('request');
      this.watch(id, peer);
      if (namesake) this.opts.onNamesake?.(peer, namesake, id);
    });
  }

  /** The same key knocked again: its newest connection takes over the request (same card, same deadline). */
  private replace(id: string, p: Pending, peer: SecuredPeer): Promise<Verdict> {
    const seat = peer.source === p.peer.source ? p.seat : this.opts.requests.take(peer.source);
    if (!seat) return this.capped();
    if (seat !== p.seat) p.seat();
    const previous = p.settle;
    return new Promise((resolve) => {
      Object.assign(p, { peer, settle: resolve, seat, view: { ...p.view, connId: peer.conn, remoteAddress: peer.remote } });
      this.opts.changed('request');
      this.watch(id, peer);
      previous({ kind: 'refused', code: 'REQUEST_REPLACED', reason: 'the same key knocked again; its newer connection waits for the decision instead' });
    });
  }

  private watch(id: string, peer: SecuredPeer): void {
    peer.connection.tap.setKeepAlive(true, HELD_KEEPALIVE_MS);
    peer.socket.once('close', () => {
      const p = this.pending.get(id);
      if (p?.peer !== peer) return; // replaced, or already decided
      this.end(id, p);
      p.settle({ kind: 'refused', code: 'CONNECTION_CLOSED', reason: 'the peer left before a decision' });
    });
  }

  private expire(id: string): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.end(id, p);
    p.settle({ kind: 'refused', code: 'REQUEST_EXPIRED', reason: `nobody decided within ${Math.round(this.opts.requestMs / 1000)} s, so the request expired` });
  }

  private capped(): Promise<Verdict> {
    this.opts.onCapped('TOO_MANY_REQUESTS');
    return Promise.resolve({ kind: 'refused', code: 'TOO_MANY_REQUESTS', reason: 'too many unknown keys are already waiting for a decision' });
  }

  private end(id: string, p: Pending): void {
    this.pending.delete(id);
    this.opts.changed('request');
    clearTimeout(p.expiry);
    p.seat();
    this.opts.onRequestEnded?.(id);
  }

  private admit(peer: SecuredPeer, name: string, namesake: Contact | null, requestId: string | null, how: 'trusted' | 'auto-trusted'): Verdict {
    const label = namesake ? `${name} (new key — not the ${namesake.name} you know)` : name;
    const { contact, created } = this.opts.contacts.add({ name: label, pin: peer.pin, address: null });
    this.opts.changed(created ? 'contact-added' : 'contact-updated');
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
    const flag = this.opts.policy === 'accept-first' ? '--accept-first: the first new key of this run' : '--accept-new';
    const words = { trusted: 'You trusted this key: it is now pinned.', rejected: 'You rejected this key: the connection is closed.', 'auto-trusted': `Trusted on first use (${flag}): the key is now pinned.` };
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
