import { useMemo } from 'react';

import type { LockstepEvent } from '../../../shared/events';
import { parseHeader, recordOfMessage, spacedHex } from '../../state/wire-model';
import { withheldWords } from '../../state/withheld-words';

/**
 * Demo step 5: one chat message beside the TLS record that carried it — plaintext | header |
 * ciphertext | tag — with its sequence number and nonce, and the independent decryption's verdict.
 */
export function RecordView({ events, messageId }: { events: readonly LockstepEvent[]; messageId: string }) {
  const found = useMemo(() => recordOfMessage(events, messageId), [events, messageId]);
  if (!found) {
    return (
      <section className="wire-record" aria-label="Record view">
        <h3>On the wire</h3>
        <p className="muted">The record that carried this message is not among the kept events (or could not be opened independently).</p>
      </section>
    );
  }
  const { record, text, witness } = found;
  const d = record.detail;
  const dec = d.decrypted;
  const header = parseHeader(d.headerHex);
  const plaintext = text ?? dec?.plaintext ?? '';
  return (
    <section className="wire-record" aria-label="Record view">
      <h3>On the wire: record #{d.index} ({record.dir === 'out' ? 'sent' : 'received'})</h3>
      <div className="wire-columns">
        <div className="wire-col">
          <h4>Plaintext</h4>
          <p className="wire-plain" data-testid="wire-plaintext">
            {plaintext}
          </p>
        </div>
        <div className="wire-col">
          <h4>Record header (5 bytes)</h4>
          <p className="mono" data-testid="wire-header">
            {spacedHex(d.headerHex)}
          </p>
          {header && (
            <dl className="wire-dl">
              <dt>type</dt>
              <dd className="mono">
                {header.typeHex} = {header.typeName}
              </dd>
              <dt>version</dt>
              <dd className="mono">{header.versionHex} (always “TLS 1.2” on the wire in TLS 1.3)</dd>
              <dt>length</dt>
              <dd className="mono">
                {header.lengthHex} = {header.length} bytes
              </dd>
            </dl>
          )}
        </div>
        <div className="wire-col">
          <h4>Ciphertext (first bytes)</h4>
          <p className="mono wire-cipher" data-testid="wire-ciphertext">
            {spacedHex(d.bodyPreview)} …
          </p>
        </div>
        <div className="wire-col">
          <h4>AEAD tag (16 bytes)</h4>
          <p className="mono" data-testid="wire-tag">
            {dec ? spacedHex(dec.tagHex) : 'not opened'}
          </p>
        </div>
      </div>
      {dec && (
        <dl className="wire-dl wire-nonce">
          <dt>Sequence number</dt>
          <dd className="mono">{dec.sequence}</dd>
          <dt>Nonce (iv XOR sequence number)</dt>
          <dd className="mono">{spacedHex(dec.nonceHex)}</dd>
        </dl>
      )}
      {witness === null ? (
        <p className="muted">No independent comparison for this record yet.</p>
      ) : witness.detail.equal ? (
        <p className="wire-witness wire-witness-ok" role="status">
          Decrypted independently, not by OpenSSL: {text ?? (witness.detail.withheld ? withheldWords[witness.detail.withheld] : witness.detail.preview)} ✓
        </p>
      ) : witness.detail.cause === 'not-opened' || witness.detail.cause === 'fell-behind' ? (
        <p className="muted">Not compared: {witness.detail.unchecked}</p>
      ) : (
        <p className="wire-witness wire-witness-bad" role="alert">
          ✗ MISMATCH: THE BYTES ON THE WIRE ARE NOT THIS MESSAGE. Decrypted independently: “{witness.detail.preview}”
          {witness.detail.unchecked ? ` (${witness.detail.unchecked})` : ''}
        </p>
      )}
    </section>
  );
}
