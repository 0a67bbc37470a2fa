/**
 * The shapes the engine hands to a front end. Schemas first, types inferred from them, so the
 * IPC contract, the Electron shell and the renderer all derive from one definition.
 */
import { z } from 'zod';

import { RUNTIME_GAPS } from './events';

export const IdentityView = z.object({
  name: z.string(),
  pin: z.string(),
  /** The pin in its human form: grouped base32 with a check character, for reading aloud. */
  fingerprint: z.string(),
  createdAt: z.string(),
});
export type IdentityView = z.infer<typeof IdentityView>;

export const NetworkView = z.object({
  listening: z.boolean(),
  port: z.number().int().nullable(),
  /** Addresses other machines can dial, most useful first. */
  addresses: z.array(z.string()),
  /** `lockstep://HOST:PORT?pin=…&name=…` for the first address, or null when not listening. */
  invite: z.string().nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  /** What the runtime's TLS library lacks of what the panel shows, and why the probe failed if it did. */
  runtime: z.object({ gaps: z.array(z.enum(RUNTIME_GAPS)), probeProblem: z.string().nullable() }),
});
export type NetworkView = z.infer<typeof NetworkView>;

export const ConnectionState = z.enum(['offline', 'connecting', 'securing', 'waiting', 'ready', 'closed']);
export type ConnectionState = z.infer<typeof ConnectionState>;

export const ContactView = z.object({
  id: z.string(),
  name: z.string(),
  pin: z.string(),
  fingerprint: z.string(),
  /** The safety number of this contact's pin and ours (both people read it aloud); null before we have an identity. */
  safetyNumber: z.string().nullable(),
  /** HOST:PORT to dial, or null for a contact that only ever dials us. */
  address: z.string().nullable(),
  verified: z.boolean(),
  state: ConnectionState,
  /** Id of the live (or last) connection, to pick its events out of the stream. */
  connId: z.string().nullable(),
  /** Why the last connection closed, in words, or null. */
  lastClose: z.string().nullable(),
  unread: z.number().int(),
  firstSeen: z.string().nullable(),
  lastSeen: z.string().nullable(),
  lastMessageAt: z.string().nullable(),
  /** Undelivered messages waiting in the outbox for this contact. */
  queued: z.number().int().optional(),
  /** When the next automatic reconnection attempt happens, or null when none is planned. */
  nextRetryAt: z.string().nullable().optional(),
  /**
   * Set when the stored key, address or verified mark fail their integrity check (code
   * CONTACT_DAMAGED): the contact is shown, untrusted, and never connected.
   */
  trustProblem: z.object({ code: z.string(), message: z.string() }).nullable().optional(),
});
export type ContactView = z.infer<typeof ContactView>;

/** What an invite says, parsed, and what adding it would do: the confirmation shows this, not the raw link. */
export const InvitePreview = z.object({
  name: z.string(),
  host: z.string(),
  port: z.number().int(),
  /** HOST:PORT as it will be dialled. */
  address: z.string(),
  pin: z.string(),
  fingerprint: z.string(),
  /** The contact that already holds this pin, or null: the invite adds a new contact. */
  existing: z.object({ contactId: z.string(), name: z.string(), address: z.string().nullable() }).nullable(),
  /** What saving would change about that contact. Saving asks for a confirmation when this is not empty. */
  changes: z.array(z.object({ field: z.enum(['name', 'address']), from: z.string().nullable(), to: z.string() })),
  /** A contact whose name looks like this one, with another key: the invite is not that contact. */
  namesake: z.object({ contactId: z.string(), name: z.string() }).nullable(),
});
export type InvitePreview = z.infer<typeof InvitePreview>;

export const RequestView = z.object({
  id: z.string(),
  /** The name in the knocking peer's certificate: a claim, not a fact. */
  claimedName: z.string(),
  pin: z.string(),
  fingerprint: z.string(),
  /** Computed from both pins; both people read it aloud and compare. */
  safetyNumber: z.string(),
  remoteAddress: z.string(),
  at: z.string(),
  /** The claimed name equals a known contact's, with a different key: possible impersonation. */
  claimsKnownName: z.boolean(),
  connId: z.string(),
});
export type RequestView = z.infer<typeof RequestView>;

export const MessageState = z.enum(['queued', 'sent', 'delivered', 'received', 'failed']);
export type MessageState = z.infer<typeof MessageState>;

export const MessageView = z.object({
  id: z.string(),
  contactId: z.string(),
  direction: z.enum(['out', 'in']),
  text: z.string(),
  sentAt: z.string(),
  receivedAt: z.string().nullable(),
  deliveredAt: z.string().nullable(),
  state: MessageState,
  /** Set when the stored row could not be opened (tampered, or the wrong key): the text is empty. */
  problem: z.string().nullable().optional(),
});
export type MessageView = z.infer<typeof MessageView>;

/**
 * A known contact presented a key that is not the pinned one. Refused before any data; resolved
 * only by comparing the whole safety number with the contact, or by pairing again with a code
 * from this card (the pairing carries the change's id).
 */
export const KeyChangeView = z.object({
  id: z.string(),
  contactId: z.string(),
  contactName: z.string(),
  side: z.enum(['dialer', 'listener']),
  oldPin: z.string(),
  oldFingerprint: z.string(),
  newPin: z.string(),
  newFingerprint: z.string(),
  /** When the old key was first and last seen on a working connection. */
  oldFirstSeen: z.string().nullable(),
  oldLastSeen: z.string().nullable(),
  detectedAt: z.string(),
  remoteAddress: z.string().nullable(),
  /** The whole safety number of this peer and the new key: 12 groups of five digits, all compared. */
  safetyNumber: z.string(),
  /**
   * The groups (0-based) the user types back, drawn at random when the new key was presented:
   * on top of confirming that all twelve match, so a click-through does not pass.
   */
  checkGroups: z.array(z.number().int().min(0).max(11)),
});
export type KeyChangeView = z.infer<typeof KeyChangeView>;

/** A peer found on the local network. Its name and pin are claims: add it by invite or pairing code. */
export const NearbyPeerView = z.object({
  instance: z.string(),
  name: z.string(),
  pin: z.string(),
  fingerprint: z.string(),
  address: z.string(),
  port: z.number().int(),
  /** The pin is already a contact's. */
  known: z.boolean(),
});
export type NearbyPeerView = z.infer<typeof NearbyPeerView>;

export const DiscoveryView = z.object({
  /** The interface address discovery runs on, or null when it is off. */
  interface: z.string().nullable(),
  /** IPv4 addresses of this machine the user can choose from. */
  candidates: z.array(z.string()),
  peers: z.array(NearbyPeerView),
});
export type DiscoveryView = z.infer<typeof DiscoveryView>;

/** How the history on disk is protected, in words the at-rest card shows as they are. */
export const AtRestView = z.object({
  mode: z.enum(['os-keystore', 'key-file']),
  backend: z.string().nullable(),
  /** False when anyone who can read the user's files can read the history. */
  strong: z.boolean(),
  summary: z.string(),
  /** The cipher and the library running it ("XChaCha20-Poly1305 (libsodium)"). */
  cipher: z.string().optional(),
});
export type AtRestView = z.infer<typeof AtRestView>;

/** Every error crossing a boundary has a stable code and a sentence a user can act on. */
export const ErrorView = z.object({ code: z.string(), message: z.string() });
export type ErrorView = z.infer<typeof ErrorView>;

export type Result<T> = { ok: true; value: T } | { ok: false; error: ErrorView };
