import type { EventBase } from '../../../shared/events';
import { eveFields } from '../../state/stage-bytes';
import { ByteFields } from './byte-fields';

const actions: Record<string, string> = {
  relayed: 'She passed the bytes on unchanged.',
  flipped: 'She flipped one bit, then passed the record on.',
  replayed: 'She passed the record on, then sent an exact copy.',
  terminated: 'She ended TLS herself, with her own certificate.',
  dropped: 'She dropped the bytes.',
};

/** What Eve holds of a record: only bytes — the header readable, the body ciphertext — and what she did. */
export function EveDrawer({ event }: { event: EventBase<'drill.eve'> }) {
  const d = event.detail;
  return (
    <>
      <h3>What Eve sees: {d.bytes} bytes from the {d.from}</h3>
      <p>{actions[d.action] ?? d.action}</p>
      {d.hex ? <ByteFields label="Eve’s bytes" fields={eveFields(d.hex, d.bytes, d.flipped)} /> : <p>No record bytes: she speaks TLS with her own key instead.</p>}
      {d.flipped && (
        <p className="drawer-verdict verdict-bad">
          Bit {d.flipped.bit} of byte {d.flipped.byteOffset} (counting the 5-byte header) flipped after encryption.
        </p>
      )}
    </>
  );
}
