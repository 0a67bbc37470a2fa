/**
 * Authentication of the trust columns of a contact — its pin, its address and its verified flag —
 * which stay in the clear so that a pin can be looked up, but must not be editable: whoever can
 * write the database could otherwise re-pin a contact to their own key. An HMAC-SHA256 over the
 * contact's id and those columns, under a key derived (HKDF-SHA256) from the database key, so it
 * is exactly as safe as the sealed history: protected by the OS keystore where there is one.
 * Which conversation belongs to which contact is authenticated the same way: moved to another
 * contact, a conversation's history would show under that name and its queue go to that key.
 */
import { timingSafeEqual } from 'node:crypto';

import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';

/** The columns a trust decision rests on; the name is sealed (with its row id) on its own. */
export interface TrustColumns {
  id: string;
  pin: string;
  address: string | null;
  verified: boolean;
}

const DOMAIN = 'lockstep/at-rest/trust-columns/v1';

/** Each field length-prefixed after a label, so no two different rows encode to the same bytes. */
function encode(label: string, fields: string[]): Uint8Array {
  const parts = [Buffer.from(`${label}\u0000`)];
  for (const field of fields) {
    const bytes = Buffer.from(field, 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(bytes.length);
    parts.push(length, bytes);
  }
  return Buffer.concat(parts);
}

export class TrustMac {
  private readonly key: Uint8Array;

  constructor(databaseKey: Uint8Array) {
    this.key = hkdf(sha256, databaseKey, undefined, new TextEncoder().encode(DOMAIN), 32);
  }

  compute(row: TrustColumns): Buffer {
    return this.tag(encode('contact', [row.id, row.pin, row.address === null ? '\u0000null' : `=${row.address}`, row.verified ? '1' : '0']));
  }

  /** False for a missing, short or wrong tag: an edited row, or one no Lockstep ever wrote. */
  verify(row: TrustColumns, mac: Uint8Array | null): boolean {
    return equal(this.compute(row), mac);
  }

  conversation(conversationId: string, contactId: string): Buffer {
    return this.tag(encode('conversation', [conversationId, contactId]));
  }

  verifyConversation(conversationId: string, contactId: string, mac: Uint8Array | null): boolean {
    return equal(this.conversation(conversationId, contactId), mac);
  }

  private tag(bytes: Uint8Array): Buffer {
    return Buffer.from(hmac(sha256, this.key, bytes));
  }
}

function equal(expected: Buffer, mac: Uint8Array | null): boolean {
  return mac !== null && mac.length === expected.length && timingSafeEqual(expected, mac);
}
