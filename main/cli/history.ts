/**
 * `history [--contact NAME|PIN] [--limit N] [--json]`: the stored conversations of this profile,
 * read from its database (no network, no identity needed), so a headless user sees what arrived
 * while the terminal was gone. Each message with its id, direction, state and times; `--json`
 * prints one `history` record per message, oldest first within each conversation.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { LockstepError } from '../core/errors';
import type { Contact } from '../core/store/contacts';
import { DATABASE_FILE } from '../core/store/database';
import { openStore } from '../core/store/store';
import { parsePin } from '../core/trust/pins';
import type { CliArgs } from './args';
import type { Output } from './output';
import { defaultProfileDir } from './profile';

export function runHistory(args: CliArgs, out: Output): number {
  const profileDir = args.profileDir ?? defaultProfileDir();
  if (!existsSync(join(profileDir, DATABASE_FILE))) {
    throw new LockstepError('NOT_FOUND', `There is no history in ${profileDir} (no database yet).`);
  }
  const store = openStore(profileDir);
  try {
    const contacts = args.contact ? [pick(store.contacts.list(), args.contact, (name) => store.contacts.byName(name))] : store.contacts.list();
    for (const contact of contacts) {
      for (const m of store.messages.page(contact.id, undefined, args.limit ?? Number.MAX_SAFE_INTEGER)) {
        const arrow = m.direction === 'out' ? '→' : '←';
        const when = m.direction === 'out' ? m.sentAt : (m.receivedAt ?? m.sentAt);
        out.history(
          {
            type: 'history',
            contact: { id: contact.id, name: contact.name, pin: contact.pin },
            id: m.id,
            direction: m.direction,
            state: m.state,
            text: m.text,
            sentAt: m.sentAt,
            receivedAt: m.receivedAt,
            deliveredAt: m.deliveredAt,
            problem: m.problem ?? null,
          },
          `${when} ${arrow} ${contact.name || contact.pin} [${m.state}] ${m.id}: ${m.problem ? `(unreadable: ${m.problem})` : m.text}`,
        );
      }
    }
  } finally {
    store.db.close();
  }
  return 0;
}

/** The contact a `--contact` names: its pin (or fingerprint), else its name. */
function pick(all: Contact[], wanted: string, byName: (name: string) => Contact | null): Contact {
  let pin: string | null = null;
  try {
    pin = parsePin(wanted);
  } catch {
    // not a pin: a name
  }
  const found = pin ? all.find((c) => c.pin === pin) : byName(wanted);
  if (!found) throw new LockstepError('NOT_FOUND', `No contact ${pin ? 'with that pin' : 'by that name'} in this profile.`);
  return found;
}
