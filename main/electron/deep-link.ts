/**
 * `lockstep://` invite links opened from a browser or a chat: the OS starts (or focuses) the app
 * with the link in argv (Windows, Linux) or an `open-url` event (macOS). The link is handed to
 * the window as an event, and the renderer shows it in "Add contact" for the person to confirm:
 * a web page must never be able to pin a key silently.
 */
export const INVITE_SCHEME = 'lockstep';

/** The first well-formed `lockstep://` argument, or null. Length-capped: argv is untrusted. */
export function inviteFromArgv(argv: readonly string[]): string | null {
  for (const arg of argv) {
    if (arg.length > 1000 || !arg.toLowerCase().startsWith(`${INVITE_SCHEME}://`)) continue;
    try {
      new URL(arg);
      return arg;
    } catch {
      // not a URL at all: ignore it
    }
  }
  return null;
}
