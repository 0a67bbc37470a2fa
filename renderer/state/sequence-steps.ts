import type { Direction, EventBase, EventDetails, LockstepEvent, RecordDetail } from '../../shared/events';
import { cipherLabel, formatMs, protocolLabel } from './format';
import { helloIsHybrid, hybridHelloExplanations, hybridSecureExplanation, recordingVerdict, shareWords } from './key-exchange-words';
import { eveDraft, releasedDraft, tamperDraft, verdictDraft, witnessDraft } from './drill-steps';
import { recordDrafts, type StepDraft } from './record-steps';
import { runtimeGapDetails } from './runtime-gaps';
import { endpoint, helloDetails, secureDetails, trustDetails, type Detail } from './step-details';
import {
  frameExplanations,
  helloExplanations,
  keylogExplanation,
  readyExplanation,
  secureExplanation,
  tcpExplanations,
  trustExplanations,
  type Property,
} from './step-explanations';

export type Phase = 1 | 2 | 3;

export const phaseTitles: Record<Phase, string> = {
  1: '1 · TCP handshake',
  2: '2 · Key exchange (TLS 1.3 handshake)',
  3: '3 · Data transfer',
};

/** One arrow (or note) of the sequence diagram. */
export interface Step {
  key: string;
  seq: number;
  phase: Phase;
  /** `out`: arrow from this side to the peer; `in`: from the peer; `local`: a note on this side. */
  dir: Direction;
  title: string;
  note: string;
  explain: string;
  property: Property | null;
  tone: StepDraft['tone'];
  /** Milliseconds since the connection's first event. */
  elapsed: number;
  /** The expanded view's rows, computed when someone expands the step. */
  details: () => Detail[];
  /** The chat message this step carried, so a bubble can point at its record. */
  messageId: string | null;
  /** The event the step was drawn from (the stage places steps in lanes by its kind). */
  source: LockstepEvent;
}

export type Row = { type: 'phase'; key: string; phase: Phase } | { type: 'step'; key: string; step: Step };

const helloTitles = { client_hello: 'ClientHello', server_hello: 'ServerHello', hello_retry_request: 'HelloRetryRequest' } as const;

function draft(title: string, note: string, explain: { text: string; property: Property | null }, tone: StepDraft['tone'], details: Detail[] | (() => Detail[])): StepDraft {
  return { title, note, explanation: explain, tone, details: typeof details === 'function' ? details : () => details };
}

function tcpSteps(event: EventBase<'tcp.connect'> | EventBase<'tcp.accept'>): [Direction, StepDraft][] {
  const dialed = event.kind === 'tcp.connect';
  const took = dialed ? ` · took ${formatMs(event.detail.ms)}` : '';
  const details: Detail[] = [
    { label: 'This side', value: endpoint(event.detail.local), mono: true },
    { label: 'Peer', value: endpoint(event.detail.remote), mono: true },
    ...(dialed ? [{ label: 'Connect time (SYN to ACK)', value: formatMs(event.detail.ms) }] : []),
    { label: 'Done by', value: 'the operating systems (the kernel), not by Lockstep' },
  ];
  const there: Direction = dialed ? 'out' : 'in';
  const back: Direction = dialed ? 'in' : 'out';
  const plain = (text: string) => ({ text, property: null });
  return [
    [there, draft('SYN', `open a connection${took}`, plain(tcpExplanations.SYN), 'clear', details)],
    [back, draft('SYN/ACK', 'agreed', plain(tcpExplanations['SYN/ACK']), 'clear', details)],
    [there, draft('ACK', 'connection open, nothing encrypted yet', plain(tcpExplanations.ACK), 'clear', details)],
  ];
}

function helloNote(hello: EventDetails['tls.hello']): string {
  const side = hello.handshakeType === 'client_hello' ? 'client' : 'server';
  const shares = hello.keyShares.map((s) => `${s.group} (${shareWords(s, side)})`).join(', ') || 'none';
  if (hello.handshakeType === 'client_hello') return `in the clear · offers ${hello.cipherSuites.length} cipher suites · key share ${shares}`;
  const chosen = hello.cipherSuites[0];
  return `in the clear · chooses ${chosen ? `${chosen} (${cipherLabel(chosen)})` : '?'} · key share ${shares}`;
}

function trustDraft(check: EventDetails['trust.check']): StepDraft {
  const explain = trustExplanations[check.verdict];
  switch (check.verdict) {
    case 'match':
      return draft('Pin check ✓', `presented key = pinned key${check.contactName ? ` of ${check.contactName}` : ''}`, explain, 'good', trustDetails(check));
    case 'mismatch':
      return draft('Pin check ✗ refused', 'presented key ≠ pinned key · nothing sent', explain, 'bad', trustDetails(check));
    case 'unknown':
      return draft('Pin check: new key', 'not pinned yet · waiting for a decision', explain, 'plain', trustDetails(check));
    case 'no-certificate':
      return draft('Pin check ✗ no certificate', 'refused', explain, 'bad', trustDetails(check));
  }
}

/** The draft(s) for one event, or none for events the diagram leaves out (they repeat frames). */
function drafts(event: LockstepEvent, ctx: Context): [Direction, StepDraft][] {
  const one = (d: StepDraft): [Direction, StepDraft][] => [[event.dir, d]];
  switch (event.kind) {
    case 'tcp.connect':
    case 'tcp.accept':
      return tcpSteps(event);
    case 'tcp.error':
      return one(draft('TCP connection failed', event.detail.message, { text: event.summary, property: null }, 'bad', [{ label: 'Code', value: event.detail.code }, { label: 'Peer', value: event.detail.remote }]));
    case 'tls.hello': {
      const record = ctx.clearRecord[event.dir] ?? null;
      delete ctx.clearRecord[event.dir];
      const type = event.detail.handshakeType;
      const explain = type !== 'hello_retry_request' && helloIsHybrid(event.detail) ? hybridHelloExplanations[type] : helloExplanations[type];
      return one(draft(helloTitles[type], helloNote(event.detail), explain, 'clear', () => helloDetails(event.detail, record)));
    }
    case 'tls.record':
      if (!event.detail.encrypted && event.detail.contentType === 'handshake') {
        // Only the hellos travel as plaintext handshake records in TLS 1.3, and the engine reports
        // each record just before the hello it carried: the hello step tells its story.
        ctx.clearRecord[event.dir] = event.detail;
        return [];
      }
      return recordDrafts(event, () => ctx.secure).map((d) => [event.dir, d]);
    case 'tls.keylog': {
      const details: Detail[] = [{ label: 'Secret', value: event.detail.label }, { label: 'Client random', value: `${event.detail.clientRandom.slice(0, 16)}…`, mono: true }];
      if (event.detail.secret) details.push({ label: 'Secret value (demo mode: never share it)', value: event.detail.secret, mono: true });
      return one(draft('Secret derived', event.detail.label, keylogExplanation, 'plain', details));
    }
    case 'tls.secure': {
      const s = event.detail;
      const pq = recordingVerdict(s.group).postQuantum ? ' (post-quantum hybrid)' : '';
      const note = `${protocolLabel(s.protocol)} · ${cipherLabel(s.cipherStandardName)} · ${s.group ?? 'group ?'}${pq} · ${formatMs(s.handshakeMs)}`;
      return one(draft('Handshake complete', note, s.group ? hybridSecureExplanation(s.group) : secureExplanation, 'good', () => secureDetails(s)));
    }
    case 'tls.error':
      return one(draft('TLS error', event.detail.alert ? `${event.detail.message} (alert ${event.detail.alert})` : event.detail.message, { text: event.summary, property: null }, 'bad', [{ label: 'Code', value: event.detail.code }, ...runtimeGapDetails(event.detail.runtimeGaps)]));
    case 'trust.check':
      return one(trustDraft(event.detail));
    case 'trust.pending':
      return one(draft('Waiting for a decision', `claims to be ${event.detail.claimedName}`, trustExplanations.unknown, 'plain', [{ label: 'Presented pin', value: event.detail.pin, mono: true }]));
    case 'trust.decision': {
      const titles = { trusted: 'Trusted: key pinned', 'auto-trusted': 'Trusted on first use: key pinned', rejected: 'Rejected' };
      return one(draft(titles[event.detail.decision], event.summary, { text: 'From now on this key, and only this key, is accepted for this contact.', property: 'authentication' }, event.detail.decision === 'rejected' ? 'bad' : 'good', [{ label: 'Pin', value: event.detail.pin, mono: true }]));
    }
    case 'trust.key-change': {
      const { resolution, oldPin, newPin } = event.detail;
      const titles = { detected: 'Key changed: stopped', reverified: 'New key verified', paired: 'New key paired', expired: 'Key change forgotten' };
      const texts = {
        detected: 'A known contact presented a different key. Nothing flows until a person compares the whole safety number or pairs again.',
        reverified: 'The new key is trusted: a person compared the safety number or paired again.',
        paired: 'The new key is trusted: a person compared the safety number or paired again.',
        expired: 'Nobody confirmed the new key in time, so it was forgotten. The pinned key stays the only one accepted.',
      };
      const outcome = { detected: 'presented key ≠ pinned key · nothing sent', reverified: 'the new key is pinned', paired: 'the new key is pinned', expired: 'the pinned key stays' };
      const tone = resolution === 'detected' ? 'bad' : resolution === 'expired' ? 'plain' : 'good';
      return one(draft(titles[resolution], outcome[resolution], { text: texts[resolution], property: 'authentication' }, tone, [{ label: 'Old pin', value: oldPin, mono: true }, { label: 'New pin', value: newPin, mono: true }]));
    }
    case 'frame.out':
    case 'frame.in': {
      const { type, size, id } = event.detail;
      const text = frameExplanations[type] ?? 'A protocol frame.';
      const d = draft(`${type} frame`, `${size} bytes${id ? ` · id ${id.slice(0, 8)}` : ''} · inside TLS`, { text, property: null }, 'plain', [{ label: 'Frame type', value: type }, { label: 'Size', value: `${size} bytes` }, ...(id ? [{ label: 'Message id', value: id, mono: true }] : [])]);
      return one({ ...d, messageId: type === 'msg' ? (id ?? null) : null });
    }
    case 'conn.ready':
      return one(draft('Connected', `secure chat with ${event.detail.peerName}`, readyExplanation, 'good', [{ label: 'Peer pin', value: event.detail.peerPin, mono: true }, { label: 'Protocol version', value: String(event.detail.protocolVersion) }]));
    case 'conn.closed': {
      const { by, reason, code } = event.detail;
      const who = { local: 'This side closed the connection.', remote: 'The peer closed the connection.', error: 'An error closed the connection.' }[by];
      return one(draft('Connection closed', code ? `${reason} (${code})` : reason, { text: who, property: null }, by === 'error' || code ? 'bad' : 'plain', [{ label: 'Closed by', value: by }, { label: 'Reason', value: reason }, ...(code ? [{ label: 'Code', value: code }] : [])]));
    }
    case 'app.error':
      return one(draft('Error', event.detail.message, { text: event.summary, property: null }, 'bad', [{ label: 'Code', value: event.detail.code }]));
    case 'tls.witness':
      return one(witnessDraft(event));
    case 'tls.released':
      return one(releasedDraft(event));
    case 'drill.tamper':
      return one(tamperDraft(event));
    case 'drill.verdict':
      return one(verdictDraft(event));
    case 'drill.eve':
      return one(eveDraft(event));
    case 'message.sent':
    case 'message.received':
    case 'message.delivered':
    case 'contact.changed':
      return []; // the frames and records already show these on the wire
    default: {
      // A kind this panel does not know yet still shows, in the engine's own words.
      const unknown = event as LockstepEvent;
      return [[unknown.dir, draft(unknown.kind, unknown.summary, { text: unknown.summary, property: null }, 'plain', [])]];
    }
  }
}

interface Context {
  /** The connection's handshake result, once seen: Certificate steps show its certificates on expanding. */
  secure: EventDetails['tls.secure'] | null;
  /** The last plaintext handshake record per direction: its header goes into the next hello's details. */
  clearRecord: Partial<Record<Direction, RecordDetail>>;
}

const naturalPhase: Partial<Record<LockstepEvent['kind'], Phase>> = {
  'tcp.connect': 1, 'tcp.accept': 1, 'tls.hello': 2, 'tls.keylog': 2, 'tls.secure': 2, 'trust.check': 2, 'trust.pending': 2,
  'trust.decision': 2, 'frame.out': 3, 'frame.in': 3, 'conn.ready': 3,
};

/** Index of the first event with a seq above `seq` (events are ordered by seq). */
function firstAfter(events: readonly LockstepEvent[], seq: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (events[mid]!.seq > seq) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * The sequence diagram of one connection, built incrementally: a live batch only adds its own
 * steps, so a long session does not rebuild tens of thousands of steps for every new record.
 * Phases only move forward, so a late event (a close, an error) stays in the phase it happened in.
 */
export class SequenceBuilder {
  private readonly steps: Step[] = [];
  private readonly ctx: Context = { secure: null, clearRecord: {} };
  private phase: Phase | 0 = 0;
  private start: number | null = null;
  private lastSeq = -Infinity;

  constructor(readonly conn: string) {}

  /** Add the events newer than any added before (events ordered by seq); other connections' are skipped. */
  add(events: readonly LockstepEvent[]): void {
    for (let i = firstAfter(events, this.lastSeq); i < events.length; i++) {
      const event = events[i]!;
      this.lastSeq = event.seq;
      if (event.conn === this.conn) this.addEvent(event);
    }
  }

  /** Forget the steps of events the store no longer keeps (it is bounded). */
  dropBefore(seq: number): void {
    let n = 0;
    while (n < this.steps.length && this.steps[n]!.seq < seq) n++;
    if (n > 0) this.steps.splice(0, n);
  }

  /** The rows to draw: each phase's header before its first step. */
  rows(): Row[] {
    const rows: Row[] = [];
    let phase = 0;
    for (const step of this.steps) {
      if (step.phase !== phase) {
        phase = step.phase;
        rows.push({ type: 'phase', key: `phase-${phase}`, phase: step.phase });
      }
      rows.push({ type: 'step', key: step.key, step });
    }
    return rows;
  }

  private addEvent(event: LockstepEvent): void {
    if (event.kind === 'tls.secure') this.ctx.secure = event.detail;
    this.start ??= event.t;
    const parts = drafts(event, this.ctx);
    for (let i = 0; i < parts.length; i++) {
      const [dir, d] = parts[i]!;
      const wanted: Phase = (event.kind === 'tls.record' ? d.phase : naturalPhase[event.kind]) ?? (this.phase || 1);
      this.phase = Math.max(this.phase, wanted) as Phase;
      const key = parts.length > 1 ? `${event.seq}.${i}` : String(event.seq);
      this.steps.push({
        key,
        seq: event.seq,
        phase: this.phase,
        dir,
        title: d.title,
        note: d.note,
        explain: d.explanation.text,
        property: d.explanation.property,
        tone: d.tone,
        elapsed: event.t - this.start,
        details: () => [{ label: 'Engine says', value: event.summary }, ...d.details()],
        messageId: d.messageId ?? null,
        source: event,
      });
    }
  }
}

/** The whole diagram of one connection at once (see SequenceBuilder for the incremental form). */
export function buildRows(events: readonly LockstepEvent[], conn: string | null): Row[] {
  if (!conn) return [];
  const builder = new SequenceBuilder(conn);
  builder.add(events);
  return builder.rows();
}
