/**
 * The chat loop shared by `listen` and `connect`: engine events become output records, each stdin
 * line becomes a message, and end of stdin waits (briefly) for outstanding acks, says goodbye and
 * exits.
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';

import type { LockstepEvent } from '../../shared/events';
import { isPostQuantum } from '../../shared/key-share-parts';
import type { Messenger } from '../core/messenger/messenger';
import type { Output } from './output';

const DRAIN_LIMIT_MS = 10_000;

export interface ChatOptions {
  /** Who stdin lines go to: the dialled contact (connect), or the one StdinTarget fixed (listen). */
  target: () => string | null;
  /** Stop the process on a closed connection with this error code (connect: PIN_MISMATCH…). */
  fatalCodes?: ReadonlySet<string>;
}

/** `isTarget`: whether typed lines go to this contact (said on every `connected` record). */
export function reportEvents(m: Messenger, out: Output, onFatal: (code: string) => void, fatal: ReadonlySet<string>, isTarget: (contactId: string) => boolean): void {
  // Each connection's key-exchange group, from its tls.secure, for its `connected` record.
  const groups = new Map<string, string | null>();
  m.events.subscribe((e) => {
    out.event(e);
    if (e.kind === 'tls.secure' && e.conn) groups.set(e.conn, e.detail.group);
    if (e.kind === 'conn.closed' && e.conn) groups.delete(e.conn);
    describe(m, out, e, isTarget, groups);
    if (e.kind === 'conn.closed' && e.detail.code && fatal.has(e.detail.code)) onFatal(e.detail.code);
  });
}

function describe(m: Messenger, out: Output, e: LockstepEvent, isTarget: (contactId: string) => boolean, groups: Map<string, string | null>): void {
  switch (e.kind) {
    case 'conn.ready': {
      const target = isTarget(e.detail.contactId);
      const group = groups.get(e.conn ?? '') ?? null;
      const postQuantum = isPostQuantum(group);
      return out.record(
        { type: 'connected', conn: e.conn ?? '', peer: { name: e.detail.peerName, pin: e.detail.peerPin }, target, group, postQuantum },
        `connected to ${e.detail.peerName} (${e.detail.peerPin}) — TLS 1.3, ${group ?? 'group not reported'}${postQuantum ? ' (post-quantum hybrid)' : ''}, pinned ✓${target ? '' : ' — typed lines do NOT go to this peer'}`,
      );
    }
    case 'trust.pending':
      return out.record(
        { type: 'request', requestId: e.detail.requestId, claimedName: e.detail.claimedName, pin: e.detail.pin },
        e.summary,
      );
    case 'message.received': {
      const msg = m.messages.get(e.detail.contactId, e.detail.messageId);
      if (msg) out.message({ type: 'message', id: msg.id, from: m.contacts.byId(msg.contactId)?.name ?? '?', text: msg.text, at: msg.sentAt });
      return;
    }
    case 'message.delivered':
      return out.record({ type: 'delivered', id: e.detail.messageId }, `✓ delivered`);
    case 'trust.check':
      if (e.detail.verdict === 'mismatch') out.error('PIN_MISMATCH', e.summary);
      return;
    case 'conn.closed':
      return out.record(
        { type: 'closed', conn: e.conn, by: e.detail.by, reason: e.detail.reason, code: e.detail.code },
        `connection closed: ${e.detail.reason}`,
      );
    case 'tls.error':
    case 'app.error':
    case 'drill.verdict':
    case 'trust.throttled':
      return out.say(e.summary);
    default:
      return;
  }
}

async function drain(m: Messenger, target: string | null): Promise<void> {
  if (!target) return;
  const deadline = Date.now() + DRAIN_LIMIT_MS;
  while (m.messages.undelivered(target).length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Read stdin lines as messages until end of input; resolves (true if everything was delivered) when it is time to exit. */
export async function chatFromStdin(m: Messenger, out: Output, opts: ChatOptions): Promise<boolean> {
  const waiting: string[] = [];
  const sendLine = (line: string) => {
    const to = opts.target();
    if (!to) return void waiting.push(line);
    try {
      const record = m.send(to, line);
      // "queued" means on disk: said once this turn's messages are written (one transaction).
      m.afterStored((failed) => {
        if (failed.has(record.id)) out.error('STORE_ERROR', 'The message could not be stored, so it was not sent.');
        else out.record({ type: 'queued', id: record.id, to });
      });
    } catch (err) {
      out.error((err as { code?: string }).code ?? 'INTERNAL', (err as Error).message);
    }
  };
  m.events.subscribe((e) => {
    if (e.kind === 'conn.ready') waiting.splice(0).forEach(sendLine);
  });
  // 'line' events, not `for await`: the lines of one stdin read are sent in one turn, so they
  // are stored in one transaction (see OutgoingGroup) instead of one each.
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => {
    if (line.trim()) sendLine(line);
  });
  await once(lines, 'close');
  await drain(m, opts.target());
  return reportUndelivered(m, out, opts.target(), waiting.length);
}

/**
 * At the end of input, say what did not get through rather than exiting as if all was well. The
 * messages stay in this profile's outbox and go out at the next connection.
 */
function reportUndelivered(m: Messenger, out: Output, target: string | null, unsent: number): boolean {
  const queued = target ? m.messages.undelivered(target).length : 0;
  if (unsent > 0) out.error('NOT_CONNECTED', `${unsent} line(s) were not sent: nobody connected before the end of input.`);
  if (queued > 0) out.error('UNDELIVERED', `${queued} message(s) were not acknowledged before the end of input; they stay in this profile's outbox and are sent at the next connection.`);
  return unsent === 0 && queued === 0;
}
