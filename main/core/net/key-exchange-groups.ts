/**
 * The key-exchange groups every TLS context of the engine offers and accepts: the hybrid
 * post-quantum X25519MLKEM768 first where the runtime has it, then X25519, then P-256, so a peer
 * without the hybrid still connects (PROTOCOL.md §2). What the runtime has is found by asking its
 * TLS library (a secure context built with that group), never from a version number: Node's
 * OpenSSL 3.5 and Electron's BoringSSL both answer the same question.
 */
import { createSecureContext } from 'node:tls';

import { LockstepError } from '../errors';

/** The groups Lockstep may offer, in its order of preference (IANA names, as on the wire). */
export const KNOWN_GROUPS = ['X25519MLKEM768', 'X25519', 'P-256'] as const;

export type GroupName = (typeof KNOWN_GROUPS)[number];

/** Groups whose shared secret survives a quantum computer as long as their ML-KEM part holds. */
export const POST_QUANTUM_GROUPS: ReadonlySet<string> = new Set(['X25519MLKEM768']);

function accepts(ecdhCurve: string): boolean {
  try {
    createSecureContext({ ecdhCurve });
    return true;
  } catch {
    // The runtime's TLS library does not know this group (or this list syntax).
    return false;
  }
}

interface Probe {
  groups: GroupName[];
  /**
   * OpenSSL ≥ 3.5 reads a `*` before a group as "send a key share for it": with it the
   * ClientHello carries an X25519 share beside the hybrid one, so a listener without the hybrid
   * answers at once instead of asking for another ClientHello (HelloRetryRequest).
   */
  shareMarks: boolean;
}

let probed: Probe | null = null;

function probe(): Probe {
  if (probed) return probed;
  const groups = KNOWN_GROUPS.filter((g) => accepts(g));
  const shareMarks = accepts('*X25519:P-256');
  probed = { groups, shareMarks };
  return probed;
}

/** The groups this runtime's TLS library can use, in Lockstep's order of preference. */
export function runtimeGroups(): readonly GroupName[] {
  return probe().groups;
}

/** The offer every context uses unless told otherwise (`--groups`, the classical comparison). */
export function defaultOffer(): GroupName[] {
  return [...runtimeGroups()];
}

/**
 * The `ecdhCurve` string for an offer: the groups in order, the first two (where the library
 * understands it) marked to carry a key share each.
 */
export function ecdhCurveFor(offer: readonly GroupName[]): string {
  const marks = probe().shareMarks && offer.length > 1;
  return offer.map((g, i) => (marks && i < 2 ? `*${g}` : g)).join(':');
}

/** `--groups X25519MLKEM768,X25519`: known names only, each once, each one this runtime has. */
export function parseGroups(list: string): GroupName[] {
  const names = list.split(/[,:]/).map((n) => n.trim()).filter((n) => n.length > 0);
  if (names.length === 0) throw new LockstepError('BAD_ARGUMENT', `--groups takes a list such as ${KNOWN_GROUPS.join(',')}.`);
  const out: GroupName[] = [];
  for (const name of names) {
    const known = KNOWN_GROUPS.find((g) => g.toLowerCase() === name.toLowerCase());
    if (!known) throw new LockstepError('BAD_ARGUMENT', `--groups: unknown group "${name}" (known: ${KNOWN_GROUPS.join(', ')}).`);
    if (!runtimeGroups().includes(known)) throw new LockstepError('BAD_ARGUMENT', `--groups: this runtime's TLS library has no ${known}.`);
    if (!out.includes(known)) out.push(known);
  }
  return out;
}
