/**
 * Encryption at rest for single fields (message bodies, contact names): XChaCha20-Poly1305 with a
 * fresh random 24-byte nonce per value (safe to pick at random, unlike a 12-byte one), and
 * associated data binding the value to its table, row id and conversation, so a sealed body
 * copied into another row or conversation fails to open instead of showing up in the wrong place.
 * The cipher runs in libsodium where it loads, else in @noble/ciphers (row-aead.ts): one format.
 */

import { LockstepError } from '../errors';
import { type RowAead, rowAead } from './row-aead';
import { pooledRandom } from './random-pool';

const NONCE_BYTES = 24;
const VERSION = 1;

export interface SealContext {
  table: 'messages' | 'contacts';
  rowId: string;
  conversationId: string;
}

function associatedData(ctx: SealContext): Uint8Array {
  return new TextEncoder().encode(`lockstep/at-rest/v${VERSION}\0${ctx.table}\0${ctx.rowId}\0${ctx.conversationId}`);
}

export class RowSealer {
  constructor(
    private readonly key: Uint8Array,
    private readonly aead: RowAead = rowAead(),
  ) {
    if (key.length !== 32) throw new LockstepError('STORE_ERROR', 'The database key must be 32 bytes.');
  }

  /** The cipher and the library running it, for the at-rest card. */
  get cipher(): string {
    return this.aead.name;
  }

  /** Returns version ‖ nonce ‖ ciphertext ‖ tag. */
  seal(text: string, ctx: SealContext): Buffer {
    const nonce = pooledRandom(NONCE_BYTES);
    const sealed = this.aead.seal(this.key, nonce, associatedData(ctx), Buffer.from(text, 'utf8'));
    return Buffer.concat([Buffer.of(VERSION), nonce, sealed]);
  }

  /** Opens a sealed value; a wrong key, a flipped byte or a moved row all throw ROW_UNREADABLE. */
  open(blob: Uint8Array, ctx: SealContext): string {
    if (blob.length < 1 + NONCE_BYTES + 16 || blob[0] !== VERSION) {
      throw new LockstepError('ROW_UNREADABLE', `A stored ${ctx.table} row (${ctx.rowId}) is damaged: it is not a sealed value.`);
    }
    try {
      const nonce = blob.subarray(1, 1 + NONCE_BYTES);
      const plain = this.aead.open(this.key, nonce, associatedData(ctx), blob.subarray(1 + NONCE_BYTES));
      return new TextDecoder('utf-8', { fatal: true }).decode(plain);
    } catch (err) {
      throw new LockstepError(
        'ROW_UNREADABLE',
        `A stored ${ctx.table} row (${ctx.rowId}) cannot be opened: it was altered on disk, or the database key is not the one it was sealed with.`,
        { cause: err },
      );
    }
  }
}
