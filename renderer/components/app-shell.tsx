import { useEffect, useRef, useState } from 'react';

import { useEngineState } from '../state/engine-context';
import { AddContactDialog } from './add-contact-dialog';
import { Chat } from './chat';
import { IdentityCard } from './identity-card';
import { ImpostorAlert } from './impostor-alert';
import { RequestCard } from './request-card';
import type { Selection } from './selection';
import { Sidebar } from './sidebar';
import { KeyChangeCards } from './trust/key-change-card';
import { type PairingAim, PairingDialog, type PairingTab } from './trust/pairing-dialog';
import type { WireFocus } from './sequence-diagram';
import { UnderTheHood, type PanelSubject } from './under-the-hood';

const home: Selection = { kind: 'home' };

/** The app once an identity exists: contacts beside the chat (or request, or identity), the panel beside that. */
export function AppShell() {
  const contacts = useEngineState((s) => s.contacts);
  const requests = useEngineState((s) => s.requests);
  const [selection, setSelection] = useState<Selection>(home);
  const [adding, setAdding] = useState<{ invite?: string } | null>(null);
  const openedInvite = useEngineState((s) => s.openedInvite);
  const impostorOpen = useEngineState((s) => s.alerts.some((a) => !a.dismissed));
  const [pairing, setPairing] = useState<{ tab: PairingTab; address: string; aim?: PairingAim } | null>(null);
  const [wireFocus, setWireFocus] = useState<WireFocus | null>(null);

  const contact = selection.kind === 'contact' ? contacts.find((c) => c.id === selection.id) : undefined;
  const request = selection.kind === 'request' ? requests.find((r) => r.id === selection.id) : undefined;

  // A knock not seen yet in this session comes to the front while nothing else is open (step 2 of
  // the demo), including one that was already waiting when the app started.
  const seenRequests = useRef(new Set<string>());
  useEffect(() => {
    const fresh = requests.filter((r) => !seenRequests.current.has(r.id));
    for (const r of fresh) seenRequests.current.add(r.id);
    const newest = fresh[fresh.length - 1];
    if (newest && !contact && !request) setSelection({ kind: 'request', id: newest.id });
  }, [requests, contact, request]);

  // A clicked invite link opens "Add contact" with the link in it; saving stays the person's decision.
  const seenInvite = useRef<number | null>(null);
  useEffect(() => {
    if (!openedInvite || seenInvite.current === openedInvite.seq) return;
    seenInvite.current = openedInvite.seq;
    setAdding({ invite: openedInvite.invite });
  }, [openedInvite]);

  // A new selection starts its panel without an old "on the wire" request.
  const select = (next: Selection) => {
    setWireFocus(null);
    setSelection(next);
  };

  const subject: PanelSubject = contact ? { kind: 'contact', contact } : request ? { kind: 'request', request } : null;
  const panelKey = contact ? `c:${contact.id}` : request ? `r:${request.id}` : 'none';

  return (
    <>
      <div className="layout">
        <Sidebar
          selection={selection}
          onSelect={select}
          onAddContact={() => setAdding({})}
          onPair={(address) => setPairing(address === undefined ? { tab: 'show', address: '' } : { tab: 'have', address })}
        />
        <main className="main">
          {contact ? (
            <Chat key={contact.id} contact={contact} onShowOnWire={(messageId) => setWireFocus((old) => ({ messageId, nonce: (old?.nonce ?? 0) + 1 }))} />
          ) : request ? (
            <RequestCard
              key={request.id}
              request={request}
              onDecided={(trusted) => setSelection(trusted ? { kind: 'contact', id: trusted.id } : home)}
            />
          ) : (
            <IdentityCard />
          )}
        </main>
        <UnderTheHood key={panelKey} subject={subject} focus={wireFocus} />
      </div>
      {adding && (
        <AddContactDialog
          initialInvite={adding.invite}
          onClose={() => setAdding(null)}
          onAdded={(added) => {
            setAdding(null);
            setSelection({ kind: 'contact', id: added.id });
          }}
        />
      )}
      {pairing && (
        <PairingDialog
          initialTab={pairing.tab}
          initialAddress={pairing.address}
          aim={pairing.aim}
          onClose={() => setPairing(null)}
          onPaired={(paired) => {
            setPairing(null);
            select({ kind: 'contact', id: paired.id });
          }}
        />
      )}
      {/* The impostor warning comes first; the ways forward for a changed key follow once it is read. */}
      <KeyChangeCards hidden={pairing !== null || impostorOpen} onPairAgain={(address, aim) => setPairing({ tab: 'have', address: address ?? '', aim })} />
      <ImpostorAlert />
    </>
  );
}
