/**
 * The stage's scenes: one per connection this side made or took, in the order they began, with
 * Eve's relay of that connection attached when a drill put her on the wire. Pure, from events.
 */
import type { Endpoint, EventDetails, EveTag, LockstepEvent, Role } from '../../shared/events';

export type EveMode = EventDetails['drill.eve']['mode'];

export interface Scene {
  /** This side's connection id, or Eve's when she relayed a connection this side did not make. */
  key: string;
  /** This side's connection (null for a relay of someone else's). */
  conn: string | null;
  /** Eve's connection ids that carried this connection (her relay, or the impostor's two legs). */
  eveConns: string[];
  eveMode: EveMode | null;
  kind: 'connection' | 'downgrade' | 'eve';
  /** This side's role on the connection, from its TCP event. */
  role: Role | null;
  peerName: string | null;
  contactId: string | null;
  firstSeq: number;
}

/** Eve's tag on a connection's events (events.ts EveTag): which relay it belongs to, and the impostor's leg; null for this side's own. */
export function eveTagOf(events: readonly LockstepEvent[]): EveTag | null {
  for (const e of events) if (e.eve) return e.eve;
  return null;
}

/** Events per connection, each list in stream (seq) order. */
export function eventsByConn(events: readonly LockstepEvent[]): Map<string, LockstepEvent[]> {
  const map = new Map<string, LockstepEvent[]>();
  for (const e of events) {
    if (!e.conn) continue;
    let list = map.get(e.conn);
    if (!list) map.set(e.conn, (list = []));
    list.push(e);
  }
  return map;
}

/** An IPv4 peer seen through a dual-stack socket is `::ffff:a.b.c.d`. */
const bare = (address: string) => address.replace(/^::ffff:/i, '');
const sameEndpoint = (a: Endpoint, b: Endpoint) => a.port === b.port && bare(a.address) === bare(b.address);

const verdictModes: Record<string, EveMode> = { eavesdropper: 'passive', tamper: 'tamper', replay: 'replay', impostor: 'impostor' };

function eveModeOf(events: readonly LockstepEvent[]): EveMode | null {
  for (const e of events) if (e.kind === 'drill.eve') return e.detail.mode;
  for (const e of events) if (e.kind === 'drill.verdict') return verdictModes[e.detail.drill] ?? null;
  return null;
}

function peerOf(events: readonly LockstepEvent[]): { peerName: string | null; contactId: string | null } {
  let peerName: string | null = null;
  let contactId: string | null = null;
  for (const e of events) {
    if (e.kind === 'conn.ready') return { peerName: e.detail.peerName, contactId: e.detail.contactId };
    if (e.kind === 'trust.check') {
      peerName ??= e.detail.contactName;
      contactId ??= e.detail.contactId;
    } else if (e.kind === 'trust.pending') peerName ??= `${e.detail.claimedName} (claimed)`;
    else if (e.kind === 'conn.closed') contactId ??= e.detail.contactId;
  }
  return { peerName, contactId };
}

/** The scenes of a stream, oldest first. */
export function buildScenes(byConn: ReadonlyMap<string, readonly LockstepEvent[]>): Scene[] {
  const groups = new Map<string, string[]>();
  const own: string[] = [];
  for (const [conn, events] of byConn) {
    const tag = eveTagOf(events);
    if (!tag) own.push(conn);
    else groups.set(tag.relay, [...(groups.get(tag.relay) ?? []), conn]);
  }

  // Which of this side's connections Eve relayed: her accepted socket's far end is our dialing socket.
  const relayOf = new Map<string, string>();
  for (const [group, conns] of groups) {
    const accept = conns.flatMap((c) => byConn.get(c)!).find((e) => e.kind === 'tcp.accept');
    if (accept?.kind !== 'tcp.accept') continue;
    const dialed = own.find((conn) => byConn.get(conn)!.some((e) => e.kind === 'tcp.connect' && sameEndpoint(e.detail.local, accept.detail.remote)));
    if (dialed && !relayOf.has(dialed)) relayOf.set(dialed, group);
  }
  const linked = new Set(relayOf.values());

  const scenes: Scene[] = [];
  for (const conn of own) {
    const events = byConn.get(conn)!;
    const group = relayOf.get(conn) ?? null;
    const eveConns = group ? groups.get(group)! : [];
    const tcp = events.find((e) => e.kind === 'tcp.connect' || e.kind === 'tcp.accept');
    const downgrade = events.some((e) => e.kind === 'drill.verdict' && e.detail.drill === 'downgrade');
    const eveEvents = eveConns.flatMap((c) => byConn.get(c)!);
    scenes.push({
      key: conn,
      conn,
      eveConns,
      eveMode: group ? eveModeOf(eveEvents) : null,
      kind: downgrade ? 'downgrade' : 'connection',
      role: tcp ? (tcp.kind === 'tcp.connect' ? 'dialer' : 'listener') : null,
      ...peerOf(events),
      firstSeq: Math.min(events[0]!.seq, ...eveEvents.map((e) => e.seq)),
    });
  }
  for (const [group, conns] of groups) {
    if (linked.has(group)) continue;
    const events = conns.flatMap((c) => byConn.get(c)!);
    scenes.push({
      key: group, conn: null, eveConns: conns, eveMode: eveModeOf(events), kind: 'eve', role: null,
      peerName: null, contactId: null, firstSeq: Math.min(...events.map((e) => e.seq)),
    });
  }
  return scenes.sort((a, b) => a.firstSeq - b.firstSeq);
}
