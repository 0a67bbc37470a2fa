import type { LockstepEvent, View } from '../../shared/events';
import type { LockstepApi } from '../../shared/ipc-contract';
import type { AtRestView, ContactView, DiscoveryView, IdentityView, KeyChangeView, MessageView, NetworkView, RequestView, Result } from '../../shared/views';
import { coalesce } from './coalesce';
import { EVENT_LIMIT, freshEvents, mergeEvents } from './event-buffer';
import { foldImpostorAlerts, type ImpostorAlert } from './impostor-alerts';
import { settle } from './result';

/** Everything the renderer knows about the engine; replaced (never mutated) on every change. */
export interface EngineState {
  status: 'starting' | 'ready' | 'failed';
  startError: string | null;
  /** Null on first run, until the user picks a name. */
  identity: IdentityView | null;
  network: NetworkView | null;
  contacts: readonly ContactView[];
  requests: readonly RequestView[];
  /** Unresolved key changes, oldest first (the blocking cards). */
  keyChanges: readonly KeyChangeView[];
  /** LAN discovery: off (no interface) until the user starts it. */
  discovery: DiscoveryView;
  /** How the history on disk is protected: fixed while the engine runs, read once. */
  atRest: AtRestView | null;
  /** Why the last read of a view failed, in words, until one succeeds. */
  readErrors: Readonly<Partial<Record<Reading, string>>>;
  /** Messages of the contacts whose chat has been opened, oldest first. */
  messages: Readonly<Record<string, readonly MessageView[]>>;
  /** Paging of each open chat's history: older pages are loaded on demand, newest page first. */
  history: Readonly<Record<string, HistoryPaging>>;
  /** The newest events, ordered by seq. */
  events: readonly LockstepEvent[];
  /**
   * Bumped when events were inserted before ones already kept (the start-up backlog landing after
   * live batches): views that extend themselves incrementally from `events` start over then.
   */
  eventsEpoch: number;
  alerts: readonly ImpostorAlert[];
  /** The newest clicked `lockstep://` invite link (app.invite-opened), for "Add contact" to offer. */
  openedInvite: { seq: number; invite: string } | null;
  /** The last background refresh that failed, in words (shown in the status line). */
  lastError: string | null;
}

/** What the store reads: the views the engine invalidates, and the one it never does. */
export type Reading = Exclude<View, 'messages'> | 'atRest';

export interface HistoryPaging {
  loadingOlder: boolean;
  /** The oldest message is loaded: nothing older to ask for. */
  complete: boolean;
}

const initialState: EngineState = {
  status: 'starting',
  startError: null,
  identity: null,
  network: null,
  contacts: [],
  requests: [],
  keyChanges: [],
  discovery: { interface: null, candidates: [], peers: [] },
  atRest: null,
  readErrors: {},
  messages: {},
  history: {},
  events: [],
  eventsEpoch: 0,
  alerts: [],
  openedInvite: null,
  lastError: null,
};

export const MESSAGE_PAGE = 100;
/** Events applied per task when a burst arrives. */
const BATCH_SLICE = 1_000;

const bySentAt = (a: MessageView, b: MessageView) => (a.sentAt < b.sentAt ? -1 : a.sentAt > b.sentAt ? 1 : 0);

function newestInvite(current: EngineState['openedInvite'], fresh: readonly LockstepEvent[]): EngineState['openedInvite'] {
  let newest = current;
  for (const e of fresh) if (e.kind === 'app.invite-opened' && (!newest || e.seq > newest.seq)) newest = { seq: e.seq, invite: e.detail.invite };
  return newest;
}

/**
 * The engine's state for React (`useSyncExternalStore`): fed by event batches. Every read of the
 * engine happens here: once at start, then again exactly when a `view.invalidated` event names
 * the view (components read the store, never the API). One state update per batch, so a
 * 10,000-event burst renders once, and each view's reads are coalesced (coalesce.ts).
 */
export class EngineStore {
  private state: EngineState = initialState;
  private readonly listeners = new Set<() => void>();
  private unsubscribeEvents: (() => void) | null = null;
  private readonly pendingSlices: (readonly LockstepEvent[])[] = [];
  private readonly messageRefreshers = new Map<string, () => Promise<void>>();

  constructor(
    private readonly api: LockstepApi,
    private readonly eventLimit = EVENT_LIMIT,
  ) {}

  getState = (): EngineState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Subscribe first, then read the backlog: an event emitted in between arrives by one route or both, never by none. */
  async start(): Promise<void> {
    this.unsubscribeEvents ??= this.api.onEvents((batch) => this.receive(batch));
    const [backlog, identity] = await Promise.all([settle(this.api.getEventBacklog({})), settle(this.api.getIdentity({}))]);
    if (backlog.ok) this.applyBatch(backlog.value);
    if (!identity.ok) {
      this.update({ status: 'failed', startError: identity.error.message });
      return;
    }
    this.update({ status: 'ready', identity: identity.value });
    if (identity.value) await this.refreshAll();
  }

  stop(): void {
    this.unsubscribeEvents?.();
    this.unsubscribeEvents = null;
  }

  /**
   * A burst (thousands of events at once) is applied in slices, one per task, so the window keeps
   * answering between them instead of freezing on one long task.
   */
  private receive(batch: readonly LockstepEvent[]): void {
    const first = this.pendingSlices.length === 0;
    for (let i = 0; i < batch.length; i += BATCH_SLICE) this.pendingSlices.push(batch.slice(i, i + BATCH_SLICE));
    if (first) this.applyNextSlice();
  }

  private applyNextSlice(): void {
    const slice = this.pendingSlices[0];
    if (!slice) return;
    try {
      this.applyBatch(slice);
    } finally {
      this.pendingSlices.shift();
      if (this.pendingSlices.length > 0) setTimeout(() => this.applyNextSlice(), 0);
    }
  }

  applyBatch(batch: readonly LockstepEvent[]): void {
    if (batch.length === 0) return;
    const fresh = freshEvents(this.state.events, batch);
    if (fresh.length === 0) return;
    const kept = this.state.events;
    const appended = kept.length === 0 || fresh.every((event, i) => event.seq > (i === 0 ? kept[kept.length - 1]!.seq : fresh[i - 1]!.seq));
    this.update({
      events: mergeEvents(kept, fresh, this.eventLimit),
      eventsEpoch: appended ? this.state.eventsEpoch : this.state.eventsEpoch + 1,
      alerts: foldImpostorAlerts(this.state.alerts, fresh),
      openedInvite: newestInvite(this.state.openedInvite, fresh),
    });
    if (this.state.identity) this.refreshFor(fresh);
  }

  async createIdentity(name: string): Promise<Result<IdentityView>> {
    const result = await settle(this.api.createIdentity({ name }));
    if (result.ok) {
      this.update({ identity: result.value });
      await this.refreshAll();
    }
    return result;
  }

  /** Start keeping (and refreshing) the messages of a contact whose chat is open. */
  watchMessages(contactId: string): Promise<void> {
    return this.messageRefresher(contactId)();
  }

  /**
   * Load the page of messages just before the oldest one loaded (`before` is that message's id).
   * Does nothing while a page is loading or once the oldest message is in.
   */
  async loadOlderMessages(contactId: string): Promise<void> {
    const loaded = this.state.messages[contactId];
    const paging = this.state.history[contactId];
    const oldest = loaded?.[0];
    if (!oldest || !paging || paging.loadingOlder || paging.complete) return;
    this.setPaging(contactId, { loadingOlder: true, complete: false });
    const result = await settle(this.api.listMessages({ contactId, before: oldest.id, limit: MESSAGE_PAGE }));
    if (!result.ok) {
      this.setPaging(contactId, { loadingOlder: false, complete: false });
      this.update({ lastError: result.error.message });
      return;
    }
    const current = this.state.messages[contactId] ?? [];
    const known = new Set(current.map((m) => m.id));
    const older = [...result.value].filter((m) => !known.has(m.id)).sort(bySentAt);
    this.update({
      messages: { ...this.state.messages, [contactId]: [...older, ...current] },
      history: { ...this.state.history, [contactId]: { loadingOlder: false, complete: result.value.length < MESSAGE_PAGE } },
    });
  }

  private setPaging(contactId: string, paging: HistoryPaging): void {
    this.update({ history: { ...this.state.history, [contactId]: paging } });
  }

  /** Show a message the engine just accepted, before the event that announces it arrives. */
  upsertMessage(message: MessageView): void {
    const list = this.state.messages[message.contactId] ?? [];
    const next = list.some((m) => m.id === message.id) ? list.map((m) => (m.id === message.id ? message : m)) : [...list, message];
    this.update({ messages: { ...this.state.messages, [message.contactId]: next } });
  }

  /** Put a contact the engine returned (add, trust) in the list before its invalidation arrives. */
  upsertContact(contact: ContactView): void {
    const list = this.state.contacts;
    const next = list.some((c) => c.id === contact.id) ? list.map((c) => (c.id === contact.id ? contact : c)) : [...list, contact];
    this.update({ contacts: next });
  }

  /** Show what a discovery command answered (start, stop) before its invalidation arrives. */
  showDiscovery(discovery: DiscoveryView): void {
    this.update({ discovery });
  }

  /** Drop a request this window just decided, before its invalidation arrives. */
  forgetRequest(requestId: string): void {
    this.update({ requests: this.state.requests.filter((r) => r.id !== requestId) });
  }

  /** Drop a key change this window just resolved, before its invalidation arrives. */
  forgetKeyChange(changeId: string): void {
    this.update({ keyChanges: this.state.keyChanges.filter((c) => c.id !== changeId) });
  }

  dismissAlert(key: string): void {
    this.update({ alerts: this.state.alerts.map((alert) => (alert.key === key ? { ...alert, dismissed: true } : alert)) });
  }

  /** One coalesced reader per view: a burst of invalidations is at most two reads. */
  private readonly readers: Readonly<Record<Reading, () => Promise<void>>> = {
    identity: this.reader('identity', () => this.api.getIdentity({}), (identity) => (identity ? { identity } : {})),
    network: this.reader('network', () => this.api.getNetwork({}), (network) => ({ network })),
    contacts: this.reader('contacts', () => this.api.listContacts({}), (contacts) => ({ contacts })),
    requests: this.reader('requests', () => this.api.listRequests({}), (requests) => ({ requests })),
    keyChanges: this.reader('keyChanges', () => this.api.listKeyChanges({}), (keyChanges) => ({ keyChanges })),
    discovery: this.reader('discovery', () => this.api.getDiscovery({}), (discovery) => ({ discovery })),
    atRest: this.reader('atRest', () => this.api.getAtRest({}), (atRest) => ({ atRest })),
  };

  private reader<T>(name: Reading, read: () => Promise<Result<T>>, apply: (value: T) => Partial<EngineState>): () => Promise<void> {
    return coalesce(async () => {
      const result = await settle(read());
      const { [name]: _cleared, ...readErrors } = this.state.readErrors;
      if (result.ok) this.update({ ...apply(result.value), readErrors, lastError: null });
      else this.update({ readErrors: { ...readErrors, [name]: result.error.message }, lastError: result.error.message });
    });
  }

  private async refreshAll(): Promise<void> {
    await Promise.all((['network', 'contacts', 'requests', 'keyChanges', 'discovery', 'atRest'] as const).map((name) => this.readers[name]()));
  }

  /** Read again exactly the views this batch invalidated; a conversation only if its chat is kept. */
  private refreshFor(fresh: readonly LockstepEvent[]): void {
    const views = new Set<Reading>();
    const chats = new Set<string>();
    for (const event of fresh) {
      if (event.kind !== 'view.invalidated') continue;
      const { view, contactId } = event.detail;
      if (view !== 'messages') views.add(view);
      else if (contactId === undefined) for (const id of Object.keys(this.state.messages)) chats.add(id);
      else if (this.state.messages[contactId]) chats.add(contactId);
    }
    for (const view of views) void this.readers[view]();
    for (const contactId of chats) void this.messageRefresher(contactId)();
  }

  private messageRefresher(contactId: string): () => Promise<void> {
    let refresher = this.messageRefreshers.get(contactId);
    if (!refresher) {
      refresher = coalesce(async () => {
        const result = await settle(this.api.listMessages({ contactId, limit: MESSAGE_PAGE }));
        if (!result.ok) {
          this.update({ lastError: result.error.message });
          return;
        }
        // Oldest first whatever order the engine answers in; sort is stable for equal times.
        const page = [...result.value].sort(bySentAt);
        const current = this.state.messages[contactId] ?? [];
        const pageIds = new Set(page.map((m) => m.id));
        // The newest page replaces its own messages; older pages loaded before stay in front of it,
        // unless the newest page no longer overlaps them (more than a page arrived meanwhile).
        const overlaps = page.length < MESSAGE_PAGE || current.some((m) => pageIds.has(m.id));
        const kept = overlaps && page.length > 0 ? current.filter((m) => !pageIds.has(m.id) && bySentAt(m, page[0]!) <= 0) : [];
        const paging = this.state.history[contactId];
        this.update({
          messages: { ...this.state.messages, [contactId]: [...kept, ...page] },
          history: {
            ...this.state.history,
            [contactId]: kept.length > 0 && paging ? paging : { loadingOlder: false, complete: page.length < MESSAGE_PAGE },
          },
        });
      });
      this.messageRefreshers.set(contactId, refresher);
    }
    return refresher;
  }

  private update(patch: Partial<EngineState>): void {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }
}
