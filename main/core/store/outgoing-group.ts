/**
 * Group commit for outgoing messages: every message sent in one turn of the event loop (one
 * synchronous run of the caller's code) is written in one transaction at the end of that turn,
 * and only then handed on to be sent. A message is therefore always committed before any byte of
 * it goes on the wire (PROTOCOL.md §3, "Delivery"), but a burst of sends pays for one commit,
 * not one each.
 *
 * Until the end of the turn the messages exist only in memory: code that reads the outbox in the
 * same turn calls `commit()` first (the store does, see MessageStore.beforeRead), and whoever
 * needs to know a message is on disk waits for `afterCommit`.
 */
import type { MessageView } from '../../../shared/views';
import type { MessageStore, StagedOutgoing } from './messages';

export interface OutgoingGroupHandlers {
  /** Whether this contact's messages go onto a live connection at the end of this turn. */
  sending?: (contactId: string) => boolean;
  /** Committed messages, in the order they were sent, not yet handed to a connection. */
  onCommitted: (views: MessageView[]) => void;
  /** The transaction failed: these messages were not stored and are not sent. */
  onFailed: (views: MessageView[], err: Error) => void;
}

export class OutgoingGroup {
  private staged: StagedOutgoing[] = [];
  /** Committed, waiting for the end of the turn to be handed on. */
  private committed: MessageView[] = [];
  private scheduled = false;
  private readonly waiting: ((failed: ReadonlySet<string>) => void)[] = [];
  /** Ids of this turn's messages whose transaction failed. */
  private failed = new Set<string>();

  constructor(
    private readonly messages: MessageStore,
    private readonly handlers: OutgoingGroupHandlers,
  ) {}

  /** Seal now (so a bad key throws to the caller), write at the end of the turn. */
  add(contactId: string, text: string): MessageView {
    const staged = this.messages.stageOutgoing(contactId, text);
    this.staged.push(staged);
    this.schedule();
    return staged.view;
  }

  /** Write what is staged now (still handed on at the end of the turn). */
  commit(): void {
    if (this.staged.length === 0) return;
    const batch = this.staged;
    this.staged = [];
    try {
      this.messages.addOutgoingMany(batch, this.handlers.sending);
    } catch (err) {
      for (const s of batch) this.failed.add(s.view.id);
      this.handlers.onFailed(
        batch.map((s) => s.view),
        err as Error,
      );
      return;
    }
    for (const s of batch) this.committed.push(s.view);
  }

  /**
   * Take the committed messages of one contact out of the hand-over: the caller sends that
   * contact's whole outbox itself (a fresh connection), so they must not go twice.
   */
  takeCommitted(contactId: string): void {
    this.commit();
    this.committed = this.committed.filter((v) => v.contactId !== contactId);
  }

  /**
   * Run `fn` once everything sent so far in this turn is written (at once if nothing is pending),
   * with the ids whose transaction failed (those are not stored and will not be sent).
   */
  afterCommit(fn: (failed: ReadonlySet<string>) => void): void {
    if (!this.scheduled) return fn(new Set());
    this.waiting.push(fn);
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => this.endOfTurn());
  }

  private endOfTurn(): void {
    this.scheduled = false;
    this.commit();
    const views = this.committed;
    this.committed = [];
    const failed = this.failed;
    this.failed = new Set();
    // Told "stored" before anything goes out, so a front end says "queued" before "sent".
    for (const fn of this.waiting.splice(0)) fn(failed);
    if (views.length > 0) this.handlers.onCommitted(views);
  }
}
