/**
 * The two pairing frames (PROTOCOL.md §6.4), as zod schemas. This file imports nothing but zod,
 * so `wire/protocol.ts` can add them to its Frame union without an import cycle
 * (`pairing-protocol.ts` imports `wire/protocol.ts` for the `error` frame).
 */
import { z } from 'zod';

/**
 * Base64 (standard alphabet, padded) of exactly `bytes` bytes: the right length and padding.
 * Canonicality (the unused low bits of the last character are zero) is checked on decoding.
 */
const base64Of = (bytes: number) => {
  const pad = (3 - (bytes % 3)) % 3;
  const chars = 4 * Math.ceil(bytes / 3) - pad;
  return z.string().regex(new RegExp(`^[A-Za-z0-9+/]{${chars}}={${pad}}$`), `expected base64 of ${bytes} bytes`);
};

/** `{type:"pair", v:1, y:<base64 of the 32-byte ristretto255 encoding of the sender's share>}` */
export const PairFrame = z.object({
  type: z.literal('pair'),
  v: z.number().int().min(1),
  y: base64Of(32),
});

/** `{type:"pair-confirm", tag:<base64 of the 64-byte HMAC-SHA-512 confirmation tag>}` */
export const PairConfirmFrame = z.object({
  type: z.literal('pair-confirm'),
  tag: base64Of(64),
});

export type PairFrame = z.infer<typeof PairFrame>;
export type PairConfirmFrame = z.infer<typeof PairConfirmFrame>;
