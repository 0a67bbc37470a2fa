/**
 * This side's connection as stage beats: the sequence diagram's steps (same words, same details)
 * placed in lanes — this side, the wire, the other side — with the noise folded away for a room:
 * consecutive key-log lines become one "keys derived" beat, the independent witness joins the
 * record it checked, change_cipher_spec (a no-op) and the frames the records already carry go.
 */
import type { EventBase, LockstepEvent, RecordDetail } from '../../shared/events';
import { SequenceBuilder, type Phase, type Step } from './sequence-steps';
import type { Detail } from './step-details';
import type { Property } from './step-explanations';
import { drillTitle } from './wire-model';

/** `self`: this side's decisions; `wire`: what travels; `eve`: the relay in the middle; `peer`: the other side's decisions as this side learns them. */
export type Lane = 'self' | 'wire' | 'eve' | 'peer';

/** Which way the bytes of a wire (or Eve) beat travel. */
export type Flow = 'to-peer' | 'to-self' | null;

export type Subject =
  | { kind: 'record'; record: EventBase<'tls.record'>; witness: EventBase<'tls.witness'> | null; message: string | null }
  | { kind: 'hello'; hello: EventBase<'tls.hello'>; record: EventBase<'tls.record'> | null }
  | { kind: 'keys'; conn: string; labels: string[] }
  | { kind: 'eve'; event: EventBase<'drill.eve'> }
  | { kind: 'trust'; event: EventBase<'trust.check'> }
  | { kind: 'plain' };

export interface Beat {
  key: string;
  seq: number;
  /** Index of the beat's scene in the story. */
  scene: number;
  phase: Phase;
  lane: Lane;
  flow: Flow;
  title: string;
  note: string;
  explain: string;
  property: Property | null;
  tone: Step['tone'];
  /** Wire beats: readable by anyone on the path (true) or encrypted (false). */
  clear: boolean | null;
  /** A moment worth jumping to (↑/↓): a hello, the pin check, a message, a refusal, a verdict. */
  milestone: boolean;
  subject: Subject;
  details: () => Detail[];
  source: LockstepEvent;
}

export interface Names {
  self: string;
  peer: string;
}

/**
 * The plaintext the engine chose not to put in the event (a connection not trusted yet). Read
 * loosely on purpose: the field is being added to the record events, under this name.
 */
export function withheldOf(record: RecordDetail): string | null {
  const value = (record.decrypted as { withheld?: unknown } | undefined)?.withheld ?? (record as { withheld?: unknown }).withheld;
  if (value === undefined || value === null || value === false) return null;
  return typeof value === 'string' ? value : 'not trusted yet';
}

function placement(step: Step): { lane: Lane; flow: Flow } | null {
  const e = step.source;
  const flow: Flow = step.dir === 'out' ? 'to-peer' : step.dir === 'in' ? 'to-self' : null;
  switch (e.kind) {
    case 'tcp.connect':
    case 'tcp.accept':
    case 'tls.hello':
      return { lane: 'wire', flow };
    case 'tls.record':
      return !e.detail.encrypted && e.detail.contentType === 'change_cipher_spec' ? null : { lane: 'wire', flow };
    case 'drill.tamper':
      return e.detail.phase === 'flipped' ? { lane: 'wire', flow: 'to-peer' } : { lane: 'self', flow: null };
    case 'frame.out':
      return null;
    case 'frame.in':
      return e.detail.type === 'hello' || e.detail.type === 'ack' ? { lane: 'peer', flow: null } : null;
    case 'tls.error':
      return e.detail.alert ? { lane: 'peer', flow: null } : { lane: 'self', flow: null };
    case 'conn.closed':
      return e.detail.by === 'remote' ? { lane: 'peer', flow: null } : { lane: 'self', flow: null };
    default:
      return { lane: 'self', flow: null };
  }
}

/**
 * A verdict short enough for a lane: "Tamper defeated ✓", "Eavesdropper: nothing readable ✓",
 * "REPLAY SUCCEEDED ✗". Its reason, a paragraph, is the explanation under it.
 */
export function verdictTitle(drill: string, outcome: 'defeated' | 'observed' | 'succeeded'): string {
  const name = drillTitle(drill);
  // The classical comparison is no attack: it reports two handshakes side by side.
  if (drill === 'classical') return `${name}: compared with the hybrid`;
  if (outcome === 'defeated') return `${name} defeated ✓`;
  if (outcome === 'observed') return `${name}: nothing readable ✓`;
  return `${name.toUpperCase()} SUCCEEDED ✗`;
}

/** What the other side decided, in words that name it (its frames and alerts reach this side). */
function peerWords(step: Step, peer: string): Pick<Beat, 'title' | 'note' | 'explain' | 'property' | 'tone'> | null {
  const e = step.source;
  if (e.kind === 'frame.in' && e.detail.type === 'hello') {
    return {
      title: `Hello from ${peer}`,
      note: `${peer} checked this side’s key and let it in`,
      explain: `A Lockstep peer says hello only after its own pin check accepted this side’s key: this is ${peer}’s authentication decision, seen from here.`,
      property: 'authentication',
      tone: 'good',
    };
  }
  if (e.kind === 'frame.in' && e.detail.type === 'ack') {
    return { title: `${peer}: got it`, note: `ack${e.detail.id ? ` for ${e.detail.id.slice(0, 8)}` : ''}: the message arrived intact`, explain: step.explain, property: null, tone: 'good' };
  }
  if (e.kind === 'tls.error' && e.detail.alert) {
    return { title: `Refused by ${peer}`, note: `alert: ${e.detail.alert.replace(/ /g, '_')}`, explain: e.summary, property: null, tone: 'bad' };
  }
  if (e.kind === 'conn.closed' && e.detail.by === 'remote') {
    return { title: `${peer} closed the connection`, note: e.detail.code ? `${e.detail.reason} (${e.detail.code})` : e.detail.reason, explain: step.explain, property: null, tone: 'plain' };
  }
  return null;
}

function isMilestone(step: Step, lane: Lane): boolean {
  const k = step.source.kind;
  if (lane === 'peer' || step.tone === 'bad') return true;
  if (k === 'tls.hello' || k === 'trust.check' || k === 'conn.ready' || k === 'trust.decision' || k.startsWith('drill.')) return true;
  return k === 'tls.record' && step.messageId !== null;
}

function subjectOf(step: Step, clearBefore: ReadonlyMap<number, EventBase<'tls.record'>>): Subject {
  const e = step.source;
  switch (e.kind) {
    case 'tls.record':
      return { kind: 'record', record: e, witness: null, message: e.detail.decrypted?.handshakeMessages.length ? step.title : null };
    case 'tls.hello':
      return { kind: 'hello', hello: e, record: clearBefore.get(e.seq) ?? null };
    case 'tls.keylog':
      return { kind: 'keys', conn: e.conn ?? '', labels: [e.detail.label] };
    case 'trust.check':
      return { kind: 'trust', event: e };
    default:
      return { kind: 'plain' };
  }
}

/** A hello's record header travels just before it in the same direction (the engine reports it first). */
function clearRecordsBeforeHellos(events: readonly LockstepEvent[]): Map<number, EventBase<'tls.record'>> {
  const last: Partial<Record<string, EventBase<'tls.record'>>> = {};
  const map = new Map<number, EventBase<'tls.record'>>();
  for (const e of events) {
    if (e.kind === 'tls.record' && !e.detail.encrypted && e.detail.contentType === 'handshake') last[e.dir] = e;
    else if (e.kind === 'tls.hello' && last[e.dir]) {
      map.set(e.seq, last[e.dir]!);
      delete last[e.dir];
    }
  }
  return map;
}

function recordNote(step: Step, record: RecordDetail): string {
  const withheld = withheldOf(record);
  return withheld && record.decrypted ? `${record.length} bytes · seq ${record.decrypted.sequence} · plaintext withheld: ${withheld}` : step.note;
}

/** The beats of this side's connection `conn`, in stream order (scene index left at 0). */
export function connectionBeats(conn: string, events: readonly LockstepEvent[], names: Names): Beat[] {
  const builder = new SequenceBuilder(conn);
  builder.add(events);
  const clearBefore = clearRecordsBeforeHellos(events);
  const beats: Beat[] = [];
  const recordBeat = new Map<string, Beat>();
  let previous: Step | null = null;
  let peerAlert: string | null = null;

  for (const row of builder.rows()) {
    if (row.type !== 'step') continue;
    const step = row.step;
    const e = step.source;
    const last = beats[beats.length - 1];
    if (e.kind === 'tls.keylog' && previous?.source.kind === 'tls.keylog' && last?.subject.kind === 'keys') {
      last.subject.labels.push(e.detail.label);
      last.note = last.subject.labels.join(' · ');
      previous = step;
      continue;
    }
    previous = step;
    if (e.kind === 'tls.witness') {
      const checked = recordBeat.get(`${e.dir}:${e.detail.recordIndex}`);
      if (checked?.subject.kind === 'record') {
        checked.subject.witness = e;
        if (!e.detail.equal && !e.detail.unchecked) {
          checked.tone = 'bad';
          checked.title = 'Independent check ✗';
          checked.note = step.note;
        }
        continue;
      }
    }
    const place = placement(step);
    if (!place) continue;
    // A drill's own verdict and the one this side draws from the same refusal say the same thing once.
    if (e.kind === 'drill.verdict' && last?.source.kind === 'drill.verdict' && last.source.detail.drill === e.detail.drill && last.source.detail.outcome === e.detail.outcome) continue;
    // The decryptor reports the peer's alert as it arrives, then TLS reports the same alert as its error.
    if (e.kind === 'tls.error' && e.detail.alert) {
      const alert = e.detail.alert.replace(/ /g, '_');
      if (alert === peerAlert) continue;
      peerAlert = alert;
    }
    const words = place.lane === 'peer' ? peerWords(step, names.peer) : null;
    const beat: Beat = {
      key: step.key,
      seq: step.seq,
      scene: 0,
      phase: step.phase,
      lane: place.lane,
      flow: place.flow,
      title: words?.title ?? (e.kind === 'tls.keylog' ? 'Keys derived' : e.kind === 'drill.verdict' ? verdictTitle(e.detail.drill, e.detail.outcome) : step.title),
      note: words?.note ?? (e.kind === 'tls.record' ? recordNote(step, e.detail) : e.kind === 'drill.verdict' ? '' : step.note),
      explain: words?.explain ?? step.explain,
      property: words ? words.property : step.property,
      tone: words?.tone ?? step.tone,
      clear: place.lane === 'wire' ? (e.kind === 'tls.record' ? !e.detail.encrypted : e.kind !== 'drill.tamper') : null,
      milestone: isMilestone(step, place.lane),
      subject: subjectOf(step, clearBefore),
      details: step.details,
      source: e,
    };
    if (e.kind === 'tls.record' && e.detail.decrypted && e.detail.decrypted.handshakeMessages.length === 0) recordBeat.set(`${e.dir}:${e.detail.index}`, beat);
    beats.push(beat);
  }
  return beats;
}
