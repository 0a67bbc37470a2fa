/**
 * LAN discovery at the messenger level: off until the user picks an interface; then advertise
 * this peer (while listening) and list the peers heard. What is found is only a claim — the UI
 * offers to add it by invite or pairing code, never to trust it as it stands.
 */
import type { EventInput } from '../../../shared/events';
import type { DiscoveryView } from '../../../shared/views';
import type { ViewChanged } from '../events/view-changes';
import { createDiscovery, type Discovery } from '../discovery/discovery';
import type { Identity } from '../identity/identity';
import { reachableAddresses } from '../net/address';
import type { ContactStore } from '../store/contacts';

export interface NearbyDeps {
  identity: () => Identity;
  listeningPort: () => number | null;
  contacts: ContactStore;
  emit: (event: EventInput) => void;
  changed: ViewChanged;
}

export class Nearby {
  private discovery: Discovery | null = null;

  constructor(private readonly deps: NearbyDeps) {}

  /** Start on one interface (an IPv4 address of this machine); restarts if another one was in use. */
  async start(iface: string): Promise<void> {
    await this.stop();
    const discovery = createDiscovery({ interface: iface, emitEvent: (e) => this.heard(e) });
    this.discovery = discovery;
    this.deps.changed('nearby');
    this.advertise();
    discovery.browse();
  }

  /** (Re)advertise, e.g. once the listener is bound. */
  advertise(): void {
    const port = this.deps.listeningPort();
    if (!this.discovery || !port) return;
    const { name, pin } = this.deps.identity();
    this.discovery.advertise({ name, pin, port });
  }

  async stop(): Promise<void> {
    const d = this.discovery;
    this.discovery = null;
    await d?.close();
    if (d) this.deps.changed('nearby');
  }

  /** Discovery's events go out as they are; a peer heard or lost changes the list too. */
  private heard(event: EventInput): void {
    this.deps.emit(event);
    if (event.kind === 'discovery.found' || event.kind === 'discovery.lost') this.deps.changed('nearby');
  }

  view(): DiscoveryView {
    const peers = this.discovery?.peers() ?? [];
    return {
      interface: this.discovery?.interface ?? null,
      candidates: reachableAddresses('0.0.0.0'),
      peers: peers.map((p) => ({
        instance: p.instance,
        name: p.name,
        pin: p.pin,
        fingerprint: p.fingerprint,
        address: p.address,
        port: p.port,
        known: this.deps.contacts.byPin(p.pin) !== null,
      })),
    };
  }
}
