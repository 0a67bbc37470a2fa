/**
 * Where each connection starts: its id and handshake context (one per TCP connection, dialled
 * or accepted), and the dial itself with the pin the listener must present.
 */
import type { EventInput } from '../../../shared/events';
import type { CaptureRecorder } from '../capture/recorder';
import type { EventBus, EventSlot } from '../events/event-bus';
import type { Identity } from '../identity/identity';
import type { HostPort } from '../net/address';
import { dial } from '../net/dialer';
import type { ConnectionOrigin, Observation } from '../net/connection';
import { composeHooks, type HandshakeContext } from '../net/handshake';
import type { SecuredPeer } from '../net/peer-check';
import type { TlsTuning } from '../net/tls-options';
import type { RuntimeFeatures } from '../runtime/runtime-features';
import type { Contact } from '../store/contacts';

export interface DialingDeps {
  identity: () => Identity;
  emit: (event: EventInput, slot?: EventSlot) => void;
  /** Places on the bus, so the handshake is decrypted off the critical path (net/handshake.ts). */
  slots: Pick<EventBus, 'reserve'>;
  revealSecrets: boolean;
  handshakeMs: number;
  tuning: TlsTuning;
  hooks: HandshakeContext['hooks'];
  observe: Observation | undefined;
  recorder: CaptureRecorder | null;
  /** What the TLS library offers (the engine's probe at start). */
  runtime: RuntimeFeatures;
}

export class Dialing {
  private counter = 0;

  constructor(private readonly deps: DialingDeps) {}

  /** A fresh context for one connection: `out-N` dialled, `in-N` accepted (the id is only a name; role and origin are fields). */
  context(role: 'dialer' | 'listener', origin: ConnectionOrigin = 'peer'): HandshakeContext {
    this.counter += 1;
    return {
      conn: `${role === 'dialer' ? 'out' : 'in'}-${this.counter}`,
      role,
      origin,
      ...(this.deps.observe ? { observe: this.deps.observe } : {}),
      emit: this.deps.emit,
      slots: this.deps.slots,
      revealSecrets: this.deps.revealSecrets,
      handshakeTimeoutMs: this.deps.handshakeMs,
      hooks: composeHooks(this.deps.hooks, this.deps.recorder?.hooks),
      runtime: this.deps.runtime,
    };
  }

  /** Connect and handshake; the listener must present the contact's pin (none: pairing decides). A route's own tuning (the classical comparison's groups) wins. */
  dial(target: HostPort & { tuning?: TlsTuning }, contact: Contact | null, ctx = this.context('dialer', contact ? 'peer' : 'pairing')): Promise<SecuredPeer> {
    return dial(
      { ...ctx, creds: this.deps.identity(), tuning: { ...this.deps.tuning, ...target.tuning } },
      { ...target, expectedPin: contact?.pin ?? null, contactId: contact?.id ?? null, contactName: contact?.name || null },
    );
  }
}
