import type { LockstepEvent, View } from '../../shared/events';
import type { ArgOf, ChannelName, LockstepApi, ResultOf } from '../../shared/ipc-contract';
import type { AtRestView, ContactView, DiscoveryView, ErrorView, IdentityView, InvitePreview, KeyChangeView, MessageView, NetworkView, RequestView, Result } from '../../shared/views';

export interface Call {
  name: ChannelName;
  arg: unknown;
}

/**
 * A hand-written stand-in for `window.lockstep`: in-memory views the test sets up, every call
 * recorded, failures injectable per channel, and `emit` to push an event batch like the engine.
 * It implements the calls the renderer makes; `asApi()` answers any other channel (one the
 * engine added since) with a NOT_IN_FAKE envelope, so the contract can grow without breaking
 * these tests while the methods written here stay type-checked against it.
 */
export class FakeApi implements Partial<LockstepApi> {
  identity: IdentityView | null = null;
  network: NetworkView = { listening: true, port: 7700, addresses: ['192.0.2.10:7700'], invite: 'lockstep://192.0.2.10:7700?pin=x&name=Bob', error: null, runtime: { gaps: [], probeProblem: null } };
  atRest: AtRestView = { mode: 'key-file', backend: null, strong: false, summary: 'History is encrypted with a key kept in a file only you can read.' };
  contacts: ContactView[] = [];
  requests: RequestView[] = [];
  messages = new Map<string, MessageView[]>();
  backlog: LockstepEvent[] = [];
  keyChanges: KeyChangeView[] = [];
  discovery: DiscoveryView = { interface: null, candidates: ['192.0.2.10', '198.51.100.7'], peers: [] };
  /** What safetyNumber answers (12 groups of five digits). */
  safety = '12345 67890 11111 22222 33333 44444 55555 66666 77777 88888 99999 00000';
  pairingCode = 'orbit maple tunnel';
  /** The contact pairWith answers with (added to the contacts). */
  pairedContact: ContactView | null = null;
  readonly calls: Call[] = [];
  /** Channels that answer `{ ok: false, error }` instead of their value. */
  readonly failures = new Map<ChannelName, ErrorView>();
  private readonly listeners = new Set<(batch: LockstepEvent[]) => void>();
  private nextId = 1;

  /** This fake as the full API type; channels it does not implement answer NOT_IN_FAKE. */
  asApi(): LockstepApi {
    return new Proxy(this, {
      get(target, key, receiver) {
        if (typeof key === 'string' && !(key in target)) {
          return (arg: unknown) => {
            target.calls.push({ name: key as ChannelName, arg });
            return Promise.resolve({ ok: false, error: { code: 'NOT_IN_FAKE', message: `The fake engine does not implement ${key}.` } });
          };
        }
        return Reflect.get(target, key, receiver) as unknown;
      },
    }) as unknown as LockstepApi;
  }

  callsTo<K extends ChannelName>(name: K): ArgOf<K>[] {
    return this.calls.filter((c) => c.name === name).map((c) => c.arg as ArgOf<K>);
  }

  /** Deliver a batch the way the preload does. */
  emit(batch: LockstepEvent[]): void {
    for (const listener of this.listeners) listener(batch);
  }

  /** Say that views changed, the way the engine does (`view.invalidated`, one event each). */
  invalidate(views: View[], { contactId, seq = 1_000_000 + this.nextId++ }: { contactId?: string; seq?: number } = {}): void {
    this.emit(
      views.map((view, i) => ({
        seq: seq + i,
        t: 0,
        at: 0,
        conn: null,
        dir: 'local',
        layer: 'app',
        kind: 'view.invalidated',
        summary: `The ${view} changed.`,
        detail: view === 'messages' && contactId ? { view, contactId } : { view },
      })),
    );
  }

  onEvents(listener: (batch: LockstepEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private answer<K extends ChannelName>(name: K, arg: ArgOf<K>, value: () => ResultOf<K>): Promise<Result<ResultOf<K>>> {
    this.calls.push({ name, arg });
    const failure = this.failures.get(name);
    return Promise.resolve(failure ? { ok: false, error: failure } : { ok: true, value: value() });
  }

  getIdentity = (arg: ArgOf<'getIdentity'>) => this.answer('getIdentity', arg, () => this.identity);
  createIdentity = (arg: ArgOf<'createIdentity'>) =>
    this.answer('createIdentity', arg, () => {
      this.identity = { name: arg.name, pin: 'sha256/new', fingerprint: 'AAAA-BBBB-C', createdAt: '2026-01-01T00:00:00.000Z' };
      return this.identity;
    });
  getNetwork = (arg: ArgOf<'getNetwork'>) => this.answer('getNetwork', arg, () => this.network);
  getAtRest = (arg: ArgOf<'getAtRest'>) => this.answer('getAtRest', arg, () => this.atRest);
  listContacts = (arg: ArgOf<'listContacts'>) => this.answer('listContacts', arg, () => [...this.contacts]);
  addContact = (arg: ArgOf<'addContact'>) => this.answer('addContact', arg, () => this.addFake(arg.name ?? 'New contact', arg.pin, arg.address));
  /** What previewInvite answers; by default a new contact named after the invite's `name`. */
  invitePreview: InvitePreview | null = null;
  previewInvite = (arg: ArgOf<'previewInvite'>) =>
    this.answer('previewInvite', arg, () => {
      if (this.invitePreview) return this.invitePreview;
      const url = new URL(arg.invite);
      return { name: url.searchParams.get('name') ?? '', host: url.hostname, port: Number(url.port), address: url.host, pin: 'sha256/invited', fingerprint: 'INVI-TEDK-EYXX-C', existing: null, changes: [], namesake: null };
    });
  addContactFromInvite = (arg: ArgOf<'addContactFromInvite'>) =>
    this.answer('addContactFromInvite', arg, () => this.addFake(new URL(arg.invite).searchParams.get('name') ?? 'Invited', 'sha256/invited', '192.0.2.20:7700'));
  connectContact = (arg: ArgOf<'connectContact'>) => this.answer('connectContact', arg, () => null);
  markRead = (arg: ArgOf<'markRead'>) => this.answer('markRead', arg, () => null);
  removeContact = (arg: ArgOf<'removeContact'>) =>
    this.answer('removeContact', arg, () => {
      this.contacts = this.contacts.filter((c) => c.id !== arg.contactId);
      this.messages.delete(arg.contactId);
      return null;
    });
  listRequests = (arg: ArgOf<'listRequests'>) => this.answer('listRequests', arg, () => [...this.requests]);
  decideRequest = (arg: ArgOf<'decideRequest'>) =>
    this.answer('decideRequest', arg, () => {
      const request = this.requests.find((r) => r.id === arg.requestId);
      this.requests = this.requests.filter((r) => r.id !== arg.requestId);
      if (!request || arg.decision === 'reject') return null;
      return this.addFake(request.claimedName, request.pin, null, { state: 'ready', connId: request.connId });
    });
  listMessages = (arg: ArgOf<'listMessages'>) =>
    this.answer('listMessages', arg, () => {
      // Like the engine: oldest first, the page ending just before `before`, at most `limit` long.
      const all = this.messages.get(arg.contactId) ?? [];
      const end = arg.before === undefined ? all.length : Math.max(0, all.findIndex((m) => m.id === arg.before));
      return all.slice(arg.limit === undefined ? 0 : Math.max(0, end - arg.limit), end);
    });
  sendMessage = (arg: ArgOf<'sendMessage'>) =>
    this.answer('sendMessage', arg, () => {
      const message: MessageView = {
        id: `m${this.nextId++}`,
        contactId: arg.contactId,
        direction: 'out',
        text: arg.text,
        sentAt: new Date(Date.UTC(2026, 0, 1, 18, 0, this.nextId)).toISOString(),
        receivedAt: null,
        deliveredAt: null,
        state: 'sent',
      };
      this.messages.set(arg.contactId, [...(this.messages.get(arg.contactId) ?? []), message]);
      return message;
    });
  flipBitInNextMessage = (arg: ArgOf<'flipBitInNextMessage'>) => this.answer('flipBitInNextMessage', arg, () => null);
  getEventBacklog = (arg: ArgOf<'getEventBacklog'>) => this.answer('getEventBacklog', arg, () => [...this.backlog]);
  safetyNumber = (arg: ArgOf<'safetyNumber'>) => this.answer('safetyNumber', arg, () => this.safety);
  markVerified = (arg: ArgOf<'markVerified'>) =>
    this.answer('markVerified', arg, () => {
      this.contacts = this.contacts.map((c) => (c.id === arg.contactId ? { ...c, verified: arg.verified } : c));
      return this.contacts.find((c) => c.id === arg.contactId) ?? makeContact({ id: arg.contactId, name: '?', verified: arg.verified });
    });
  listKeyChanges = (arg: ArgOf<'listKeyChanges'>) => this.answer('listKeyChanges', arg, () => [...this.keyChanges]);
  reverifyKeyChange = (arg: ArgOf<'reverifyKeyChange'>): Promise<Result<ContactView>> => {
    const change = this.keyChanges.find((c) => c.id === arg.changeId);
    // Like the engine: every asked group must equal that group of the change's safety number.
    const groups = change?.safetyNumber.split(' ') ?? [];
    const right = arg.allGroupsMatch && change !== undefined && change.checkGroups.every((g, i) => arg.groups[i] === groups[g]);
    if (!this.failures.has('reverifyKeyChange') && !right) {
      this.calls.push({ name: 'reverifyKeyChange', arg });
      const who = change?.contactName ?? 'them';
      return Promise.resolve({ ok: false, error: { code: 'SAFETY_NUMBER_MISMATCH', message: `Those digits do not match: the new key may not be ${who}'s. Nothing was changed.` } });
    }
    return this.answer('reverifyKeyChange', arg, () => {
      this.keyChanges = this.keyChanges.filter((c) => c.id !== arg.changeId);
      const contact = this.contacts.find((c) => c.id === change?.contactId);
      return { ...(contact ?? makeContact({ id: change?.contactId ?? 'x', name: change?.contactName ?? '?' })), pin: change?.newPin ?? 'sha256/new', verified: true };
    });
  };
  startPairing = (arg: ArgOf<'startPairing'>) => this.answer('startPairing', arg, () => ({ code: arg.code ?? this.pairingCode }));
  stopPairing = (arg: ArgOf<'stopPairing'>) => this.answer('stopPairing', arg, () => null);
  pairWith = (arg: ArgOf<'pairWith'>) =>
    this.answer('pairWith', arg, () => {
      const contact = this.pairedContact ?? makeContact({ id: `k${this.nextId++}`, name: 'Paired peer', address: arg.address, verified: true });
      this.contacts.push(contact);
      return contact;
    });
  getDiscovery = (arg: ArgOf<'getDiscovery'>) => this.answer('getDiscovery', arg, () => this.discovery);
  startDiscovery = (arg: ArgOf<'startDiscovery'>) =>
    this.answer('startDiscovery', arg, () => (this.discovery = { ...this.discovery, interface: arg.interface }));
  stopDiscovery = (arg: ArgOf<'stopDiscovery'>) => this.answer('stopDiscovery', arg, () => (this.discovery = { ...this.discovery, interface: null, peers: [] }));
  copyText = (arg: ArgOf<'copyText'>) => this.answer('copyText', arg, () => null);
  openExternal = (arg: ArgOf<'openExternal'>) => this.answer('openExternal', arg, () => null);

  /** Change one stored message (e.g. the ack arrived) the way the engine's store would. */
  updateMessage(contactId: string, id: string, patch: Partial<MessageView>): void {
    this.messages.set(contactId, (this.messages.get(contactId) ?? []).map((m) => (m.id === id ? { ...m, ...patch } : m)));
  }

  private addFake(name: string, pin: string, address: string | null, extra: Partial<ContactView> = {}): ContactView {
    const contact = makeContact({ id: `k${this.nextId++}`, name, pin, address, ...extra });
    this.contacts.push(contact);
    return contact;
  }
}

export function makeContact(patch: Partial<ContactView> & Pick<ContactView, 'id' | 'name'>): ContactView {
  return {
    pin: `sha256/${patch.id}`,
    fingerprint: 'ABCD-EFGH-JKMN-C',
    safetyNumber: '12345 67890 11111 22222 33333 44444 55555 66666 77777 88888 99999 00000',
    address: '192.0.2.20:7700',
    verified: true,
    state: 'offline',
    connId: null,
    lastClose: null,
    unread: 0,
    firstSeen: '2026-01-01T17:00:00.000Z',
    lastSeen: null,
    lastMessageAt: null,
    ...patch,
  };
}
