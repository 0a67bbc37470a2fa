/**
 * The facade both front ends use (the desktop shell and the headless peer): identity, listening,
 * contacts, trust decisions, messages and the event stream. It wires the small modules together
 * and owns no protocol logic of its own.
 */
import type { ConnectionState, InvitePreview, MessageView, RequestView } from '../../../shared/views';
import { type CaptureRecorder, createCaptureRecorder } from '../capture/recorder';
import { LockstepError } from '../errors';
import { EventBus } from '../events/event-bus';
import { ViewChanges } from '../events/view-changes';
import { createIdentity, type Identity, loadIdentity } from '../identity/identity';
import { DEFAULT_PORT, formatAddress, parseAddress } from '../net/address';
import { Listener } from '../net/listener';
import { ALL_FEATURES, type RuntimeFeatures, runtimeReport } from '../runtime/runtime-features';
import type { Contact } from '../store/contacts';
import { ensurePrivateDir } from '../store/private-files';
import { openStore, type Store } from '../store/store';
import type { KeyChanges, ReverifyAnswer } from '../trust/key-changes';
import { cleanName } from '../trust/names';
import { parsePin } from '../trust/pins';
import type { TrustGate } from '../trust/trust-gate';
import { ContactDialer } from './contact-dialer';
import { Delivery } from './delivery';
import { Drills } from './drills';
import { Dialing } from './dialing';
import * as views from './facade-views';
import { applyInviteChanges, previewInvite } from './invites';
import { ListeningPoint, type NetworkStatus } from './listening';
import { Nearby } from './nearby';
import { limitsWithDefaults, type MessengerOptions, type MessengerTimeouts, withDefaults } from './options';
import type { PairingTarget } from './pairing-flow';
import { Reconnector } from './reconnector';
import { type Link, Links } from './links';
import { Sessions } from './sessions';
import { onSessionReady } from './ready';
import { buildTrustParts, type TrustParts } from './trust-parts';

export type { MessengerLimits, MessengerOptions, MessengerTimeouts } from './options';

export class Messenger {
  readonly events = new EventBus();
  /** Says which of the renderer's views a change touched (view.invalidated), once per turn. */
  private readonly viewChanges = new ViewChanges((e) => this.events.emit(e));
  /** Read-only views of the parts (facade-views.ts); every change goes through a method below. */
  readonly contacts: views.ContactsView;
  readonly messages: views.MessagesView;
  readonly keyChanges: views.KeyChangesView;
  readonly nearby: views.NearbyView;
  readonly drills: views.DrillsView;
  private readonly gate: TrustGate;
  private readonly keyChangeBook: KeyChanges;
  private readonly links = new Links();
  private readonly sessions: Sessions;
  private readonly reconnector: Reconnector;
  private readonly delivery: Delivery;
  /** Who gets in: the gate, key changes, pairing, admission, and the caps' summary. */
  private readonly trust: TrustParts;
  private readonly discovery: Nearby;
  private readonly drillKit: Drills;
  private readonly recorder: CaptureRecorder | null;
  private readonly listening: ListeningPoint;
  private readonly dialing: Dialing;
  /** Which contacts are wanted connected: dials them and retries. */
  private readonly contactDialer: ContactDialer;
  private readonly timeouts: Required<MessengerTimeouts>;

  constructor(
    private readonly options: MessengerOptions,
    private readonly store: Store,
    private id: Identity | null,
    readonly runtime: RuntimeFeatures = ALL_FEATURES, // the probe's findings, minus options.runtime.disable
    /** Why the start-up probe failed (its error code), shown with the gaps; null when it ran. */
    readonly runtimeProblem: string | null = null,
  ) {
    // Each part is built after every part its callbacks reach (methods of this class excepted), so
    // no closure can meet a field that is not yet assigned. Links come first: sessions write them,
    // delivery reads them, and so neither needs the other.
    this.contacts = views.contactsView(store.contacts);
    this.messages = views.messagesView(store.messages);
    this.timeouts = withDefaults(options.timeouts);
    this.recorder = options.capture ? createCaptureRecorder(options.capture) : null;
    const { revealSecrets = false, tuning = {}, hooks, observe } = options;
    this.dialing = new Dialing({ identity: () => this.identity, emit: (e, slot) => this.events.emit(e, slot), slots: this.events, revealSecrets, handshakeMs: this.timeouts.handshakeMs, tuning, hooks, observe, recorder: this.recorder, runtime });
    this.reconnector = new Reconnector(
      (contactId) => this.connect(contactId),
      (contactId) => this.contactChanged(contactId, 'updated'),
      { initialMs: this.timeouts.retryInitialMs, maxMs: this.timeouts.retryMaxMs, jitter: 0.3 },
    );
    this.delivery = new Delivery({ messages: this.store.messages, emit: (e) => this.events.emit(e), changed: this.viewChanges.changed, want: (c) => this.want(c), links: this.links });
    this.sessions = new Sessions(
      this.links,
      (e) => this.events.emit(e),
      (role) => ({
        pingIntervalMs: this.timeouts.pingMs,
        idleTimeoutMs: this.timeouts.idleMs,
        helloTimeoutMs: role === 'listener' ? this.timeouts.listenerHelloMs : this.timeouts.helloMs,
        admittedByHello: role === 'dialer',
      }),
      {
        onReady: (contactId, session, hello, role) =>
          onSessionReady({ contacts: store.contacts, reconnector: this.reconnector, delivery: this.delivery, emit: (e) => this.events.emit(e) }, this.requireContact(contactId), session, hello, role),
        onMessages: (contactId, session, msgs) => this.delivery.onMessages(contactId, session, msgs),
        onAcks: (contactId, ids) => this.delivery.onAcks(contactId, ids),
        onChange: (contactId, change) => this.contactChanged(contactId, change),
        onClosed: (contactId, code) => this.retryLater(contactId, code),
      },
    );
    this.trust = buildTrustParts({
      policy: options.unknownPeers ?? 'ask',
      timeouts: this.timeouts,
      limits: limitsWithDefaults(options.limits),
      contacts: this.store.contacts,
      sessions: this.sessions,
      identity: () => this.identity,
      emit: (e) => this.events.emit(e),
      dialUnpinned: (target) => this.dialing.dial(target, null),
      contactChanged: (contactId, change) => this.contactChanged(contactId, change),
      changed: this.viewChanges.changed,
      exporter: runtime.exporter,
    });
    this.gate = this.trust.gate;
    this.listening = new ListeningPoint(
      () =>
        new Listener({
          creds: this.identity,
          tuning: this.options.tuning ?? {},
          context: () => this.dialing.context('listener'),
          onSecured: (peer) => void this.trust.admission.admit(peer),
          handshakes: this.trust.handshakes,
          accepts: this.trust.accepts,
          onRefused: (code) => this.trust.tally.count(code),
        }),
    );
    this.keyChangeBook = this.trust.keyChanges;
    this.keyChanges = views.keyChangesView(this.keyChangeBook);
    this.discovery = new Nearby({
      identity: () => this.identity,
      listeningPort: () => this.listening.port,
      contacts: this.store.contacts,
      emit: (e) => this.events.emit(e),
      changed: this.viewChanges.changed,
    });
    this.nearby = views.nearbyView(this.discovery);
    this.drillKit = new Drills({
      profileDir: options.profileDir,
      events: this.events,
      requireContact: (contactId) => this.requireContact(contactId),
      keyChanges: this.keyChangeBook,
      redial: (contactId) => this.redial(contactId),
      listeningPort: () => this.listening.port,
      capture: this.recorder,
      runtime,
    });
    this.drills = views.drillsView(this.drillKit);
    this.contactDialer = new ContactDialer({
      contacts: store.contacts,
      requireContact: (contactId) => this.requireContact(contactId),
      links: this.links,
      sessions: this.sessions,
      dialing: this.dialing,
      reconnector: this.reconnector,
      keyChanges: this.keyChangeBook,
      routeOf: (contact) => this.drillKit.routeOf(contact),
      ownName: () => this.identity.name,
      ownPin: () => this.identity.pin,
    });
  }

  get identity(): Identity {
    if (!this.id) throw new LockstepError('IDENTITY_MISSING', 'Create an identity first (choose a display name).');
    return this.id;
  }

  get hasIdentity(): boolean {
    return this.id !== null;
  }

  async createIdentity(name: string): Promise<Identity> {
    this.id = await createIdentity(this.options.profileDir, name, this.options.protector ?? null);
    this.viewChanges.changed('identity');
    if (this.options.listen !== false) await this.startListening();
    return this.id;
  }

  /** Start listening (once); errors are kept for network() as well as thrown. */
  async startListening(where?: { host?: string; port?: number }): Promise<{ host: string; port: number }> {
    if (where) this.options.listen = where;
    const wanted = this.options.listen || {};
    try {
      const bound = await this.listening.start(wanted.host ?? '0.0.0.0', wanted.port ?? DEFAULT_PORT);
      this.discovery.advertise();
      return bound;
    } finally {
      this.viewChanges.changed('listening'); // bound, or its error kept for network()
    }
  }

  network = (): NetworkStatus => this.listening.status();

  addContact(input: { address: string; pin: string; name?: string }): Contact {
    const { host, port } = parseAddress(input.address);
    const pin = parsePin(input.pin);
    if (this.id && pin === this.id.pin) throw new LockstepError('BAD_PIN', 'That is your own pin.');
    const { contact, created } = this.store.contacts.add({ name: cleanName(input.name ?? ''), pin, address: formatAddress({ host, port }), verified: false });
    this.contactChanged(contact.id, created ? 'added' : 'updated');
    return contact;
  }

  /** Let exactly this key in (`listen --trust PIN`): a contact by pin alone, with no address to dial. */
  trustKey(input: { pin: string; name?: string }): Contact {
    const pin = parsePin(input.pin);
    if (this.id && pin === this.id.pin) throw new LockstepError('BAD_PIN', 'That is your own pin.');
    const { contact, created } = this.store.contacts.add({ name: cleanName(input.name ?? ''), pin, address: null });
    if (created) this.contactChanged(contact.id, 'added');
    return contact;
  }

  /** What an invite says and what adding it would change, without storing anything. */
  previewInvite = (invite: string): InvitePreview => previewInvite(this.store.contacts, invite, this.id?.pin ?? null);

  /** Add the invite's contact; changing a known contact needs `confirmChanges` (see invites.ts). */
  addContactFromInvite(invite: string, { confirmChanges = false } = {}): Contact {
    const preview = this.previewInvite(invite);
    if (!preview.existing) return this.addContact({ address: preview.address, pin: preview.pin, name: preview.name });
    const contact = applyInviteChanges(this.store.contacts, preview, confirmChanges);
    if (preview.changes.length > 0) this.contactChanged(contact.id, 'updated');
    return contact;
  }

  /** Dial a contact (no-op if already connected or connecting). Resolves when the socket is checked. */
  connect = (contactId: string): Promise<void> => this.contactDialer.connect(contactId);

  /** After a lost or failed connection: try again later if the user still wants this contact. */
  private retryLater = (contactId: string, code: string | null): void => this.contactDialer.retryLater(contactId, code);

  /**
   * Remove a contact and its conversation. Its key is trusted no more: a later connection with it
   * is a stranger's (asked about, or refused, like any unknown key), its connection is closed, its
   * history, queue and pending key changes are gone. A damaged contact can be removed this way.
   */
  async removeContact(contactId: string): Promise<void> {
    const contact = this.requireContact(contactId);
    if (this.drillKit.activeDrill?.contactId === contactId) await this.drillKit.stopEve();
    this.contactDialer.forget(contactId);
    this.keyChangeBook.forgetContact(contactId);
    this.delivery.commitNow(); // what this turn queued goes with the rest, not into a deleted conversation
    this.store.contacts.remove(contact.id);
    this.store.messages.forgetContact(contactId);
    this.links.of(contactId).session?.close('contact removed');
    this.links.forget(contactId);
    this.contactChanged(contactId, 'removed');
  }

  /** Queue a message: stored at the end of this turn with the turn's others (afterStored), then sent or dialled. */
  send(contactId: string, text: string): MessageView {
    if (!this.store.contacts.exists(contactId)) throw new LockstepError('NOT_FOUND', 'No such contact.');
    if (text.trim().length === 0) throw new LockstepError('BAD_ARGUMENT', 'A message needs some text.');
    return this.delivery.queue(contactId, text);
  }

  /** Run `fn` once every message sent so far is stored; `failed`: ids that could not be (and are not sent). */
  afterStored = (fn: (failed: ReadonlySet<string>) => void): void => this.delivery.afterCommit(fn);

  /** Keep a contact connected from now on: dial it (if it has an address) and retry when it drops. */
  want = (contactId: string): void => this.contactDialer.want(contactId);

  decide(requestId: string, decision: 'trust' | 'reject'): Contact | null {
    if (!this.gate.requests().some((r) => r.id === requestId)) {
      throw new LockstepError('NOT_FOUND', 'That request is gone: the other side may have left. Ask them to connect again.');
    }
    return this.gate.decide(requestId, decision);
  }

  /**
   * Show a pairing code and accept one pairing attempt with it (see PairingFlow). With a key
   * change's id (its card's "pair again"), a success re-pins that change's contact.
   */
  startPairing = (code?: string, target?: PairingTarget): string => this.trust.pairing.start(code, target);

  stopPairing = (): void => this.trust.pairing.stop();

  get activePairingCode(): string | null {
    return this.trust.pairing.activeCode;
  }

  /** Dial a listener that shows a pairing code, and pin each other if both typed the same code. */
  async pairWith(address: string, code: string, target?: PairingTarget): Promise<Contact> {
    const contact = await this.trust.pairing.pairWith(address, code, target);
    this.contactDialer.keep(contact.id);
    return contact;
  }

  /** Drop the live connection to a contact (if any) and dial again, e.g. through Eve for a drill. */
  private redial = (contactId: string): void => this.contactDialer.redial(contactId);

  /** After comparing safety numbers with the contact: show them as verified. */
  markVerified(contactId: string, verified = true): void {
    this.store.contacts.setVerified(this.requireContact(contactId).id, verified);
    this.contactChanged(contactId, 'updated');
  }

  /** Accept a changed key after the user compared the whole safety number and typed the asked groups. */
  reverifyKeyChange(changeId: string, answer: ReverifyAnswer): Contact {
    const record = this.keyChangeBook.reverify(changeId, answer);
    const contact = this.requireContact(record.contactId);
    this.contactChanged(contact.id, 'updated');
    if (record.requestId && this.gate.admitAs(record.requestId, contact)) return contact;
    this.want(contact.id);
    return contact;
  }

  /** The tamper drill: flip one bit in the next record this side sends to the contact. */
  flipBitInNextMessage = (contactId: string): void => this.drillKit.flipNextRecord(this.requireContact(contactId), this.links.of(contactId));

  markRead(contactId: string): void {
    this.store.messages.markRead(this.requireContact(contactId).id);
    this.contactChanged(contactId, 'updated');
  }

  connectionState = (contactId: string): ConnectionState => this.links.of(contactId).state;

  /** How the connection to a contact stands: its state, its connection id, and why it last closed. */
  connection(contactId: string): Pick<Link, 'state' | 'connId' | 'lastClose'> {
    const { state, connId, lastClose } = this.links.of(contactId);
    return { state, connId, lastClose };
  }

  /** When the reconnector dials this contact next, if it is waiting to. */
  nextAttemptAt = (contactId: string): string | null => this.reconnector.nextAttemptAt(contactId);

  /** Dialers waiting for the user's decision (the request cards). */
  requests = (): RequestView[] => this.gate.requests();

  /** Close the live connection to a contact politely (`bye`); a wanted contact is dialled again later. */
  disconnect(contactId: string, reason = 'closed by the user'): void {
    this.links.of(contactId).session?.close(reason);
  }

  requireContact(contactId: string): Contact {
    const contact = this.store.contacts.byId(contactId);
    if (!contact) throw new LockstepError('NOT_FOUND', 'No such contact.');
    return contact;
  }

  async close(): Promise<void> {
    this.contactDialer.stop();
    this.reconnector.stopAll();
    this.trust.tally.stop();
    this.keyChangeBook.stop();
    this.gate.closeAll();
    await this.discovery.stop();
    await this.drillKit.close();
    this.sessions.closeAll('the app is closing');
    await this.listening.close();
    this.store.db.close();
  }

  get atRest() {
    return this.store.protection;
  }

  private contactChanged(contactId: string, change: 'added' | 'updated' | 'online' | 'offline' | 'removed'): void {
    this.events.emit({ conn: null, dir: 'local', layer: 'store', kind: 'contact.changed', summary: `Contact ${change}.`, detail: { contactId, change } });
    this.viewChanges.changed(change === 'added' ? 'contact-added' : change === 'removed' ? 'contact-removed' : 'contact-updated');
  }
}

/** Open a profile: its database and, if it has one, its identity; start listening if asked. */
export async function openMessenger(options: MessengerOptions): Promise<Messenger> {
  const identity = loadIdentity(options.profileDir, options.protector ?? null);
  ensurePrivateDir(options.profileDir);
  const store = openStore(options.profileDir, { nativeBinding: options.nativeBinding, protector: options.protector });
  const runtime = await runtimeReport(options.runtime);
  const messenger = new Messenger(options, store, identity, runtime.features, runtime.problem);
  if (identity && options.listen !== false) {
    await messenger.startListening().catch(() => undefined); // kept in network().error for the UI
  }
  // Whatever was still in the outbox when the app stopped goes out as soon as the peer is reachable.
  if (identity) for (const contactId of store.messages.contactsWithOutbox()) messenger.want(contactId);
  return messenger;
}
