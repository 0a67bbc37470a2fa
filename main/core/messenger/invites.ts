/**
 * Adding a contact from an invite, and saying first what that would do. A new pin adds a contact;
 * a known pin with another address or name changes that contact only once the person has seen the
 * changes and agreed. Pins are public (invites, mDNS), so anyone can write an invite with a
 * contact's pin: it must never quietly move that contact to an attacker's relay or rename it.
 */
import type { InvitePreview } from '../../../shared/views';
import { LockstepError } from '../errors';
import { formatAddress } from '../net/address';
import type { Contact, ContactStore } from '../store/contacts';
import { parseInvite } from '../trust/invite';
import { humanFingerprint } from '../trust/pins';

/** Parse an invite and compare it with the contacts: nothing is stored. */
export function previewInvite(contacts: ContactStore, text: string, ownPin: string | null): InvitePreview {
  const invite = parseInvite(text);
  if (invite.pin === ownPin) throw new LockstepError('BAD_PIN', 'This invite carries your own pin: it is your invite, not a contact’s.');
  const address = formatAddress(invite);
  const known = contacts.byPin(invite.pin);
  const changes: InvitePreview['changes'] = [];
  if (known && invite.name && invite.name !== known.name) changes.push({ field: 'name', from: known.name || null, to: invite.name });
  if (known && address !== known.address) changes.push({ field: 'address', from: known.address, to: address });
  const namesake = invite.name ? contacts.byName(invite.name) : null;
  return {
    name: invite.name,
    host: invite.host,
    port: invite.port,
    address,
    pin: invite.pin,
    fingerprint: humanFingerprint(invite.pin),
    existing: known ? { contactId: known.id, name: known.name, address: known.address } : null,
    changes,
    namesake: namesake && namesake.pin !== invite.pin ? { contactId: namesake.id, name: namesake.name } : null,
  };
}

function describeChange(change: InvitePreview['changes'][number]): string {
  const from = change.from ? `"${change.from}"` : 'none';
  return `its ${change.field} from ${from} to "${change.to}"`;
}

/**
 * Apply a previewed invite for a contact that already holds its pin. Without `confirmed`, any
 * change is refused with INVITE_CHANGES_CONTACT, naming each one; nothing is changed.
 */
export function applyInviteChanges(contacts: ContactStore, preview: InvitePreview, confirmed: boolean): Contact {
  const existing = preview.existing!;
  if (preview.changes.length > 0 && !confirmed) {
    throw new LockstepError(
      'INVITE_CHANGES_CONTACT',
      `This invite is for ${existing.name ? `${existing.name}, a contact` : 'a contact'} you already have, and would change ${preview.changes.map(describeChange).join(' and ')}. Nothing was changed: look at the changes and confirm them if you expected them.`,
      { details: { contactId: existing.contactId } },
    );
  }
  for (const change of preview.changes) {
    if (change.field === 'address') contacts.setAddress(existing.contactId, change.to);
    else contacts.rename(existing.contactId, change.to);
  }
  return contacts.byId(existing.contactId)!;
}
