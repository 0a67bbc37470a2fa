/**
 * Eve's lane: what the relay in the middle sees (only records: their headers, then ciphertext),
 * what she does (flip a bit, replay a record, answer with her own key) and her verdict on what
 * each side did next. Her own TLS handshakes as the impostor are left out: they are the same
 * arrows as this side's, and her point is the key she presents.
 */
import type { EventBase, HelloSummary, LockstepEvent } from '../../shared/events';
import { keySharePartsOf } from '../../shared/key-share-parts';
import { eveDraft, verdictDraft } from './drill-steps';
import { verdictTitle, type Beat, type Flow, type Names } from './stage-beats';
import { parseHeader } from './wire-model';

const handshakeNames: Record<string, string> = { '01': 'ClientHello', '02': 'ServerHello' };

/** What a record's first bytes tell anyone on the path: its type, and for the hellos, which one. */
export function whatEveSees(hex: string): { words: string; clear: boolean; skip: boolean } {
  const clean = hex.replace(/[^0-9a-f]/gi, '').toLowerCase();
  const header = parseHeader(clean);
  if (!header) return { words: 'bytes that are not a TLS record', clear: true, skip: false };
  switch (header.typeName) {
    case 'handshake': {
      const name = handshakeNames[clean.slice(10, 12)];
      return { words: name ?? 'a handshake record', clear: true, skip: false };
    }
    case 'change_cipher_spec':
      return { words: 'change_cipher_spec', clear: true, skip: true };
    case 'alert':
      return { words: 'an alert', clear: true, skip: false };
    case 'application_data':
      return { words: 'ciphertext', clear: false, skip: false };
    default:
      return { words: `a ${header.typeName} record`, clear: true, skip: false };
  }
}

/** Hellos Eve parsed herself (they are in the clear), by connection and kind. */
type EveHellos = Map<string, HelloSummary>;

/** "1,458 bytes, 1,184 of them the ML-KEM-768 key": the size of a hello, and how much is post-quantum key. */
function helloSize(bytes: number, hello: HelloSummary | undefined): string {
  const size = `${bytes.toLocaleString('en-US')} bytes`;
  if (!hello) return size;
  const side = hello.handshakeType === 'client_hello' ? 'client' : 'server';
  const mlkem = hello.keyShares.flatMap((k) => keySharePartsOf(k.group, k.length, side)).find((p) => p.name.startsWith('ML-KEM'));
  return mlkem ? `${size}, ${mlkem.length.toLocaleString('en-US')} of them the ${mlkem.name}` : size;
}

function eveEventBeat(e: EventBase<'drill.eve'>, names: Names, hellos: EveHellos): Omit<Beat, 'key' | 'seq' | 'scene' | 'phase' | 'source' | 'lane'> | null {
  const d = e.detail;
  const from = d.from === 'dialer' ? names.self : names.peer;
  // Bytes from the dialer go on toward the listener; this side dialed through her.
  const flow: Flow = d.from === 'dialer' ? 'to-peer' : 'to-self';
  const draft = eveDraft(e);
  const base = { explain: draft.explanation.text, property: draft.explanation.property, details: draft.details, subject: { kind: 'eve' as const, event: e } };
  const record = d.recordIndex !== undefined ? `record #${d.recordIndex}` : 'a record';
  switch (d.action) {
    case 'terminated':
      return {
        ...base,
        title: d.from === 'dialer' ? `Eve’s handshake with ${names.self} completes` : `Eve shows ${names.peer} her own key`,
        note: 'her certificate, not the pinned one: the pin check decides now',
        explain: 'Eve ends TLS herself, toward each side, with a certificate of her own. She can read whatever a side would send her — if it ever accepted her key.',
        property: 'authentication',
        tone: 'bad', flow: null, clear: null, milestone: true,
      };
    case 'flipped':
      return {
        ...base,
        title: 'Eve flips a bit',
        note: d.flipped ? `bit ${d.flipped.bit} of byte ${d.flipped.byteOffset} in ${record} from ${from}, then passes it on` : `in ${record} from ${from}, then passes it on`,
        explain: 'One bit of the ciphertext changed after encryption, as an attacker on the network would do it. She cannot know what it changes in the message — and the receiver’s tag check will notice.',
        property: 'integrity',
        tone: 'bad', flow, clear: false, milestone: true,
      };
    case 'replayed':
      return {
        ...base,
        title: 'Eve replays a record',
        note: `${record} from ${from}, sent twice`,
        explain: 'Eve sends an exact copy of a record right after the original. The copy carries a sequence number already used, so its nonce no longer fits.',
        property: 'integrity',
        tone: 'bad', flow, clear: false, milestone: true,
      };
    case 'dropped':
      return { ...base, title: 'Eve drops bytes', note: `${d.bytes} bytes from ${from}`, tone: 'bad', flow: null, clear: null, milestone: true };
    case 'relayed': {
      if (d.mode === 'impostor') {
        // Plaintext reaches Eve only if a side accepted her key: the attack worked.
        return { ...base, title: `EVE READ ${d.bytes} BYTES OF PLAINTEXT`, note: `from ${from}: ${d.ascii}`, tone: 'bad', flow, clear: true, milestone: true };
      }
      const seen = whatEveSees(d.hex);
      if (seen.skip) return null;
      const hello = seen.words === 'ClientHello' || seen.words === 'ServerHello' ? hellos.get(`${e.conn}:${seen.words}`) : undefined;
      const size = seen.words === 'ClientHello' || seen.words === 'ServerHello' ? ` ${helloSize(d.bytes, hello)},` : '';
      return {
        ...base,
        title: seen.clear ? `Eve reads ${seen.words}` : `Eve sees ${seen.words}`,
        note: seen.clear ? `from ${from}, in the clear:${size} readable, nothing secret · passed on` : `${d.bytes} bytes from ${from}: no key to open them · passed on`,
        tone: seen.clear ? 'clear' : 'plain', flow, clear: seen.clear, milestone: false,
      };
    }
  }
}

/** One of Eve's events as a beat of her lane, or null for what her lane leaves out. */
function eveBeat(e: LockstepEvent, names: Names, hellos: EveHellos): Omit<Beat, 'key' | 'seq' | 'scene' | 'phase' | 'source' | 'lane'> | null {
  const plain = { property: null, details: () => [{ label: 'Eve’s engine says', value: e.summary }], subject: { kind: 'plain' as const }, clear: null };
  switch (e.kind) {
    case 'tcp.accept':
      return { ...plain, title: 'Eve takes the call', note: `${names.self} dialed ${names.peer} — and reached Eve`, explain: 'The route to the other side goes through Eve now. TCP cannot tell who answers; only TLS can.', tone: 'bad', flow: null, milestone: true };
    case 'tcp.connect':
      return { ...plain, title: `Eve dials ${names.peer}`, note: 'her own TCP connection: she relays every byte', explain: e.summary, tone: 'plain', flow: 'to-peer', milestone: false };
    case 'drill.eve':
      return eveEventBeat(e, names, hellos);
    case 'tls.hello':
      // The impostor answers the dialer as if she were the listener: her ServerHello, then her certificate.
      if (e.detail.handshakeType !== 'server_hello' || e.eve?.leg !== 'dialer') return null;
      return {
        ...plain,
        subject: { kind: 'hello', hello: e, record: null },
        title: `Eve answers ${names.self} with her own key`,
        note: `her ServerHello, then her own certificate — not ${names.peer}’s`,
        explain: `Eve plays ${names.peer}: she completes the key exchange herself and sends a certificate of her own. Only the pin check can tell it is not the key ${names.self} pinned.`,
        property: 'authentication',
        tone: 'bad',
        flow: 'to-self',
        clear: true,
        milestone: true,
      };
    case 'drill.verdict': {
      const draft = verdictDraft(e);
      return { ...plain, title: `Eve — ${verdictTitle(e.detail.drill, e.detail.outcome)}`, note: '', explain: e.detail.reason, tone: draft.tone, flow: null, milestone: true };
    }
    case 'tcp.error':
      // She could not reach the other side at all: the drill has nothing to show.
      return { ...plain, title: `Eve cannot reach ${names.peer}`, note: e.summary, explain: e.summary, tone: 'plain', flow: null, milestone: false };
    default:
      // Her own TLS errors (a side hanging up on her key) are told by her verdict.
      return null;
  }
}

/** Eve's beats for one relay (her events from all its connection ids, in stream order). */
export function eveBeats(events: readonly LockstepEvent[], names: Names): Beat[] {
  const beats: Beat[] = [];
  const hellos: EveHellos = new Map();
  for (const e of events) {
    if (e.kind === 'tls.hello' && e.conn) hellos.set(`${e.conn}:${e.detail.handshakeType === 'client_hello' ? 'ClientHello' : 'ServerHello'}`, e.detail);
  }
  for (const e of events) {
    const beat = eveBeat(e, names, hellos);
    if (beat) beats.push({ ...beat, key: `eve-${e.seq}`, seq: e.seq, scene: 0, phase: 1, lane: 'eve', source: e });
  }
  return beats;
}
