/**
 * Automatic reconnection for the dialing side: exponential backoff with jitter, so two peers that
 * lost each other at the same moment do not retry in lockstep (the pun is not the point: a
 * thundering herd of retries is). Each contact has at most one pending attempt.
 */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  /** Fraction of the delay randomised either way (0.3 → ±30 %). */
  jitter: number;
}

/** Delay before attempt number `attempt` (1-based). Pure, so it can be tested as data. */
export function backoffDelay(attempt: number, opts: BackoffOptions, random: () => number = Math.random): number {
  const base = Math.min(opts.maxMs, opts.initialMs * 2 ** Math.max(0, attempt - 1));
  const spread = base * opts.jitter * (random() * 2 - 1);
  return Math.max(0, Math.round(base + spread));
}

interface Plan {
  attempt: number;
  timer: NodeJS.Timeout | null;
  at: number | null;
}

export class Reconnector {
  private readonly plans = new Map<string, Plan>();

  constructor(
    private readonly attemptConnect: (contactId: string) => Promise<void>,
    private readonly onPlanChange: (contactId: string) => void,
    private readonly opts: BackoffOptions,
  ) {}

  /** Plan the next attempt for a contact (no-op if one is already planned). */
  schedule(contactId: string): void {
    const plan = this.plans.get(contactId) ?? { attempt: 0, timer: null, at: null };
    if (plan.timer) return;
    plan.attempt += 1;
    const delay = backoffDelay(plan.attempt, this.opts);
    plan.at = Date.now() + delay;
    plan.timer = setTimeout(() => {
      plan.timer = null;
      plan.at = null;
      this.onPlanChange(contactId);
      this.attemptConnect(contactId).catch(() => undefined); // a failure schedules the next attempt
    }, delay);
    plan.timer.unref?.();
    this.plans.set(contactId, plan);
    this.onPlanChange(contactId);
  }

  /** The contact is connected: forget the backoff. */
  succeeded(contactId: string): void {
    this.cancel(contactId);
  }

  cancel(contactId: string): void {
    const plan = this.plans.get(contactId);
    if (!plan) return;
    if (plan.timer) clearTimeout(plan.timer);
    this.plans.delete(contactId);
    this.onPlanChange(contactId);
  }

  nextAttemptAt(contactId: string): string | null {
    const at = this.plans.get(contactId)?.at;
    return at ? new Date(at).toISOString() : null;
  }

  stopAll(): void {
    for (const plan of this.plans.values()) if (plan.timer) clearTimeout(plan.timer);
    this.plans.clear();
  }
}
