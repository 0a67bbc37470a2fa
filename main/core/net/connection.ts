/**
 * One value per connection, made once where the socket is tapped (net/handshake.ts) and passed
 * along explicitly: the secured peer carries it, the session and the pairing channel take their
 * witness from it, and events take its role from it. Nothing about a connection is read back out
 * of its id or looked up by its socket.
 */
import type { Role } from '../../../shared/events';
import type { ConnectionDisclosure } from '../tls/disclosure';
import type { KeyExchangeTracker } from '../tls/key-exchange';
import type { PlaintextWitness } from '../tls/plaintext-witness';
import type { RecordObserver } from '../tls/record-observer';
import type { Tap } from '../tls/tap';

/** Who a connection is with: a peer (a contact or a stranger), Eve the drill relay, a drill's own dial, or a dial to pair. */
export type ConnectionOrigin = 'peer' | 'eve' | 'drill' | 'pairing';

/**
 * How much of the engine watches a connection. Always `full` in the app; the bench measures the
 * cost of the record observer (`none`), of the plaintext witness (`records`), and what decrypting
 * each record a turn late saves (`inline`: every record decoded as it passes).
 */
export type Observation = 'full' | 'inline' | 'records' | 'none';

export interface Connection {
  readonly id: string;
  readonly role: Role;
  readonly origin: ConnectionOrigin;
  /** The Duplex between TCP and TLS that sees every byte (the tamper drill flips a bit through it). */
  readonly tap: Tap;
  /** Whether this connection's plaintext may leave the engine yet (disclosure.ts). */
  readonly disclosure: ConnectionDisclosure;
  /** Compares the independently decrypted records with the app's own bytes; null when not observed. */
  readonly witness: PlaintextWitness | null;
  readonly observer: RecordObserver | null;
  /** The groups offered, the key shares sent and the group chosen, as the hellos on the wire say. */
  readonly keyExchange: KeyExchangeTracker;
  /** Feed one keylog line (from the TLS socket's `keylog` event) to the observer and the hooks. */
  onKeylog(line: Buffer): void;
}
