/**
 * An OS notification when a message arrives while the window is not focused, driven by
 * `message.received` events.
 *
 * It says who wrote, never what: notifications show on lock screens and projected desktops, and
 * the OS keeps them in its own notification history — a plaintext copy outside Lockstep's store,
 * where message bodies are encrypted at rest. Reading the message means opening the app.
 */
import type { LockstepEvent } from '../../shared/events';

export interface MessageNotice {
  contactId: string;
  title: string;
  body: string;
}

export interface NotifierDeps {
  isWindowFocused(): boolean;
  /** The contact's name as saved in the store, or null if unknown. */
  contactName(contactId: string): Promise<string | null>;
  show(notice: MessageNotice): void;
}

/** Names come from peers' certificates: keep them to one short line. */
const MAX_NAME_CHARS = 64;

/** Count the new messages in a batch per contact, in order of first arrival. */
export function receivedPerContact(batch: readonly LockstepEvent[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const event of batch) {
    if (event.kind === 'message.received') {
      const id = event.detail.contactId;
      counts.set(id, (counts.get(id) ?? 0) + 1);
    }
  }
  return counts;
}

/** The words of one notice. */
export function messageNotice(contactId: string, name: string | null, count: number): MessageNotice {
  const title = name ? oneLine(name) : 'Lockstep';
  const body = count === 1 ? 'New message' : `${count} new messages`;
  return { contactId, title, body };
}

/** A batch listener: one notice per contact per batch, and none while the user is looking. */
export function createMessageNotifier(deps: NotifierDeps): (batch: readonly LockstepEvent[]) => Promise<void> {
  return async (batch) => {
    if (deps.isWindowFocused()) return;
    for (const [contactId, count] of receivedPerContact(batch)) {
      const name = await deps.contactName(contactId).catch(() => null);
      deps.show(messageNotice(contactId, name, count));
    }
  };
}

function oneLine(text: string): string {
  const flat = text.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]+/gu, ' ').trim();
  return flat.length > MAX_NAME_CHARS ? `${flat.slice(0, MAX_NAME_CHARS - 1)}…` : flat || 'Lockstep';
}
