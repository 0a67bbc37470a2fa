/**
 * Invites: `lockstep://HOST:PORT?pin=sha256/…&name=…`. The pin travels with the address, so
 * adding a contact from an invite pins it with no further prompt.
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

export function parseInvite(text: string): Invite {
  const trimmed = text.trim();
  const bad = (why: string) =>
    new LockstepError('BAD_INVITE', `Not a Lockstep invite (${why}). It looks like lockstep://HOST:PORT?pin=sha256/…&name=…`);
  if (!trimmed.toLowerCase().startsWith('lockstep://')) throw bad('it must start with lockstep://');
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw bad('it is not a well-formed link');
  }
  const pin = url.searchParams.get('pin');
  if (!pin) throw bad('it has no pin');
  if (!url.port) throw bad('it has no port');
  // WHATWG URL keeps IPv6 hosts in brackets, which is the form parseAddress expects.
  const { host, port } = parseAddress(`${url.hostname}:${url.port}`);
  const name = cleanName(url.searchParams.get('name') ?? '');
  return { host, port, pin: parsePin(pin), name };
}
