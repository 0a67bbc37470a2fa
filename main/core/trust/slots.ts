/**
 * Seats for strangers: how many connections in one unauthenticated state (in handshake, held for
 * the user) may exist at once, in all and per source address. A refused `take` costs nothing; a
 * taken seat is given back exactly once, however the connection ends.
 */
export class Slots {
  private total = 0;
  private readonly bySource = new Map<string, number>();

  constructor(
    private readonly max: number,
    private readonly maxPerSource: number,
  ) {}

  get size(): number {
    return this.total;
  }

  /** A seat for `source`, or null when a cap is full. Call the returned function to give it back. */
  take(source: string): (() => void) | null {
    const mine = this.bySource.get(source) ?? 0;
    if (this.total >= this.max || mine >= this.maxPerSource) return null;
    this.total += 1;
    this.bySource.set(source, mine + 1);
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.total -= 1;
      const left = (this.bySource.get(source) ?? 1) - 1;
      if (left > 0) this.bySource.set(source, left);
      else this.bySource.delete(source);
    };
  }
}

/**
 * How often one source address may open a new connection: at most `perMinute` in any minute.
 * Seats bound how many strangers wait at once; this bounds how fast one of them can come back,
 * so a loop of short-lived connections cannot drown the panel's bounded history or the CPU.
 */
export class SourceRate {
  private readonly seen = new Map<string, number[]>();

  constructor(
    private readonly perMinute: number,
    /** Sources remembered at most (the oldest are forgotten first). */
    private readonly maxSources = 4096,
  ) {}

  allow(source: string, now = Date.now()): boolean {
    const recent = (this.seen.get(source) ?? []).filter((t) => now - t < 60_000);
    this.seen.delete(source);
    if (recent.length >= this.perMinute) {
      this.seen.set(source, recent);
      return false;
    }
    recent.push(now);
    this.seen.set(source, recent);
    if (this.seen.size > this.maxSources) this.seen.delete(this.seen.keys().next().value!);
    return true;
  }
}
