/**
 * The tamper drill, from the sender's side: flip one bit of the ciphertext of the next outgoing
 * application-data record, after TLS has sealed it, as an attacker on the wire would. The
 * receiver's AEAD check must reject it (bad_record_mac) and nothing corrupt may be shown.
 */
import type { Tap } from '../tls/tap';

const APPLICATION_DATA = 23;
const HEADER = 5;
const TAG = 16;

export interface FlipReport {
  byteOffset: number;
  bit: number;
}

/** Arm the tap: the next chunk that starts with an application-data record gets one bit flipped. */
export function armBitFlip(tap: Tap, onFlipped: (report: FlipReport) => void): void {
  const previous = tap.transformOutbound;
  tap.transformOutbound = (chunk) => {
    if (chunk.length <= HEADER + TAG || chunk[0] !== APPLICATION_DATA) return previous ? previous(chunk) : chunk;
    tap.transformOutbound = previous;
    // Inside the encrypted body, clear of the header: the receiver cannot tell which bit changed, only that one did.
    const byteOffset = HEADER + Math.min(2, chunk.readUInt16BE(3) - TAG - 1);
    const bit = 0;
    const copy = Buffer.from(chunk);
    copy[byteOffset]! ^= 1 << bit;
    onFlipped({ byteOffset, bit });
    return copy;
  };
}
