/**
 * The IPC contract between the renderer and the engine: one entry per call, each with a schema
 * for its argument and its result. The preload exposes exactly these names on `window.lockstep`,
 * main registers exactly these handlers, and the renderer is typed by them — one source of truth.
 */
import { z } from 'zod';

import type { LockstepEvent } from './events';
import { MAX_NAME_CHARS, MAX_TEXT_CHARS } from './limits';
import {
  AtRestView,
  ContactView,
  DiscoveryView,
  IdentityView,
  InvitePreview,
  KeyChangeView,
  MessageView,
  NetworkView,
  RequestView,
  type Result,
} from './views';

/** The longest message the composer may send: the protocol's own limit (PROTOCOL.md §3). */
export const MAX_MESSAGE_CHARS = MAX_TEXT_CHARS;

const DisplayName = z.string().trim().min(1, 'Enter a name.').max(64, 'Use at most 64 characters.');
const Id = z.string().min(1).max(128);

const Void = z.object({}).strict();

export const contract = {
  getIdentity: { arg: Void, result: IdentityView.nullable() },
  createIdentity: { arg: z.object({ name: DisplayName }).strict(), result: IdentityView },
  getNetwork: { arg: Void, result: NetworkView },
  getAtRest: { arg: Void, result: AtRestView },
  listContacts: { arg: Void, result: z.array(ContactView) },
  addContact: {
    arg: z
      .object({ address: z.string().min(3).max(300), pin: z.string().min(8).max(200), name: z.string().max(MAX_NAME_CHARS).optional() })
      .strict(),
    result: ContactView,
  },
  previewInvite: { arg: z.object({ invite: z.string().min(10).max(1000) }).strict(), result: InvitePreview },
  /** `confirmChanges`: the person saw the preview's changes to an existing contact and agreed. */
  addContactFromInvite: {
    arg: z.object({ invite: z.string().min(10).max(1000), confirmChanges: z.boolean().optional() }).strict(),
    result: ContactView,
  },
  connectContact: { arg: z.object({ contactId: Id }).strict(), result: z.null() },
  markRead: { arg: z.object({ contactId: Id }).strict(), result: z.null() },
  /** Delete the contact, its key's trust and its whole conversation (a person confirmed it). */
  removeContact: { arg: z.object({ contactId: Id }).strict(), result: z.null() },
  listRequests: { arg: Void, result: z.array(RequestView) },
  decideRequest: {
    arg: z.object({ requestId: Id, decision: z.enum(['trust', 'reject']) }).strict(),
    result: ContactView.nullable(),
  },
  getDiscovery: { arg: Void, result: DiscoveryView },
  startDiscovery: { arg: z.object({ interface: z.string().min(7).max(15) }).strict(), result: DiscoveryView },
  stopDiscovery: { arg: Void, result: DiscoveryView },
  // `keyChangeId`: the pairing was started from that key change's card ("pair again"): a success
  // re-pins that change's contact. Without it a pairing only adds a contact or updates the one
  // whose pin it already is.
  startPairing: { arg: z.object({ code: z.string().max(100).optional(), keyChangeId: Id.optional() }).strict(), result: z.object({ code: z.string() }) },
  stopPairing: { arg: Void, result: z.null() },
  pairWith: {
    arg: z.object({ address: z.string().min(3).max(300), code: z.string().min(1).max(100), keyChangeId: Id.optional() }).strict(),
    result: ContactView,
  },
  markVerified: { arg: z.object({ contactId: Id, verified: z.boolean() }).strict(), result: ContactView },
  listKeyChanges: { arg: Void, result: z.array(KeyChangeView) },
  // The whole safety number compared (`allGroupsMatch`), and the groups at the change's
  // `checkGroups` typed back in that order.
  reverifyKeyChange: {
    arg: z.object({ changeId: Id, allGroupsMatch: z.boolean(), groups: z.array(z.string().max(20)).min(1).max(12) }).strict(),
    result: ContactView,
  },
  listMessages: {
    arg: z
      .object({ contactId: Id, before: z.string().optional(), limit: z.number().int().min(1).max(500).optional() })
      .strict(),
    result: z.array(MessageView),
  },
  sendMessage: {
    arg: z.object({ contactId: Id, text: z.string().min(1).max(MAX_MESSAGE_CHARS) }).strict(),
    result: MessageView,
  },
  flipBitInNextMessage: { arg: z.object({ contactId: Id }).strict(), result: z.null() },
  startEveDrill: {
    arg: z.object({ contactId: Id, mode: z.enum(['passive', 'tamper', 'impostor', 'replay']) }).strict(),
    result: z.null(),
  },
  stopEveDrill: { arg: Void, result: z.null() },
  /** Redial the contact once offering X25519 alone, to compare with the hybrid handshake (drill `classical`). */
  compareClassical: { arg: z.object({ contactId: Id }).strict(), result: z.null() },
  runDowngradeDrill: {
    arg: z.object({ contactId: Id.nullable() }).strict(),
    result: z.object({ drill: z.string(), outcome: z.string(), reason: z.string() }),
  },
  exportCapture: {
    arg: z.object({ conn: Id, withKeys: z.boolean() }).strict(),
    // `keys` is null for a connection whose peer was never trusted; `keysWithheld` says why.
    result: z.object({ fileBase: z.string(), pcapBase64: z.string(), keys: z.string().nullable(), keysWithheld: z.enum(['peer-not-trusted', 'peer-refused']).nullable() }),
  },
  getEventBacklog: { arg: z.object({ sinceSeq: z.number().int().min(0).optional() }).strict(), result: z.array(z.unknown()) },
  safetyNumber: { arg: z.object({ pin: z.string().min(8).max(200) }).strict(), result: z.string() },
  copyText: { arg: z.object({ text: z.string().max(10_000) }).strict(), result: z.null() },
  openExternal: { arg: z.object({ url: z.string().url().max(2000) }).strict(), result: z.null() },
} as const;

export type Contract = typeof contract;
export type ChannelName = keyof Contract;
export type ArgOf<K extends ChannelName> = z.infer<Contract[K]['arg']>;
export type ResultOf<K extends ChannelName> = K extends 'getEventBacklog' ? LockstepEvent[] : z.infer<Contract[K]['result']>;

/** The IPC channel a call travels on. */
export function channelOf(name: ChannelName): string {
  return `lockstep:${name}`;
}

/** The one channel main pushes event batches on. */
export const EVENTS_CHANNEL = 'lockstep:events';

export const channelNames = Object.keys(contract) as ChannelName[];

/** What `window.lockstep` is: one named method per call, plus the event subscription. */
export type LockstepApi = { [K in ChannelName]: (arg: ArgOf<K>) => Promise<Result<ResultOf<K>>> } & {
  /** Receive engine events in batches; returns the unsubscribe function. */
  onEvents(listener: (batch: LockstepEvent[]) => void): () => void;
};

/** Same as LockstepApi but without envelopes: what the engine implements. */
export type LockstepHandlers = { [K in ChannelName]: (arg: ArgOf<K>) => Promise<ResultOf<K>> | ResultOf<K> };
