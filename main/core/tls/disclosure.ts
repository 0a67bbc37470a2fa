/**
 * Whether a connection's plaintext may leave the engine. The record observer decrypts every
 * record as it crosses the tap — before the peer has been judged, while it is held for the user,
 * and on connections that are refused — so what it opens is held back here until the peer is
 * trusted. Until then the events carry the record's structure and `withheld` instead of the
 * text; on trust, what was held goes out once in a `tls.released` event; a connection that ends
 * untrusted is refused for good and its plaintext is dropped, never shown.
 */
import type { EventInput, HelloSummary, Withheld } from '../../../shared/events';
import { ALPN } from '../wire/protocol';

export interface HeldRecord {
  dir: 'in' | 'out';
  index: number;
  plaintext: string;
}

export interface HeldWitness {
  dir: 'in' | 'out';
  recordIndex: number;
  preview: string;
}

/** What the record observer and the witness ask before putting plaintext into an event. */
export interface Disclosure {
  /** Null once the peer is trusted; otherwise why plaintext stays out of events. */
  withheld(): Withheld | null;
  holdRecord(record: HeldRecord): void;
  holdWitness(witness: HeldWitness): void;
}

/**
 * For the decoder's own unit tests and the benchmarks, which feed recorded streams with no peer
 * to judge: plaintext is not gated. Never used for a live connection.
 */
/**
 * A hello from the peer carries strings the peer chose (the server name, ALPN names other than
 * Lockstep's own). Until the peer is trusted they are shown by their length only: a stranger
 * writes no text on the panel.
 */
export function guardHelloStrings(summary: HelloSummary, disclosure: Disclosure): HelloSummary {
  const withheld = disclosure.withheld();
  const ownText = summary.serverName !== null || summary.alpn.some((name) => name !== ALPN);
  if (!withheld || !ownText) return summary;
  const length = (text: string) => `‹${text.length} byte${text.length === 1 ? '' : 's'}›`;
  return {
    ...summary,
    serverName: summary.serverName === null ? null : length(summary.serverName),
    alpn: summary.alpn.map((name) => (name === ALPN ? name : length(name))),
    withheld,
  };
}

export const UNGATED: Disclosure = { withheld: () => null, holdRecord: () => undefined, holdWitness: () => undefined };

/** Plaintext kept per connection while its peer is judged: a hello and a few frames fit easily. */
const MAX_HELD_BYTES = 64 * 1024;

export class ConnectionDisclosure implements Disclosure {
  private state: 'pending' | 'trusted' | 'refused' = 'pending';
  private records: HeldRecord[] = [];
  private witnesses: HeldWitness[] = [];
  private heldBytes = 0;
  private dropped = 0;

  constructor(
    private readonly conn: string,
    private readonly emit: (event: EventInput) => void,
  ) {}

  get trusted(): boolean {
    return this.state === 'trusted';
  }

  withheld(): Withheld | null {
    return this.state === 'trusted' ? null : this.state === 'refused' ? 'peer-refused' : 'peer-not-trusted';
  }

  holdRecord(record: HeldRecord): void {
    if (this.state !== 'pending' || !this.room(record.plaintext.length)) return;
    this.records.push(record);
  }

  holdWitness(witness: HeldWitness): void {
    if (this.state !== 'pending' || !this.room(witness.preview.length)) return;
    this.witnesses.push(witness);
  }

  /** The peer is trusted (a pinned key, the user's yes, a pairing): release what was held, once. */
  trust(): void {
    if (this.state !== 'pending') return;
    this.state = 'trusted';
    const { records, witnesses, dropped } = this;
    this.forget();
    if (records.length === 0 && witnesses.length === 0 && dropped === 0) return;
    this.emit({
      conn: this.conn,
      dir: 'local',
      layer: 'record',
      kind: 'tls.released',
      summary: `The peer is trusted now: the plaintext of ${records.length} record${records.length === 1 ? '' : 's'} held back until this decision is shown${dropped ? ` (${dropped} more were not kept)` : ''}.`,
      detail: { records, witnesses, dropped },
    });
  }

  /** The connection ended, or was refused, before its peer was trusted: nothing is ever released. */
  refuse(): void {
    if (this.state !== 'pending') return;
    this.state = 'refused';
    this.forget();
  }

  private room(chars: number): boolean {
    if (this.heldBytes + chars > MAX_HELD_BYTES) {
      this.dropped += 1;
      return false;
    }
    this.heldBytes += chars;
    return true;
  }

  private forget(): void {
    this.records = [];
    this.witnesses = [];
    this.heldBytes = 0;
    this.dropped = 0;
  }
}
