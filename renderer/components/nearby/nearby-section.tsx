import { useId, useState } from 'react';

import type { DiscoveryView, Result } from '../../../shared/views';
import { useApi, useEngineState, useStore } from '../../state/engine-context';
import { settle } from '../../state/result';
import { ReadableGroups } from '../readable-groups';

interface NearbySectionProps {
  /** Open the pairing dialog ("I have a code") with this HOST:PORT filled in. */
  onPair(address: string): void;
}

/** Host and port as one dialable address (IPv6 in brackets). */
export function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/**
 * LAN discovery: off until the user picks an interface. Peers found are claims (a name and a key
 * anyone could announce); the only action offered is pairing with a code.
 */
export function NearbySection({ onPair }: NearbySectionProps) {
  const api = useApi();
  const headingId = useId();
  const pickerId = useId();
  const store = useStore();
  const view = useEngineState((s) => s.discovery);
  const readError = useEngineState((s) => s.readErrors.discovery);
  const [chosen, setChosen] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const picked = chosen ?? view.interface ?? view.candidates[0] ?? '';

  const run = async (call: () => Promise<Result<DiscoveryView>>) => {
    setBusy(true);
    setError(null);
    const result = await settle(call());
    setBusy(false);
    if (result.ok) store.showDiscovery(result.value);
    else setError(result.error.message);
  };

  const running = view.interface !== null;
  return (
    <section aria-labelledby={headingId} className="nearby">
      <div className="section-head">
        <h2 id={headingId}>Nearby</h2>
      </div>
      {view.candidates.length === 0 && !running ? (
        <p className="muted">No network interface to look on.</p>
      ) : (
        <div className="nearby-controls">
          <div className="field-inline">
            <label htmlFor={pickerId}>Network interface</label>
            <select id={pickerId} value={picked} disabled={running || busy} onChange={(e) => setChosen(e.target.value)}>
              {view.candidates.map((candidate) => (
                <option key={candidate} value={candidate}>
                  {candidate}
                </option>
              ))}
            </select>
          </div>
          {running ? (
            <button type="button" disabled={busy} onClick={() => void run(() => api.stopDiscovery({}))}>
              Stop
            </button>
          ) : (
            <button type="button" disabled={busy || !picked} onClick={() => void run(() => api.startDiscovery({ interface: picked }))}>
              Look for nearby peers
            </button>
          )}
        </div>
      )}
      {(error ?? readError) && (
        <p className="error" role="alert">
          {error ?? readError}
        </p>
      )}
      {running && (
        <>
          <p className="muted nearby-warning">
            Found on the network: a name and key are only claims until you pair or compare fingerprints.
          </p>
          <p className="muted" role="status">
            {view.peers.length === 0 ? `Looking on ${view.interface}…` : `${view.peers.length} found on ${view.interface}`}
          </p>
          <ul className="nearby-list" aria-label="Nearby peers">
            {view.peers.map((peer) => {
              const address = hostPort(peer.address, peer.port);
              return (
                <li key={peer.instance} className="nearby-peer">
                  <span className="contact-name">
                    {peer.name} <span className="muted">(claimed)</span>
                  </span>
                  <ReadableGroups value={peer.fingerprint} className="fingerprint" />
                  <span className="mono">{address}</span>
                  {peer.known && <span className="badge">already a contact</span>}
                  <button type="button" aria-label={`Pair by code with ${peer.name}`} onClick={() => onPair(address)}>
                    Pair by code…
                  </button>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
