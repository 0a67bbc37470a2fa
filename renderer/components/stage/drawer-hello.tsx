import type { EventBase } from '../../../shared/events';
import { helloBodyFields, recordHeaderFields, bytesOf } from '../../state/stage-bytes';
import { shareWords } from '../../state/key-exchange-words';
import { helloDetails } from '../../state/step-details';
import { DetailList } from '../detail-list';
import { ByteFields } from './byte-fields';

function shareMeaning(group: string, client: boolean): string {
  if (group !== 'X25519MLKEM768') return 'the public half of a fresh key pair: safe to send in the clear; the private half never leaves the machine';
  return client
    ? 'a fresh ML-KEM-768 public key, then an X25519 public key: both public, safe in the clear; the private halves never leave the machine'
    : 'an ML-KEM-768 ciphertext (a secret only the dialer’s private key opens), then the listener’s X25519 public key';
}

/** A hello byte by byte (the header and first body bytes), its key shares, and every field parsed. */
export function HelloDrawer({ hello, record, onKeys }: { hello: EventBase<'tls.hello'>; record: EventBase<'tls.record'> | null; onKeys(): void }) {
  const h = hello.detail;
  return (
    <>
      <h3>In the clear: anyone on the path can read this</h3>
      {record && <ByteFields label="Record header" fields={recordHeaderFields(record.detail.headerHex)} />}
      {record && <ByteFields label="Handshake header" fields={helloBodyFields(record.detail.bodyPreview, h)} />}
      <ByteFields
        label="Key shares"
        fields={h.keyShares.map((s) => ({
          label: `Key share ${s.group} (${shareWords(s, h.handshakeType === 'client_hello' ? 'client' : 'server')}, first shown)`,
          bytes: bytesOf(s.preview),
          meaning: shareMeaning(s.group, h.handshakeType === 'client_hello'),
          tone: 'clear' as const,
        }))}
      />
      <p>
        <button type="button" className="link-button" onClick={onKeys}>
          Where the keys come from
        </button>
      </p>
      <DetailList rows={helloDetails(h, null)} />
    </>
  );
}
