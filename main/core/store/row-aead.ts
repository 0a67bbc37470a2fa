/**
 * The AEAD that seals rows at rest: XChaCha20-Poly1305 (IETF, 24-byte nonce). libsodium's
 * (sodium-native: prebuilt N-API binaries inside the npm package, the same binary in Node and in
 * Electron, no compiler needed) when it loads on this machine, @noble/ciphers' otherwise. Both
 * are the same construction, so a row sealed by one opens with the other: which one runs changes
 * speed (about 4 µs against 50 µs for a 200-byte row), never the format on disk.
 *
 * The native one is loaded from its prebuilt binary directly (the file electron-builder unpacks
 * next to app.asar, see electron-builder.yml), and is used only after it agreed with
 * @noble/ciphers on a sealed test value.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';

export interface RowAead {
  /** What the at-rest card names. */
  readonly name: string;
  seal(key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, plain: Uint8Array): Uint8Array;
  /** Throws when the tag does not verify. */
  open(key: Uint8Array, nonce: Uint8Array, ad: Uint8Array, sealed: Uint8Array): Uint8Array;
}

const TAG = 16;

export const nobleAead: RowAead = {
  name: 'XChaCha20-Poly1305 (@noble/ciphers)',
  seal: (key, nonce, ad, plain) => xchacha20poly1305(key, nonce, ad).encrypt(plain),
  open: (key, nonce, ad, sealed) => xchacha20poly1305(key, nonce, ad).decrypt(sealed),
};

/** The functions of sodium-native's binding this uses (its index.js wraps them the same way). */
interface SodiumBinding {
  crypto_aead_xchacha20poly1305_ietf_encrypt(c: Uint8Array, m: Uint8Array, ad: Uint8Array, npub: Uint8Array, k: Uint8Array): number;
  crypto_aead_xchacha20poly1305_ietf_decrypt(m: Uint8Array, c: Uint8Array, ad: Uint8Array, npub: Uint8Array, k: Uint8Array): number;
}

function sodiumAead(binding: SodiumBinding): RowAead {
  return {
    name: 'XChaCha20-Poly1305 (libsodium)',
    seal(key, nonce, ad, plain) {
      const out = new Uint8Array(plain.length + TAG);
      if (binding.crypto_aead_xchacha20poly1305_ietf_encrypt(out, plain, ad, nonce, key) < 0) throw new Error('libsodium could not seal');
      return out;
    },
    open(key, nonce, ad, sealed) {
      if (sealed.length < TAG || key.length !== 32 || nonce.length !== 24) throw new Error('not a sealed value');
      const out = new Uint8Array(sealed.length - TAG);
      if (binding.crypto_aead_xchacha20poly1305_ietf_decrypt(out, sealed, ad, nonce, key) < 0) throw new Error('invalid tag');
      return out;
    },
  };
}

function loadSodium(): RowAead | null {
  try {
    const require = createRequire(import.meta.url);
    const dir = dirname(require.resolve('sodium-native/package.json'));
    const aead = sodiumAead(require(join(dir, 'prebuilds', `${process.platform}-${process.arch}`, 'sodium-native.node')) as SodiumBinding);
    return agrees(aead) ? aead : null;
  } catch {
    return null; // no binary for this platform, or it does not load: the portable one does the same
  }
}

/** Both ways round with @noble/ciphers, and a flipped bit refused. */
function agrees(aead: RowAead): boolean {
  const key = Uint8Array.from({ length: 32 }, (_, i) => i);
  const nonce = Uint8Array.from({ length: 24 }, (_, i) => 100 + i);
  const ad = new TextEncoder().encode('lockstep/at-rest/self-test');
  const plain = new TextEncoder().encode('the same construction on both sides');
  const a = aead.seal(key, nonce, ad, plain);
  const b = nobleAead.seal(key, nonce, ad, plain);
  if (Buffer.compare(a, b) !== 0 || Buffer.compare(aead.open(key, nonce, ad, b), plain) !== 0) return false;
  b[3]! ^= 1;
  try {
    aead.open(key, nonce, ad, b);
    return false;
  } catch {
    return true;
  }
}

let chosen: RowAead | null = null;

/** The fastest AEAD that works here (chosen once per process). */
export function rowAead(): RowAead {
  chosen ??= loadSodium() ?? nobleAead;
  return chosen;
}
