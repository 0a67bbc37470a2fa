import { useState } from 'react';

import { useApi, useEngineState } from '../state/engine-context';
import { settle } from '../state/result';
import { AtRestCard } from './at-rest-card';
import { InviteQr } from './invite-qr';
import { ReadableGroups } from './readable-groups';
import { RuntimeCard } from './runtime-card';

/** Who this is: name, the fingerprint to read aloud, where others can reach us, and the invite. */
export function IdentityCard() {
  const api = useApi();
  const identity = useEngineState((s) => s.identity);
  const network = useEngineState((s) => s.network);
  const [copied, setCopied] = useState<string | null>(null);

  if (!identity) return null;

  const copy = async (text: string) => {
    const result = await settle(api.copyText({ text }));
    setCopied(result.ok ? 'Invite copied.' : `Could not copy: ${result.error.message}`);
  };

  return (
    <section className="identity-card" aria-labelledby="identity-heading">
      <h2 id="identity-heading">Your identity</h2>
      <p className="identity-name">{identity.name}</p>

      <h3>Fingerprint</h3>
      <ReadableGroups value={identity.fingerprint} size="large" className="fingerprint" />
      <p className="muted">Short enough to read aloud. It is made from your public key; the private key never leaves this machine.</p>
      <details className="pin-details">
        <summary>Pin (what contacts store)</summary>
        <code className="mono wrap">{identity.pin}</code>
      </details>

      <h3>Listening on</h3>
      {!network ? (
        <p className="muted">Asking the engine…</p>
      ) : network.error ? (
        <p className="error" role="alert">
          {network.error.message}
        </p>
      ) : network.listening && network.addresses.length > 0 ? (
        <ul className="addresses">
          {network.addresses.map((address) => (
            <li key={address} className="mono">
              {address}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">Not listening: contacts can not dial you, but you can dial them.</p>
      )}

      {network?.invite && (
        <>
          <h3>Invite</h3>
          <p className="muted">Give this to a contact: it says where to reach you and which key is yours.</p>
          <div className="invite">
            <code className="mono wrap invite-text">{network.invite}</code>
            <button type="button" onClick={() => void copy(network.invite!)}>
              Copy invite
            </button>
          </div>
          <p role="status" className="muted">
            {copied}
          </p>
          <InviteQr text={network.invite} />
        </>
      )}
      <AtRestCard />
      {network && <RuntimeCard runtime={network.runtime} />}
    </section>
  );
}
