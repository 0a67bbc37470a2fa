/**
 * One line for many refusals. When a cap turns newcomers away, the user should read "12 unknown
 * connections refused in the last minute", not meet twelve cards or twelve panel rows. Refusals
 * are counted over a sliding window and summed up in a `trust.throttled` event: the first at
 * once, then at most one every `summaryMs` while more keep coming.
 */
import type { EventInput } from '../../../shared/events';

/** The codes a cap refuses with, and how the summary words each. */
export const REFUSAL_WORDS = {
  TOO_MANY_CONNECTIONS: 'too many connections in handshake',
  TOO_MANY_REQUESTS: 'too many requests waiting for a decision',
  TOO_MANY_KEY_CHANGES: 'too many key changes pending',
  PAIRING_RATE_LIMITED: 'too many failed pairing attempts',
} as const;

export type RefusalCode = keyof typeof REFUSAL_WORDS;

export interface RefusalTallyOptions {
  emit: (event: EventInput) => void;
  summaryMs: number;
  windowMs?: number;
}

export class RefusalTally {
  private refusals: { at: number; code: RefusalCode }[] = [];
  private timer: NodeJS.Timeout | null = null;
  private dirty = false;
  private readonly windowMs: number;

  constructor(private readonly o: RefusalTallyOptions) {
    this.windowMs = o.windowMs ?? 60_000;
  }

  count(code: RefusalCode): void {
    this.refusals.push({ at: Date.now(), code });
    this.dirty = true;
    if (!this.timer) this.flush();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private flush(): void {
    this.timer = null;
    if (!this.dirty) return;
    this.dirty = false;
    const since = Date.now() - this.windowMs;
    this.refusals = this.refusals.filter((r) => r.at >= since);
    const codes: Record<string, number> = {};
    for (const r of this.refusals) codes[r.code] = (codes[r.code] ?? 0) + 1;
    const count = this.refusals.length;
    const why = Object.entries(codes).map(([code, n]) => `${n} for ${REFUSAL_WORDS[code as RefusalCode]}`).join(', ');
    const minutes = this.windowMs === 60_000 ? 'the last minute' : `the last ${Math.round(this.windowMs / 1000)} s`;
    this.o.emit({
      conn: null,
      dir: 'local',
      layer: 'trust',
      kind: 'trust.throttled',
      summary: `${count} unknown connection${count === 1 ? '' : 's'} refused in ${minutes} (${why}). Contacts you know are never refused for this.`,
      detail: { count, windowMs: this.windowMs, codes },
    });
    this.timer = setTimeout(() => this.flush(), this.o.summaryMs);
    this.timer.unref();
  }
}
