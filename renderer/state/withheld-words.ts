import type { Withheld } from '../../shared/events';

/** What the panel says in place of text the engine held back, for each reason it gives. */
export const withheldWords: Record<Withheld, string> = {
  'peer-not-trusted': 'text withheld: this peer is not trusted (yet)',
  'peer-refused': 'text never shown: this connection was refused',
};

/** The longer form, for a step's explanation. */
export const withheldExplanation =
  'The record was opened by the independent decryptor, but its text is not shown until the peer is trusted: a stranger must not be able to put words on this screen. If you trust the peer, the text appears in one "Plaintext released" step; for a refused connection, never.';
