/**
 * LAN discovery: advertise this peer and browse for others with DNS-SD over mDNS
 * (`_lockstep._tcp`, bonjour-service), on ONE interface the caller names — never by default on
 * every network the machine is on (see mdns-socket.ts for the fence around the socket).
 *
 * Discovery only finds peers. What it reports (name, pin, address) is a claim made by whoever
 * sent a multicast packet on that network; trust still comes only from a pin, an invite or a
 * pairing code, and connecting still checks the pin in the TLS handshake. The front ends offer
 * "add with invite / pairing code" for a discovered peer, never "trust".
 */
import type { Browser, Service } from 'bonjour-service';

import type { Direction } from '../../../shared/events';
import { LockstepError } from '../errors';
import { humanFingerprint } from '../trust/pins';
import { type FencedBonjour, inSubnet, type MdnsPacket, openFencedBonjour, resolveInterface } from './mdns-socket';
import { encodeTxt, escapeControls, hostProblem, instanceProblem, readTxt, SERVICE_PROTOCOL, SERVICE_TYPE } from './txt';

export interface DiscoveredPeer {
  /** The DNS-SD service instance (`Lockstep ABCD-EFGH-…._lockstep._tcp.local`): unique per advertisement, a stable key. */
  instance: string;
  /** Claimed display name (TXT `name`). */
  name: string;
  /** Claimed pin (TXT `pin`), `sha256/<base64>`: what a connection will be checked against. */
  pin: string;
  /** The claimed pin in its human form, for reading aloud. */
  fingerprint: string;
  /** The SRV target host name (claimed). */
  host: string;
  port: number;
  /** The IPv4 address to dial: the packet's sender, or an A record on the same subnet. */
  address: string;
  /** ms since the epoch when an answer for it was last received. */
  lastSeen: number;
}

/** The discovery events, shaped like the bus's `EventInput` (kinds to add to shared/events.ts). */
export interface DiscoveryEventDetails {
  'discovery.advertise': { state: 'started' | 'stopped'; interface: string; instance: string; name: string; pin: string; port: number };
  'discovery.browse': { state: 'started' | 'stopped'; interface: string };
  'discovery.found': { change: 'found' | 'updated'; instance: string; name: string; pin: string; fingerprint: string; address: string; port: number };
  'discovery.lost': { instance: string; name: string; pin: string; reason: 'goodbye' | 'expired' | 'invalid' };
  'discovery.ignored': { instance: string; address: string | null; reason: string };
  'discovery.error': { code: string; message: string };
}
export type DiscoveryEventKind = keyof DiscoveryEventDetails;
export type DiscoveryEvent = {
  [K in DiscoveryEventKind]: { conn: null; dir: Direction; layer: 'app'; kind: K; summary: string; detail: DiscoveryEventDetails[K] };
}[DiscoveryEventKind];

export interface DiscoveryOptions {
  /** Required: the IPv4 address (of this machine) whose network to use, e.g. '127.0.0.1' or a LAN address the user picked. */
  interface: string;
  emitEvent?: (event: DiscoveryEvent) => void;
  /** Called with the new list whenever a peer is found, updated or lost. */
  onChange?: (peers: DiscoveredPeer[]) => void;
  /** How often browsing asks again who is there (ms). Default 30 s. */
  refreshMs?: number;
  /** A peer not heard from for this long is dropped (ms). Default 95 s: three missed refreshes. */
  expiryMs?: number;
}

export interface Discovery {
  readonly interface: string;
  /** Advertise this peer (replaces an earlier advertisement). Throws BAD_ARGUMENT for a bad name, pin or port. */
  advertise(ad: { name: string; pin: string; port: number }): void;
  /** Withdraw the advertisement: a goodbye (TTL 0) tells browsers at once. */
  stopAdvertising(): void;
  /** Start browsing, or, if already browsing, ask again now. */
  browse(): void;
  stopBrowsing(): void;
  peers(): DiscoveredPeer[];
  /** Goodbye for our advertisement, then close the socket. Resolves once the socket is closed. */
  close(): Promise<void>;
}

const DEFAULT_REFRESH_MS = 30_000;
const DEFAULT_EXPIRY_MS = 95_000;
/** Bound on what a noisy (or hostile) network can make us hold. */
const MAX_PEERS = 128;
const MAX_IGNORED_REPORTS_PER_MINUTE = 30;
const GOODBYE_WAIT_MS = 1_000;
const LOCKSTEP_SUFFIX = `._${SERVICE_TYPE}._${SERVICE_PROTOCOL}.local`;

type BrowsedService = Service & { rawTxt?: unknown };

function isLockstepInstance(fqdn: string): boolean {
  return fqdn.toLowerCase().endsWith(LOCKSTEP_SUFFIX);
}

function rawTxtOf(service: BrowsedService): Uint8Array[] | undefined {
  const raw = service.rawTxt;
  if (!Array.isArray(raw)) return undefined;
  return raw.every((s) => s instanceof Uint8Array) ? (raw as Uint8Array[]) : undefined;
}

export function createDiscovery(options: DiscoveryOptions): Discovery {
  if (!options || typeof options !== 'object') {
    throw new LockstepError('BAD_ARGUMENT', 'LAN discovery needs options, with the interface to use.');
  }
  const iface = resolveInterface((options as Partial<DiscoveryOptions>).interface);
  const refreshMs = options.refreshMs ?? DEFAULT_REFRESH_MS;
  const expiryMs = options.expiryMs ?? DEFAULT_EXPIRY_MS;
  if (!Number.isFinite(refreshMs) || refreshMs < 100) throw new LockstepError('BAD_ARGUMENT', 'refreshMs must be at least 100 ms.');
  if (!Number.isFinite(expiryMs) || expiryMs <= refreshMs) throw new LockstepError('BAD_ARGUMENT', 'expiryMs must be longer than refreshMs.');

  const emit = (event: DiscoveryEvent) => {
    try {
      options.emitEvent?.(event);
    } catch {
      // A front end's bug must not stop discovery.
    }
  };
  /** Socket problems, each reported at most once a minute (a lost network fails every send). */
  const problemsSeen = new Map<string, number>();
  const problem = (code: string, message: string) => {
    const now = Date.now();
    const key = `${code}\n${message}`;
    if (now - (problemsSeen.get(key) ?? -Infinity) < 60_000) return;
    if (problemsSeen.size > 100) problemsSeen.clear();
    problemsSeen.set(key, now);
    emit({ conn: null, dir: 'local', layer: 'app', kind: 'discovery.error', summary: `Discovery: ${message}`, detail: { code, message } });
  };

  let fenced: FencedBonjour | null = null;
  let closing: Promise<void> | null = null;
  let published: { service: Service; instance: string; name: string; pin: string; port: number } | null = null;
  /** The pin we advertise(d): answers claiming it are our own and never listed. */
  let ownPin: string | null = null;
  const goodbyes = new Set<Promise<void>>();
  let browser: Browser | null = null;
  let refreshTimer: NodeJS.Timeout | null = null;
  let sweepTimer: NodeJS.Timeout | null = null;
  const found = new Map<string, DiscoveredPeer>();
  /** (instance, reason) pairs already reported, so a repeating bad advertisement is reported once. */
  const reported = new Set<string>();
  let ignoredWindow = { start: 0, count: 0 };

  const open = (): FencedBonjour => {
    if (closing) throw new LockstepError('BAD_ARGUMENT', 'This discovery has been closed; create a new one.');
    fenced ??= openFencedBonjour(iface, { onProblem: problem });
    return fenced;
  };

  const snapshot = () => [...found.values()].map((p) => ({ ...p })).sort((a, b) => a.name.localeCompare(b.name) || a.instance.localeCompare(b.instance));
  const changed = () => {
    try {
      options.onChange?.(snapshot());
    } catch {
      // as above
    }
  };

  const ignore = (instance: string, address: string | null, reason: string) => {
    const key = `${instance.toLowerCase()}\n${reason}`;
    if (reported.has(key)) return;
    if (reported.size > 1_000) reported.clear();
    reported.add(key);
    const now = Date.now();
    if (now - ignoredWindow.start > 60_000) ignoredWindow = { start: now, count: 0 };
    if (++ignoredWindow.count > MAX_IGNORED_REPORTS_PER_MINUTE) return;
    emit({
      conn: null,
      dir: 'in',
      layer: 'app',
      kind: 'discovery.ignored',
      summary: `Ignored an advertisement on the LAN (${reason}).`,
      detail: { instance: escapeControls(instance), address, reason },
    });
  };

  const lose = (instance: string, reason: 'goodbye' | 'expired' | 'invalid') => {
    const key = instance.toLowerCase();
    const peer = found.get(key);
    if (!peer) return;
    found.delete(key);
    const why = reason === 'goodbye' ? 'said goodbye' : reason === 'expired' ? `has not answered for ${Math.round(expiryMs / 1000)} s` : 'now advertises something malformed';
    emit({
      conn: null,
      dir: reason === 'expired' ? 'local' : 'in',
      layer: 'app',
      kind: 'discovery.lost',
      summary: `"${peer.name}" is no longer seen on the LAN: it ${why}.`,
      detail: { instance: peer.instance, name: peer.name, pin: peer.pin, reason },
    });
    changed();
  };

  /** Pick the address to dial: the sender of the answer, unless its A records point elsewhere on the same subnet. */
  const addressOf = (service: BrowsedService): string | null => {
    const referer = service.referer?.address ?? null;
    const claimed = (service.addresses ?? []).filter((a) => typeof a === 'string');
    if (referer && (claimed.length === 0 || claimed.includes(referer))) return referer;
    return claimed.find((a) => inSubnet(iface, a)) ?? referer;
  };

  const consider = (service: BrowsedService) => {
    const instance = typeof service.fqdn === 'string' ? service.fqdn : '';
    if (!isLockstepInstance(instance)) return;
    const key = instance.toLowerCase();
    const address = addressOf(service);
    const refuse = (reason: string) => {
      ignore(instance, address, reason);
      if (found.has(key)) lose(instance, 'invalid');
    };
    const instanceIssue = instanceProblem(instance);
    if (instanceIssue) return refuse(instanceIssue);
    const verdict = readTxt(rawTxtOf(service));
    if (!verdict.ok) return refuse(verdict.reason);
    const { claim } = verdict;
    // Our own advertisement (on any instance name, also just after we withdrew it): never listed.
    if (claim.pin === ownPin) return;
    const port = service.port;
    if (!Number.isInteger(port) || port < 1 || port > 65535) return refuse(`bad port ${String(port)}`);
    const hostIssue = hostProblem(service.host);
    if (hostIssue) return refuse(hostIssue);
    if (!address) return refuse('no address');
    const previous = found.get(key);
    if (!previous && found.size >= MAX_PEERS) return refuse(`more than ${MAX_PEERS} peers on this network`);
    const peer: DiscoveredPeer = { instance, ...claim, host: service.host, port, address, lastSeen: Date.now() };
    found.set(key, peer);
    const same = previous && previous.name === peer.name && previous.pin === peer.pin && previous.address === peer.address && previous.port === peer.port && previous.host === peer.host;
    if (same) return;
    emit({
      conn: null,
      dir: 'in',
      layer: 'app',
      kind: 'discovery.found',
      summary: `${previous ? 'Updated' : 'Found'} "${peer.name}" at ${peer.address}:${peer.port} on the LAN — a claim, not trust: add it with an invite or a pairing code.`,
      detail: { change: previous ? 'updated' : 'found', instance, name: peer.name, pin: peer.pin, fingerprint: peer.fingerprint, address: peer.address, port: peer.port },
    });
    changed();
  };

  /** Any answer that names a known instance (SRV with TTL > 0) keeps it alive; one we had expired comes back. */
  const onResponse = (packet: MdnsPacket) => {
    if (!browser) return;
    const now = Date.now();
    for (const record of [...(packet.answers ?? []), ...(packet.additionals ?? [])]) {
      if (record.type !== 'SRV' || !record.ttl || typeof record.name !== 'string' || !isLockstepInstance(record.name)) continue;
      const peer = found.get(record.name.toLowerCase());
      if (peer) {
        peer.lastSeen = now;
        continue;
      }
      // bonjour's Browser emits 'up' only once per instance; after our expiry, revive it from its list.
      const known = browser.services.find((s) => typeof s.fqdn === 'string' && s.fqdn.toLowerCase() === record.name.toLowerCase());
      if (known) consider(known);
    }
  };

  const sweep = () => {
    const cutoff = Date.now() - expiryMs;
    for (const peer of [...found.values()]) if (peer.lastSeen < cutoff) lose(peer.instance, 'expired');
  };

  const stopAdvertising = () => {
    if (!published) return;
    const { service, instance, name, pin, port } = published;
    published = null;
    const goodbye = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, GOODBYE_WAIT_MS);
      timer.unref();
      service.stop?.(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    goodbyes.add(goodbye);
    void goodbye.then(() => goodbyes.delete(goodbye));
    emit({
      conn: null,
      dir: 'out',
      layer: 'app',
      kind: 'discovery.advertise',
      summary: `Stopped advertising "${name}" on ${iface.address} (${iface.nic}); a goodbye tells browsers at once.`,
      detail: { state: 'stopped', interface: iface.address, instance, name, pin, port },
    });
  };

  const stopBrowsing = () => {
    if (!browser) return;
    browser.stop();
    browser.removeAllListeners();
    fenced?.mdns.removeListener('response', onResponse);
    browser = null;
    if (refreshTimer) clearInterval(refreshTimer);
    if (sweepTimer) clearInterval(sweepTimer);
    refreshTimer = sweepTimer = null;
    const hadPeers = found.size > 0;
    found.clear();
    emit({
      conn: null,
      dir: 'local',
      layer: 'app',
      kind: 'discovery.browse',
      summary: `Stopped looking for Lockstep peers on ${iface.address} (${iface.nic}).`,
      detail: { state: 'stopped', interface: iface.address },
    });
    if (hadPeers) changed();
  };

  return {
    interface: iface.address,

    advertise({ name, pin, port }) {
      const txt = encodeTxt({ name, pin });
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw new LockstepError('BAD_ARGUMENT', `Cannot advertise port ${String(port)}: a port is 1 to 65535.`);
      }
      const { bonjour } = open();
      // Already saying exactly this: nothing to do (a goodbye and a new announcement would make it flicker).
      if (published && published.name === name && published.pin === txt.pin && published.port === port) return;
      stopAdvertising();
      // The instance name comes from the pin: unique per identity (two people may both be
      // "Alice"), stable across restarts (a restarted peer replaces its old entry).
      const label = humanLabel(txt.pin);
      let service: Service;
      try {
        service = bonjour.publish({
          name: `Lockstep ${label}`,
          type: SERVICE_TYPE,
          protocol: SERVICE_PROTOCOL,
          port,
          host: `lockstep-${label.replace(/-/g, '').toLowerCase()}.local`,
          txt,
          // bonjour-service's probing reports a conflict with console.log (stdout belongs to the
          // headless peer's JSON records) and gives up; the pin-derived name makes conflicts moot.
          probe: false,
          disableIPv6: true,
        });
      } catch (cause) {
        throw new LockstepError('BAD_ARGUMENT', `Cannot advertise: ${(cause as Error).message}`, { cause });
      }
      published = { service, instance: service.fqdn, name, pin: txt.pin, port };
      ownPin = txt.pin;
      emit({
        conn: null,
        dir: 'out',
        layer: 'app',
        kind: 'discovery.advertise',
        summary: `Advertising "${name}" (port ${port}) on ${iface.address} (${iface.nic}) with mDNS: others on this network can find this peer, and must still check its fingerprint.`,
        detail: { state: 'started', interface: iface.address, instance: service.fqdn, name, pin: txt.pin, port },
      });
    },

    stopAdvertising,

    browse() {
      const { bonjour, mdns } = open();
      if (browser) {
        browser.update();
        return;
      }
      mdns.on('response', onResponse);
      browser = bonjour.find({ type: SERVICE_TYPE, protocol: SERVICE_PROTOCOL });
      browser.on('up', (service) => consider(service));
      browser.on('srv-update', (service) => consider(service));
      browser.on('txt-update', (service) => consider(service));
      browser.on('down', (service) => {
        if (typeof service.fqdn === 'string') lose(service.fqdn, 'goodbye');
      });
      refreshTimer = setInterval(() => browser?.update(), refreshMs);
      refreshTimer.unref();
      sweepTimer = setInterval(sweep, Math.max(100, Math.min(1_000, Math.floor(expiryMs / 4))));
      sweepTimer.unref();
      emit({
        conn: null,
        dir: 'out',
        layer: 'app',
        kind: 'discovery.browse',
        summary: `Looking for Lockstep peers on ${iface.address} (${iface.nic}) with mDNS.`,
        detail: { state: 'started', interface: iface.address },
      });
    },

    stopBrowsing,

    peers: snapshot,

    close() {
      closing ??= (async () => {
        stopBrowsing();
        stopAdvertising();
        await Promise.all([...goodbyes]);
        if (fenced) await fenced.destroy();
      })();
      return closing;
    },
  };
}

/** The first four groups of the human fingerprint: `ABCD-EFGH-JKMN-PQRS` (80 bits). */
function humanLabel(pin: string): string {
  return humanFingerprint(pin).split('-').slice(0, 4).join('-');
}
