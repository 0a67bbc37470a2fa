/**
 * A recorded session: the engine's event stream saved as JSON, loaded back to replay a talk step
 * by step without any engine (no second machine needed). Validated with zod on the way in.
 */
import { z } from 'zod';

import type { LockstepEvent } from '../../shared/events';
import { buildRows, type Step } from './sequence-steps';

export const SESSION_FORMAT = 'lockstep-session';
export const SESSION_VERSION = 1;
/** A saved stream is at most the store's 20,000 events; leave room, refuse anything absurd. */
const MAX_EVENTS = 100_000;
export const MAX_SESSION_BYTES = 64 * 1024 * 1024;

const EventShape = z
  .object({
    seq: z.number().int().nonnegative(),
    t: z.number(),
    at: z.number(),
    conn: z.string().max(200).nullable(),
    eve: z.object({ relay: z.string().max(200), leg: z.enum(['dialer', 'listener']).nullable() }).strict().optional(),
    dir: z.enum(['out', 'in', 'local']),
    layer: z.enum(['tcp', 'tls', 'record', 'trust', 'app', 'store', 'drill']),
    kind: z.string().min(1).max(64),
    summary: z.string(),
    detail: z.record(z.string(), z.unknown()),
  })
  .passthrough();

const SessionShape = z.object({
  format: z.literal(SESSION_FORMAT),
  version: z.literal(SESSION_VERSION),
  events: z.array(EventShape).max(MAX_EVENTS),
});

export interface RecordedSession {
  format: typeof SESSION_FORMAT;
  version: typeof SESSION_VERSION;
  events: LockstepEvent[];
}

export function sessionOf(events: readonly LockstepEvent[]): RecordedSession {
  return { format: SESSION_FORMAT, version: SESSION_VERSION, events: [...events] };
}

/** What a saved session would give away to whoever gets the file: said before it is saved. */
export interface SessionContents {
  /** Records whose decrypted text is in the file (and witness previews of it): messages in plaintext. */
  plaintextRecords: number;
  /** Keylog events carrying the secret itself (demo mode): enough to decrypt a capture of the connection. */
  secrets: number;
}

export function sessionContents(events: readonly LockstepEvent[]): SessionContents {
  let plaintextRecords = 0;
  let secrets = 0;
  for (const e of events) {
    if (e.kind === 'tls.record' && e.detail.decrypted?.plaintext) plaintextRecords += 1;
    else if (e.kind === 'tls.witness' && e.detail.preview) plaintextRecords += 1;
    else if (e.kind === 'tls.keylog' && e.detail.secret) secrets += 1;
  }
  return { plaintextRecords, secrets };
}

export function sessionFileName(now = new Date()): string {
  return `lockstep-session-${now.toISOString().replace(/[:.]/g, '-')}.json`;
}

export type ParsedSession = { ok: true; session: RecordedSession } | { ok: false; error: string };

/** Read a saved session's text; a bad file gets one sentence saying what is wrong with it. */
export function parseSession(text: string): ParsedSession {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: 'This file is not a Lockstep session: it is not JSON.' };
  }
  const format = (raw as { format?: unknown } | null)?.format;
  if (format !== SESSION_FORMAT) return { ok: false, error: 'This file is not a Lockstep session (its "format" is not "lockstep-session").' };
  const parsed = SessionShape.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join('.') : '';
    return { ok: false, error: `This Lockstep session file is damaged or from another version${where ? ` (at ${where}: ${issue!.message})` : ''}.` };
  }
  const events = (parsed.data.events as unknown as LockstepEvent[]).slice().sort((a, b) => a.seq - b.seq);
  return { ok: true, session: { format: SESSION_FORMAT, version: SESSION_VERSION, events } };
}

/** Read a File as text (FileReader: works in Electron and jsdom alike). */
function readText(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
    reader.onerror = () => reject(reader.error ?? new Error('could not read the file'));
    reader.readAsText(file);
  });
}

/** A file the person chose, as a session with at least one connection to replay, or why not. */
export async function readSessionFile(file: Blob): Promise<ParsedSession> {
  if (file.size > MAX_SESSION_BYTES) return { ok: false, error: 'This file is too large to be a Lockstep session.' };
  let text: string;
  try {
    text = await readText(file);
  } catch {
    return { ok: false, error: 'The file could not be read.' };
  }
  const parsed = parseSession(text);
  if (parsed.ok && replayConnections(parsed.session.events).length === 0) return { ok: false, error: 'This session holds no connection to replay.' };
  return parsed;
}

/** The connections a stream holds, in order of first appearance, with how many steps each makes. */
export function replayConnections(events: readonly LockstepEvent[]): { conn: string; steps: number; label: string }[] {
  const conns: string[] = [];
  const seen = new Set<string>();
  for (const e of events) {
    if (e.conn && !seen.has(e.conn)) {
      seen.add(e.conn);
      conns.push(e.conn);
    }
  }
  return conns
    .map((conn) => {
      const ready = events.find((e) => e.conn === conn && e.kind === 'conn.ready');
      const eve = events.some((e) => e.conn === conn && e.eve);
      const peer = ready?.kind === 'conn.ready' ? ready.detail.peerName : eve ? 'Eve' : null;
      return { conn, steps: replaySteps(events, conn).length, label: peer ? `${conn} · ${peer}` : conn };
    })
    .filter((c) => c.steps > 0);
}

/** One connection's steps, in order, as the sequence diagram has them. A malformed stream gives none. */
export function replaySteps(events: readonly LockstepEvent[], conn: string | null): Step[] {
  try {
    return buildRows(events, conn).flatMap((r) => (r.type === 'step' ? [r.step] : []));
  } catch {
    return [];
  }
}
