/**
 * Shared pieces of the discovery suites: the peer fixture's command line, pins, and a recorder
 * for an in-process discovery's events and peer lists. Every discovery started here names its
 * interface (loopback, or a test namespace's veth address): never the defaults.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

import type { DiscoveredPeer, DiscoveryEvent, DiscoveryEventDetails, DiscoveryEventKind } from '../../main/core/discovery/discovery';
import { pinFromSpki } from '../../main/core/trust/pins';
import { type CliRecord, ROOT } from '../helpers/cli-peer';
import { waitUntil } from '../helpers/wait';

export const FIXTURE = join(ROOT, 'test/discovery/fixtures/peer.ts');
/** The fixture in its own Node process, through tsx (the first element is the program). */
export const TSX_FIXTURE = [process.execPath, '--import', 'tsx', FIXTURE];
/** Generous: tsx start-up is slow on a loaded machine, and mDNS answers ride on it. */
export const DISCOVERY_WAIT_MS = 30_000;

/** A pin nobody else has: the SPKI hash of random bytes is as good as any for a claim. */
export function randomPin(): string {
  return pinFromSpki(randomBytes(91));
}

export function udpHandles(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'UDPWrap').length;
}

export class Recorder {
  readonly events: DiscoveryEvent[] = [];
  readonly lists: DiscoveredPeer[][] = [];
  emitEvent = (event: DiscoveryEvent) => void this.events.push(event);
  onChange = (peers: DiscoveredPeer[]) => void this.lists.push(peers);

  of<K extends DiscoveryEventKind>(kind: K): Extract<DiscoveryEvent, { kind: K }>[] {
    return this.events.filter((e): e is Extract<DiscoveryEvent, { kind: K }> => e.kind === kind);
  }

  describe(): string {
    return `events seen: ${this.events.map((e) => `${e.kind} ${JSON.stringify(e.detail).slice(0, 160)}`).join('\n  ') || '(none)'}`;
  }

  /** Wait for an event of `kind` that matches. */
  async next<K extends DiscoveryEventKind>(
    kind: K,
    match: (detail: DiscoveryEventDetails[K]) => boolean,
    what: string,
    timeoutMs = DISCOVERY_WAIT_MS,
  ): Promise<Extract<DiscoveryEvent, { kind: K }>> {
    return waitUntil(() => this.of(kind).find((e) => match(e.detail as DiscoveryEventDetails[K])), what, { timeoutMs, describe: () => this.describe() });
  }
}

/** The peers list a fixture printed last (its `peers` records come from onChange). */
export function lastPeers(records: CliRecord[]): DiscoveredPeer[] {
  const lists = records.filter((r) => r.type === 'peers');
  return (lists.at(-1)?.peers as DiscoveredPeer[] | undefined) ?? [];
}
