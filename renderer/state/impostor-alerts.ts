import type { LockstepEvent } from '../../shared/events';

/** A connection refused because the peer's key was not the pinned one. */
export interface ImpostorAlert {
  /** The refused connection (or `seq:N` when the engine reported no connection id). */
  key: string;
  conn: string | null;
  contactId: string | null;
  contactName: string | null;
  /** Wire-form pins (`sha256/…`), when the engine said which. */
  expected: string | null;
  presented: string | null;
  reason: string | null;
  at: number;
  dismissed: boolean;
}

type Found = Omit<ImpostorAlert, 'key' | 'dismissed'>;

function fromEvent(event: LockstepEvent): Found | null {
  const base = { conn: event.conn, at: event.at, contactId: null, contactName: null, expected: null, presented: null, reason: null };
  switch (event.kind) {
    case 'trust.check':
      if (event.detail.verdict !== 'mismatch') return null;
      return { ...base, contactId: event.detail.contactId, contactName: event.detail.contactName, expected: event.detail.expected, presented: event.detail.presented, reason: event.summary };
    case 'conn.closed':
      return event.detail.code === 'PIN_MISMATCH' ? { ...base, contactId: event.detail.contactId, reason: event.detail.reason } : null;
    case 'app.error':
      return event.detail.code === 'PIN_MISMATCH' ? { ...base, reason: event.detail.message } : null;
    default:
      return null;
  }
}

/**
 * Fold new events into the alerts. A mismatch is usually reported twice for one connection (the
 * pin check, then the close): both fill one alert, so the presenter dismisses each refusal once.
 */
export function foldImpostorAlerts(alerts: readonly ImpostorAlert[], fresh: readonly LockstepEvent[]): readonly ImpostorAlert[] {
  let next: ImpostorAlert[] | null = null;
  for (const event of fresh) {
    const found = fromEvent(event);
    if (!found) continue;
    next ??= [...alerts];
    const key = found.conn ?? `seq:${event.seq}`;
    const index = next.findIndex((alert) => alert.key === key);
    if (index < 0) {
      next.push({ ...found, key, dismissed: false });
      continue;
    }
    const old = next[index]!;
    next[index] = {
      ...old,
      contactId: old.contactId ?? found.contactId,
      contactName: old.contactName ?? found.contactName,
      expected: old.expected ?? found.expected,
      presented: old.presented ?? found.presented,
      reason: old.reason ?? found.reason,
    };
  }
  return next ?? alerts;
}
