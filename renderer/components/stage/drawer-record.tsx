import type { EventBase } from '../../../shared/events';
import { readCarried } from '../../state/record-steps';
import { recordHeaderFields, sealedBodyFields, bytesOf } from '../../state/stage-bytes';
import { withheldOf } from '../../state/stage-beats';
import { ByteFields } from './byte-fields';

interface RecordDrawerProps {
  record: EventBase<'tls.record'>;
  witness: EventBase<'tls.witness'> | null;
  onKeys(): void;
}

/** What the record carried, in words: the text, a withheld plaintext, or why it was not opened. */
function plaintextOf(record: EventBase<'tls.record'>): { text: string; opened: boolean } {
  const d = record.detail.decrypted;
  const withheld = withheldOf(record.detail);
  if (withheld) return { text: `withheld: ${withheld} (nothing from an untrusted peer is shown)`, opened: false };
  if (!d) return { text: record.detail.encrypted ? `not opened: ${record.detail.undecryptable ?? 'no keys yet'}` : '(in the clear: the bytes are the message)', opened: false };
  if (d.handshakeMessages.length > 0) return { text: d.handshakeMessages.join(' + '), opened: true };
  if (d.plaintext === undefined) return { text: `(${d.innerContentType})`, opened: true };
  return { text: readCarried(d.plaintext).text ?? d.plaintext, opened: true };
}

function Verdict({ witness, opened }: { witness: EventBase<'tls.witness'> | null; opened: boolean }) {
  if (witness?.detail.equal) {
    return (
      <p className="drawer-verdict verdict-ok" role="status">
        Decrypted independently, not by OpenSSL: “{witness.detail.preview}” — the same bytes the app wrote ✓
      </p>
    );
  }
  if (witness && witness.detail.unchecked) return <p className="drawer-verdict">Not compared: {witness.detail.unchecked}</p>;
  if (witness) {
    return (
      <p className="drawer-verdict verdict-bad" role="alert">
        ✗ MISMATCH: the bytes on the wire are not the message. Decrypted independently: “{witness.detail.preview}”
      </p>
    );
  }
  return <p className="drawer-verdict">{opened ? 'Opened by Lockstep’s own decryptor with the session keys.' : 'Not opened by the independent decryptor.'}</p>;
}

/** A record byte by byte: header, ciphertext, tag and nonce, the plaintext beside the ciphertext, the witness. */
export function RecordDrawer({ record, witness, onKeys }: RecordDrawerProps) {
  const d = record.detail;
  const plain = plaintextOf(record);
  return (
    <>
      <div className="side-by-side">
        <div>
          <h4>Plaintext</h4>
          <p className={plain.opened ? 'plaintext' : 'plaintext muted'} data-testid="stage-plaintext">
            {plain.text}
          </p>
        </div>
        <div>
          <h4>Ciphertext (what Eve sees)</h4>
          <p className="mono wrap" data-testid="stage-ciphertext">
            {bytesOf(d.bodyPreview).join(' ')} …
          </p>
        </div>
      </div>
      <Verdict witness={witness} opened={plain.opened} />
      <h3>Record #{d.index}, byte by byte</h3>
      <ByteFields label="Record header" fields={recordHeaderFields(d.headerHex)} />
      {d.encrypted ? (
        <ByteFields label="Record body" fields={sealedBodyFields(d)} />
      ) : (
        <ByteFields label="Record body" fields={[{ label: `Body (first bytes of ${d.length})`, bytes: bytesOf(d.bodyPreview), meaning: 'in the clear: anyone on the path reads this', tone: 'clear' }]} />
      )}
      {d.decrypted && (
        <p>
          Real content type inside: <strong>{d.decrypted.innerContentType}</strong> · keys: {d.decrypted.epoch === 'handshake' ? 'handshake traffic keys' : 'application traffic keys'}{' '}
          <button type="button" className="link-button" onClick={onKeys}>
            Where the keys come from
          </button>
        </p>
      )}
    </>
  );
}
