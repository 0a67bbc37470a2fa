/**
 * Invites: `lockstep://HOST:PORT?pin=sha256/…&name=…`. The pin travels with the address, so
 * adding a contact from an invite pins it with no further prompt — which is why an invite is
 * parsed strictly: what a person reads in it must be exactly what gets dialled and pinned.
 */
import { LockstepError } from '../errors';
import { formatAddress, type HostPort, parseAddress } from '../net/address';
import { cleanName } from './names';
import { parsePin } from './pins';

export interface Invite extends HostPort {
  pin: string;
  name: string;
}

export function formatInvite(invite: Invite): string {
  const query = new URLSearchParams({ pin: invite.pin, name: invite.name });
  return `lockstep://${formatAddress(invite)}?${query.toString()}`;
}

const bad = (why: string) =>
  new LockstepError('BAD_INVITE', `Not a Lockstep invite (${why}). It looks like lockstep://HOST:PORT?pin=sha256/…&name=…`);

/**
 * The authority as written, before any URL parser reads it. In `lockstep://bob.corp:47474@evil:1`
 * a parser dials `evil` and calls the rest a user name and password, while a person reads
 * "bob.corp": an '@' (or its escape) anywhere before the path is refused, never interpreted.
 */
function checkAuthority(text: string): void {
  const authority = text.slice('lockstep://'.length).split(/[/?#]/, 1)[0] ?? '';
  if (/@|%40/i.test(authority)) throw bad('it has a user name part ("…@") before the host; an invite names only a host and a port');
}

function single(url: URL, key: string): string | null {
  const values = url.searchParams.getAll(key);
  if (values.length > 1) throw bad(`it gives "${key}" ${values.length} times`);
  return values[0] ?? null;
}

export function parseInvite(text: string): Invite {
  const trimmed = text.trim();
  if (!trimmed.toLowerCase().startsWith('lockstep://')) throw bad('it must start with lockstep://');
  checkAuthority(trimmed);
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw bad('it is not a well-formed link');
  }
  if (url.username || url.password) throw bad('it has a user name part ("…@") before the host');
  if (url.pathname !== '' && url.pathname !== '/') throw bad('it has a path after the port');
  const pin = single(url, 'pin');
  if (!pin) throw bad('it has no pin');
  if (!url.port) throw bad('it has no port');
  // WHATWG URL keeps IPv6 hosts in brackets, which is the form parseAddress expects.
  const { host, port } = parseAddress(`${url.hostname}:${url.port}`);
  return { host, port, pin: parsePin(pin), name: cleanName(single(url, 'name') ?? '') };
}
