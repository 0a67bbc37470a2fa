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
