/**
 * The break-it drills, started from the app: Eve put between this peer and a contact (passive,
 * tamper, replay or impostor — the same relay as `lockstep eve`), the downgrade attempt, and the
 * Wireshark export. Eve's events go onto this engine's own stream, so the panel shows her view
 * beside the two peers'. The contact is then dialled through Eve until the drill stops. The
 * classical comparison redials a contact once with X25519 alone (drills/classical.ts).
 */
import { join } from 'node:path';

import type { EventDetails, EventInput, Withheld } from '../../../shared/events';
import type { CaptureRecorder } from '../capture/recorder';
import { armBitFlip } from '../drills/bit-flip';
import { ClassicalComparison } from '../drills/classical';
import { downgradeDrill } from '../drills/downgrade';
import { verdictFor } from '../drills/verdicts';
import { LockstepError } from '../errors';
import type { EventBus } from '../events/event-bus';
import { createEve, type Eve, type EveMode } from '../eve/eve';
import { createIdentity, type Identity, loadIdentity } from '../identity/identity';
import { type HostPort, parseAddress } from '../net/address';
import type { TlsTuning } from '../net/tls-options';
import type { Contact } from '../store/contacts';
import type { RuntimeFeatures } from '../runtime/runtime-features';
import type { KeyChanges } from '../trust/key-changes';
import type { Link } from './links';

export interface DrillDeps {
  profileDir: string;
  events: Pick<EventBus, 'emit' | 'subscribe'>;
  requireContact: (contactId: string) => Contact;
  keyChanges: KeyChanges;
  /** Drop the live connection and dial again (through whatever route is now in force). */
  redial: (contactId: string) => void;
  listeningPort: () => number | null;
  capture: CaptureRecorder | null;
  runtime: RuntimeFeatures;
}

interface RunningEve {
  eve: Eve;
  contactId: string;
  eveIdentity: Identity | null;
}

export class Drills {
  private running: RunningEve | null = null;
  private eveCount = 0;
  private readonly classical: ClassicalComparison;

  private readonly emit: (event: EventInput) => void;

  constructor(private readonly deps: DrillDeps) {
    this.emit = (e) => deps.events.emit(e);
    this.classical = new ClassicalComparison(this.emit);
    // A drill's outcome in words on this side too: the same events a real attack would cause.
    deps.events.subscribe((e) => {
      this.classical.observe(e);
      const verdict = verdictFor(e);
      if (verdict) this.emit(verdict);
    });
  }

  /**
   * Where to dial a contact, and with which offer: Eve's port while a drill runs against it, else
   * its own address; X25519 alone once after the classical comparison was asked for.
   */
  routeOf(contact: Contact): (HostPort & { tuning?: TlsTuning }) | null {
    const route = this.running?.contactId === contact.id ? { host: '127.0.0.1', port: this.running.eve.address.port } : contact.address ? parseAddress(contact.address) : null;
    const groups = route ? this.classical.takeOffer(contact.id) : null;
    return route && groups ? { ...route, tuning: { groups } } : route;
  }

  /** Connect to the contact once more, offering X25519 alone, to compare with the hybrid handshake. */
  compareClassical(contactId: string): void {
    const contact = this.deps.requireContact(contactId);
    if (!contact.address) throw new LockstepError('BAD_ADDRESS', 'The classical comparison dials the contact again: this one has no address.');
    this.classical.arm(contactId);
    this.deps.redial(contactId);
  }

  get activeDrill(): { contactId: string; mode: EveMode } | null {
    return this.running ? { contactId: this.running.contactId, mode: this.running.eve.mode } : null;
  }

  async startEve(contactId: string, mode: EveMode): Promise<void> {
    const contact = this.deps.requireContact(contactId);
    if (!contact.address) throw new LockstepError('BAD_ADDRESS', 'Eve sits on the path to a contact you dial: this one has no address.');
    await this.stopEve();
    const eveIdentity = mode === 'impostor' ? await this.eveIdentity() : null;
    const eve = await createEve({
      listen: { host: '127.0.0.1', port: 0 },
      forward: parseAddress(contact.address),
      mode,
      emit: this.emit,
      connPrefix: `eve${++this.eveCount}`,
      runtime: this.deps.runtime,
      ...(eveIdentity ? { identity: eveIdentity } : {}),
    });
    this.running = { eve, contactId, eveIdentity };
    this.deps.redial(contactId);
  }

  async stopEve(): Promise<void> {
    const run = this.running;
    if (!run) return;
    this.running = null;
    await run.eve.close();
    // The impostor's key raised a key-change alarm; that alarm was the drill, not a real change.
    if (run.eveIdentity) this.deps.keyChanges.dismiss(run.contactId, run.eveIdentity.pin);
    this.deps.redial(run.contactId);
  }

  /** Try a TLS 1.2-only handshake against the contact (or this peer's own listener). */
  async downgrade(contactId: string | null): Promise<EventDetails['drill.verdict']> {
    const target = contactId ? this.routeOf(this.deps.requireContact(contactId)) : this.ownListener();
    if (!target) throw new LockstepError('BAD_ADDRESS', 'There is nothing to dial for the downgrade drill.');
    const result = await downgradeDrill({ ...target, emit: this.emit, conn: `drill-${Date.now().toString(36)}`, runtime: this.deps.runtime });
    return { drill: result.drill, outcome: result.outcome, reason: result.reason };
  }

  exportCapture(conn: string, withKeys: boolean): { fileBase: string; pcapBase64: string; keys: string | null; keysWithheld: Withheld | null } {
    if (!this.deps.capture) throw new LockstepError('NOT_FOUND', 'This engine does not record connections for export.');
    const { pcap, keys, keysWithheld } = this.deps.capture.exportCapture(conn);
    return { fileBase: `lockstep-${conn}`, pcapBase64: pcap.toString('base64'), keys: withKeys ? keys : null, keysWithheld: withKeys ? keysWithheld : null };
  }

  /** The tamper drill: flip one bit in the next record this side sends to the contact. */
  flipNextRecord(contact: Contact, link: Link): void {
    if (!link.tap || !link.session?.ready) {
      throw new LockstepError('NOT_CONNECTED', `Connect to ${contact.name || 'the contact'} first: the drill tampers with a live connection.`);
    }
    const conn = link.session.conn;
    const drill = (phase: 'armed' | 'flipped', summary: string, at: { byteOffset: number; bit: number } | null) =>
      this.emit({
        conn,
        dir: phase === 'armed' ? 'local' : 'out',
        layer: 'drill',
        kind: 'drill.tamper',
        summary,
        detail: { phase, contactId: contact.id, recordIndex: null, byteOffset: at?.byteOffset ?? null, bit: at?.bit ?? null },
      });
    armBitFlip(link.tap, (at) =>
      drill('flipped', `Tamper drill: flipped bit ${at.bit} of byte ${at.byteOffset} in the encrypted record on its way out.`, at),
    );
    drill('armed', 'Tamper drill armed: one bit of the next message will be flipped on the wire, after encryption.', null);
  }

  async close(): Promise<void> {
    const run = this.running;
    this.running = null;
    await run?.eve.close();
  }

  private ownListener(): HostPort | null {
    const port = this.deps.listeningPort();
    return port ? { host: '127.0.0.1', port } : null;
  }

  /** Eve's own key, kept beside the profile so the impostor is the same Eve every time. */
  private async eveIdentity(): Promise<Identity> {
    const dir = join(this.deps.profileDir, 'drill-eve');
    return loadIdentity(dir) ?? (await createIdentity(dir, 'Eve'));
  }
}

