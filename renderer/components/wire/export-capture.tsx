import { useState } from 'react';

import { useApi } from '../../state/engine-context';
import { settle } from '../../state/result';
import { Modal } from '../modal';
import { base64ToBytes, downloadBlob } from './download';

/** Demo step 10: the connection as a .pcap for Wireshark, and (after a warning) its keys file. */
export function ExportCapture({ conn }: { conn: string | null }) {
  const api = useApi();
  const [confirming, setConfirming] = useState(false);
  const [status, setStatus] = useState<{ text: string; error: boolean } | null>(null);

  const exportIt = async (withKeys: boolean) => {
    if (!conn) return;
    setConfirming(false);
    const result = await settle(api.exportCapture({ conn, withKeys }));
    if (!result.ok) {
      setStatus({ text: result.error.message, error: true });
      return;
    }
    const { fileBase, pcapBase64, keys, keysWithheld } = result.value;
    downloadBlob(new Blob([base64ToBytes(pcapBase64)], { type: 'application/vnd.tcpdump.pcap' }), `${fileBase}.pcap`);
    if (withKeys && keys !== null) downloadBlob(new Blob([keys], { type: 'text/plain' }), `${fileBase}.keys`);
    const text = !withKeys
      ? `Saved ${fileBase}.pcap: without the keys, Wireshark sees only ciphertext.`
      : keysWithheld
        ? `Saved ${fileBase}.pcap only: no keys for a connection whose peer ${keysWithheld === 'peer-refused' ? 'was refused' : 'is not trusted'} — they would show what a stranger sent.`
        : `Saved ${fileBase}.pcap and ${fileBase}.keys. In Wireshark: TLS → (Pre)-Master-Secret log filename.`;
    setStatus({ text, error: false });
  };

  return (
    <section className="wire-export" aria-label="Export for Wireshark">
      <h3>Export for Wireshark</h3>
      <div className="drill-buttons">
        <button type="button" disabled={!conn} onClick={() => void exportIt(false)}>
          Export capture (.pcap)
        </button>
        <button type="button" disabled={!conn} onClick={() => setConfirming(true)}>
          Export with keys…
        </button>
      </div>
      <p className={status?.error ? 'error' : 'muted'} role="status">
        {status?.text ?? (conn ? '' : 'No connection to export yet.')}
      </p>
      {confirming && (
        <Modal title="Export with keys" role="alertdialog" tone="danger" onEscape={() => setConfirming(false)}>
          <p className="error">Anyone with this keys file can read this conversation. Share it only for a demo.</p>
          <div className="drill-buttons">
            <button type="button" onClick={() => void exportIt(true)}>
              Export capture and keys
            </button>
            <button type="button" data-autofocus onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </div>
        </Modal>
      )}
    </section>
  );
}
