/**
 * The engine side of the IPC contract: each channel of shared/ipc-contract.ts answered by the
 * messenger, in the view shapes of shared/views.ts. The Electron shell and the browser test
 * harness both serve exactly these handlers (through dispatch), so the UI meets one engine.
 */
import type { LockstepHandlers } from '../../../shared/ipc-contract';
import type { ContactView, IdentityView, NetworkView } from '../../../shared/views';
import type { Identity } from '../identity/identity';
import type { Messenger } from '../messenger/messenger';
import { formatAddress } from '../net/address';
import { FEATURE_NAMES, gapsOf } from '../runtime/runtime-features';
import type { Contact } from '../store/contacts';
import { formatInvite } from '../trust/invite';
import { humanFingerprint, parsePin, safetyNumber } from '../trust/pins';

export type EngineHandlers = Omit<LockstepHandlers, 'copyText' | 'openExternal'>;

export function identityView(id: Identity): IdentityView {
  return { name: id.name, pin: id.pin, fingerprint: id.fingerprint, createdAt: id.createdAt };
}

export function contactView(m: Messenger, c: Contact): ContactView {
  const link = m.connection(c.id);
  return {
    id: c.id,
    name: c.name || 'Unnamed contact',
    pin: c.pin,
    fingerprint: humanFingerprint(c.pin),
    safetyNumber: m.hasIdentity ? safetyNumber(m.identity.pin, c.pin) : null,
    address: c.address,
    verified: c.verified,
    state: link.state,
    connId: link.connId,
    lastClose: link.lastClose,
    unread: m.messages.unreadCount(c.id),
    firstSeen: c.firstSeen,
    lastSeen: c.lastSeen,
    lastMessageAt: m.messages.lastMessageAt(c.id),
    queued: m.messages.queuedCount(c.id),
    nextRetryAt: m.nextAttemptAt(c.id),
    trustProblem: c.damaged ? { code: 'CONTACT_DAMAGED', message: c.damaged } : null,
  };
}

export function networkView(m: Messenger): NetworkView {
  const n = m.network();
  const first = n.addresses[0];
  return {
    listening: n.listening,
    port: n.port,
    addresses: n.addresses.map((a) => formatAddress({ host: a, port: n.port ?? 0 })),
    invite:
      first && n.port && m.hasIdentity
        ? formatInvite({ host: first, port: n.port, pin: m.identity.pin, name: m.identity.name })
        : null,
    error: n.error ? { code: n.error.code, message: n.error.message } : null,
    runtime: { gaps: gapsOf(m.runtime, FEATURE_NAMES), probeProblem: m.runtimeProblem },
  };
}

export function engineHandlers(m: Messenger): EngineHandlers {
  return {
    getIdentity: () => (m.hasIdentity ? identityView(m.identity) : null),
    createIdentity: async ({ name }) => identityView(await m.createIdentity(name)),
    getNetwork: () => networkView(m),
    getAtRest: () => m.atRest,
    listContacts: () => m.contacts.list().map((c) => contactView(m, c)),
    addContact: (arg) => contactView(m, m.addContact(arg)),
    previewInvite: ({ invite }) => m.previewInvite(invite),
    addContactFromInvite: ({ invite, confirmChanges }) => contactView(m, m.addContactFromInvite(invite, { confirmChanges: confirmChanges ?? false })),
    connectContact: async ({ contactId }) => {
      await m.connect(contactId);
      return null;
    },
    markRead: ({ contactId }) => {
      m.markRead(contactId);
      return null;
    },
    removeContact: async ({ contactId }) => {
      await m.removeContact(contactId);
      return null;
    },
    listRequests: () => m.requests(),
    decideRequest: ({ requestId, decision }) => {
      const contact = m.decide(requestId, decision);
      return contact ? contactView(m, contact) : null;
    },
    getDiscovery: () => m.nearby.view(),
    startDiscovery: async ({ interface: iface }) => {
      await m.nearby.start(iface);
      return m.nearby.view();
    },
    stopDiscovery: async () => {
      await m.nearby.stop();
      return m.nearby.view();
    },
    startPairing: ({ code, keyChangeId }) => ({ code: m.startPairing(code, { keyChangeId }) }),
    stopPairing: () => {
      m.stopPairing();
      return null;
    },
    pairWith: async ({ address, code, keyChangeId }) => contactView(m, await m.pairWith(address, code, { keyChangeId })),
    markVerified: ({ contactId, verified }) => {
      m.markVerified(contactId, verified);
      return contactView(m, m.requireContact(contactId));
    },
    listKeyChanges: () => m.keyChanges.list(),
    reverifyKeyChange: ({ changeId, allGroupsMatch, groups }) => contactView(m, m.reverifyKeyChange(changeId, { allGroupsMatch, groups })),
    listMessages: ({ contactId, before, limit }) => m.messages.page(m.requireContact(contactId).id, before, limit ?? 200),
    sendMessage: ({ contactId, text }) => m.send(contactId, text),
    flipBitInNextMessage: ({ contactId }) => {
      m.flipBitInNextMessage(contactId);
      return null;
    },
    startEveDrill: async ({ contactId, mode }) => {
      await m.drills.startEve(contactId, mode);
      return null;
    },
    stopEveDrill: async () => {
      await m.drills.stopEve();
      return null;
    },
    compareClassical: ({ contactId }) => {
      m.drills.compareClassical(contactId);
      return null;
    },
    runDowngradeDrill: ({ contactId }) => m.drills.downgrade(contactId),
    exportCapture: ({ conn, withKeys }) => m.drills.exportCapture(conn, withKeys),
    getEventBacklog: ({ sinceSeq }) => m.events.backlog(sinceSeq ?? 0),
    safetyNumber: ({ pin }) => safetyNumber(m.identity.pin, parsePin(pin)),
  };
}
