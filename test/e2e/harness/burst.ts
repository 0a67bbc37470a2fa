/**
 * A burst of engine events as a bulk transfer makes them: for each message, the `msg` frame and
 * the record that carried it going out, the record with the `ack` and the `ack` frame coming
 * back — the shapes the record observer and the session emit, with plausible sizes, headers,
 * nonces and tags. Used to feed a page 10,000 events at once (test and bench).
 */
import type { EventBase, LockstepEvent } from '../../../shared/events';
import type { ContactView } from '../../../shared/views';
import { EVENTS_CHANNEL } from '../../../shared/ipc-contract';
import { callEngine, type Engine } from './engines';
import { openChat, openPeer, type Peer, type PeerSetup } from './peer';

export interface BurstOptions {
  conn: string;
  count: number;
  /** Seq of the first event: one past the newest the page holds, as the engine's would be. */
  firstSeq: number;
  /** `t` of the first event (ms since the engine started); events follow 0.05 ms apart. */
  startT: number;
  /** Text of the message the last event carries: the newest step shows it. */
  marker: string;
}

/** Deterministic hex, so two runs of the bench push the same bytes. */
function hexFrom(seed: number, bytes: number): string {
  let x = (seed * 2654435761) >>> 0;
  let out = '';
  for (let i = 0; i < bytes; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out += ((x >>> 0) & 0xff).toString(16).padStart(2, '0');
  }
  return out;
}

function uuid(seed: number): string {
  const h = hexFrom(seed, 16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function burstEvents({ conn, count, firstSeq, startT, marker }: BurstOptions): LockstepEvent[] {
  const events: LockstepEvent[] = [];
  const at0 = Date.now();
  const seqOut = { n: 10 };
  const seqIn = { n: 10 };
  const recordIndex = { out: 20, in: 20 };
  const push = (event: Omit<LockstepEvent, 'seq' | 't' | 'at'>) => {
    const i = events.length;
    events.push({ ...event, seq: firstSeq + i, t: startT + i * 0.05, at: at0 + Math.floor(i / 20) } as LockstepEvent);
  };
  const record = (dir: 'in' | 'out', plaintext: string): Omit<EventBase<'tls.record'>, 'seq' | 't' | 'at'> => {
    const inner = Buffer.byteLength(plaintext) + 1; // + the inner content type byte
    const length = inner + 16;
    const sequence = dir === 'out' ? seqOut.n++ : seqIn.n++;
    const index = dir === 'out' ? recordIndex.out++ : recordIndex.in++;
    const preview = plaintext.length > 48 ? `${plaintext.slice(0, 48)}…` : plaintext.trim();
    return {
      conn,
      dir,
      layer: 'record',
      kind: 'tls.record',
      summary: `Application data, ${inner} bytes of ciphertext + 16-byte tag; decrypted independently: ${preview}`,
      detail: {
        index,
        contentType: 'application_data',
        length,
        headerHex: `170303${length.toString(16).padStart(4, '0')}`,
        bodyPreview: hexFrom(index * 7 + (dir === 'out' ? 1 : 2), 16),
        encrypted: true,
        decrypted: {
          epoch: 'application',
          sequence,
          nonceHex: hexFrom(sequence * 13 + (dir === 'out' ? 3 : 4), 12),
          tagHex: hexFrom(sequence * 17 + (dir === 'out' ? 5 : 6), 16),
          innerContentType: 'application_data',
          handshakeMessages: [],
          plaintext,
        },
      },
    };
  };

  for (let i = 0; events.length < count; i++) {
    const id = uuid(i + 1);
    const last = events.length + 4 >= count;
    const text = last ? marker : `bulk message ${i + 1} of the burst`;
    const msg = `${JSON.stringify({ type: 'msg', id, at: new Date(at0).toISOString(), text })}\n`;
    const ack = `${JSON.stringify({ type: 'ack', id })}\n`;
    if (last) {
      // The burst ends with a message coming in: its record is the newest step.
      const rest = count - events.length;
      const tail: Omit<LockstepEvent, 'seq' | 't' | 'at'>[] = [
        { conn, dir: 'out', layer: 'app', kind: 'frame.out', summary: `Sent "ack" (${ack.length - 1} bytes of JSON, carried inside encrypted TLS records).`, detail: { type: 'ack', size: ack.length - 1, id: uuid(i) } },
        record('out', ack),
        { conn, dir: 'in', layer: 'app', kind: 'frame.in', summary: `Received "ack" (${ack.length - 1} bytes of JSON, carried inside encrypted TLS records).`, detail: { type: 'ack', size: ack.length - 1, id: uuid(i - 1) } },
        record('in', msg),
      ];
      for (const event of tail.slice(tail.length - rest)) push(event);
      break;
    }
    push({ conn, dir: 'out', layer: 'app', kind: 'frame.out', summary: `Sent "msg" (${msg.length - 1} bytes of JSON, carried inside encrypted TLS records).`, detail: { type: 'msg', size: msg.length - 1, id } });
    push(record('out', msg));
    push(record('in', ack));
    push({ conn, dir: 'in', layer: 'app', kind: 'frame.in', summary: `Received "ack" (${ack.length - 1} bytes of JSON, carried inside encrypted TLS records).`, detail: { type: 'ack', size: ack.length - 1, id } });
  }
  return events;
}

export interface BurstStage {
  alice: Peer;
  bob: Engine;
  contact: ContactView;
  /** The live connection whose panel Alice's page shows. */
  conn: string;
}

/**
 * Alice's app showing her chat with Bob and, beside it, the panel of their live connection.
 * Set up through the window's calls (this is not the first-run story); Bob, an engine with no
 * window, trusts on first use.
 */
export async function stageConnectedChat(setup: PeerSetup): Promise<BurstStage> {
  const bob = await setup.lab.withIdentity('Bob', { unknownPeers: 'accept' });
  const alice = await openPeer('Alice', { identity: 'Alice' });
  const network = await callEngine(bob.messenger, 'getNetwork', {});
  const invite = network.ok ? network.value.invite : null;
  if (!invite) throw new Error(`Bob's engine has no invite: ${JSON.stringify(network)}`);
  const added = await alice.call('addContactFromInvite', { invite });
  if (!added.ok) throw new Error(`adding Bob failed: ${added.error.message}`);
  await openChat(alice, 'Bob');
  const ready = await alice.events.waitFor('conn.ready', (e) => e.detail.contactId === added.value.id, 'the connection to Bob');
  return { alice, bob, contact: added.value, conn: ready.conn! };
}

/**
 * Numbering far past the engine's own, so the engine's live events (pings) cannot share a seq
 * with the burst's: the page merges by seq, and the burst's newest stays the newest.
 */
const SEQ_GAP = 1_000_000;

/** The burst for the connection a stage shows, numbered after everything the window was sent. */
export function burstFor(stage: BurstStage, count: number, marker: string): LockstepEvent[] {
  const newest = stage.alice.events.all.reduce<LockstepEvent | undefined>((a, e) => (a && a.seq > e.seq ? a : e), undefined);
  return burstEvents({ conn: stage.conn, count, firstSeq: (newest?.seq ?? 0) + SEQ_GAP, startT: (newest?.t ?? 0) + 1, marker });
}

/** Send the burst to Alice's window as main sends a batch: webContents.send on the events channel. */
export function sendBurst(stage: BurstStage, events: LockstepEvent[]): void {
  stage.alice.app.send(stage.alice.contentsId, EVENTS_CHANNEL, [events]);
}
