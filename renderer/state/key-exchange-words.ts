/**
 * The panel's words for the key exchange: the hybrid post-quantum group (X25519MLKEM768) or a
 * classical one (X25519, P-256), what each key share is made of, and the verdict on a recording
 * of the connection. Honest and short: the hybrid protects what was recorded against a future
 * quantum computer; the certificates and signatures are still classical ECDSA, which matters
 * only for an attack made at the time of the connection.
 */
import type { HelloSummary, KeyExchangeSummary, KeyShareSummary } from '../../shared/events';
import { isPostQuantum, keySharePartsOf, type ShareSide } from '../../shared/key-share-parts';
import type { Detail } from './step-details';
import type { Explanation } from './step-explanations';

const bytes = (n: number) => `${n.toLocaleString('en-US')} bytes`;

/** "1,216 bytes = ML-KEM-768 encapsulation key 1,184 + X25519 public key 32". */
export function shareWords(share: { group: string; length: number; parts?: KeyShareSummary['parts'] }, side: ShareSide): string {
  const parts = share.parts ?? keySharePartsOf(share.group, share.length, side);
  if (parts.length < 2) return bytes(share.length);
  return `${bytes(share.length)} = ${parts.map((p) => `${p.name} ${p.length.toLocaleString('en-US')}`).join(' + ')}`;
}

/** Whether a hello carries (client) or answers with (server) a hybrid share. */
export const helloIsHybrid = (hello: HelloSummary): boolean => hello.keyShares.some((s) => isPostQuantum(s.group));

export const hybridHelloExplanations: Record<'client_hello' | 'server_hello', Explanation> = {
  client_hello: {
    text: 'Sent in the clear. Its biggest part is a fresh ML-KEM-768 encapsulation key (FIPS 203, post-quantum) joined with an X25519 key: the dialer’s half of a hybrid key exchange. A plain X25519 share rides along for a peer without the hybrid. Nothing secret travels.',
    property: 'encryption',
  },
  server_hello: {
    text: 'The listener chose the hybrid X25519MLKEM768: an ML-KEM-768 ciphertext plus its X25519 key. Both sides combine the ML-KEM secret and the X25519 secret into one: the session key stays secret if either of the two holds. Everything after this message is encrypted.',
    property: 'encryption',
  },
};

export interface RecordingVerdict {
  postQuantum: boolean;
  /** One line: what a recording of this connection is worth to an attacker later. */
  text: string;
}

/** The verdict on a recording of this connection ("harvest now, decrypt later"). */
export function recordingVerdict(group: string | null): RecordingVerdict {
  if (isPostQuantum(group)) {
    return { postQuantum: true, text: 'Safe against harvest now, decrypt later: a recording of this connection stays secret even for a future quantum computer, unless ML-KEM-768 and X25519 both fall.' };
  }
  if (!group) return { postQuantum: false, text: 'The key-exchange group was not reported: no verdict on a recording.' };
  return { postQuantum: false, text: `Classical only (${group}): a recording of this connection could be decrypted later by a quantum computer large enough to break ${group} — harvest now, decrypt later.` };
}

/** Said once beside the verdict: what the hybrid does not change. */
export const signaturesStillClassical =
  'The certificates and signatures are still classical ECDSA P-256. That matters only for an attack made during the connection (a quantum impostor then), not for a recording.';

export function hybridSecureExplanation(group: string | null): Explanation {
  const verdict = recordingVerdict(group);
  return {
    text: `Keys agreed, signatures checked, transcript confirmed by both Finished messages. ${verdict.text} Next, the pin check decides whether this is the person you meant.`,
    property: 'encryption',
  };
}

/** The expanded rows of a handshake's key exchange. */
export function keyExchangeDetails(kx: KeyExchangeSummary): Detail[] {
  const verdict = recordingVerdict(kx.chosen);
  return [
    { label: 'Groups offered (ClientHello)', value: kx.offered.join(', ') || '(none)' },
    ...kx.clientShares.map((s) => ({ label: `Client key share ${s.group}`, value: shareWords(s, 'client') })),
    ...(kx.serverShare ? [{ label: `Server key share ${kx.serverShare.group}`, value: shareWords(kx.serverShare, 'server') }] : []),
    { label: 'Group chosen (ServerHello)', value: kx.chosen ?? '(no ServerHello seen)' },
    ...(kx.helloRetry ? [{ label: 'HelloRetryRequest', value: 'the listener asked for a share in another group: one more round trip' }] : []),
    { label: 'Hello sizes on the wire', value: `ClientHello ${bytes(kx.clientHelloBytes)}, ServerHello ${bytes(kx.serverHelloBytes)}` },
    { label: 'Against a recording', value: verdict.text },
    { label: 'Certificates and signatures', value: signaturesStillClassical },
  ];
}
