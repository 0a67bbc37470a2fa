/**
 * The protocol's size limits (PROTOCOL.md §3), in one place: the engine enforces them on the
 * wire and the renderer shows them in its inputs. Change one here and both sides follow.
 */

/** A frame's bytes without its newline. */
export const MAX_FRAME_BYTES = 64 * 1024;
/** A chat message's text, in UTF-16 code units (what zod and an input's maxLength count). */
export const MAX_TEXT_CHARS = 16_000;
/** A display name (a `hello` name, a certificate CN, a contact's name), in characters (code points). */
export const MAX_NAME_CHARS = 64;
/** A message id, and an `error` frame's code. */
export const MAX_ID_CHARS = 64;
