/**
 * The stage every browser story needs: a lab of engines for peers no window drives, and the
 * desktop apps opened during the file — each closed (quit, as a person quits) after the last test.
 */
import { afterAll, beforeAll } from 'vitest';

import type { ContactView } from '../../../shared/views';

import { EngineLab } from './engines';
import { closePeer, openPeer, type Peer, type PeerOptions, type PeerSetup } from './peer';
import { appBuild } from './stand-in';

export interface Stage {
  readonly lab: EngineLab;
  readonly setup: PeerSetup;
  /** Start a desktop app for a peer; it is quit after the file's tests. */
  peer(label: string, options?: PeerOptions): Promise<Peer>;
  /** Quit a peer's app now (its home folder goes too, unless kept for a restart). */
  close(peer: Peer, options?: { keepHome?: boolean }): Promise<void>;
}

export function useStage(): Stage {
  let lab: EngineLab | undefined;
  const peers: Peer[] = [];

  beforeAll(async () => {
    await appBuild();
    lab = new EngineLab();
  });

  afterAll(async () => {
    for (const peer of peers) await closePeer(peer);
    await lab?.cleanup();
    (await appBuild()).remove();
  });

  const stage: Stage = {
    get lab() {
      if (!lab) throw new Error('the e2e stage has no engine lab: beforeAll did not run');
      return lab;
    },
    get setup() {
      return { lab: stage.lab };
    },
    async peer(label, options = {}) {
      const p = await openPeer(label, options);
      peers.push(p);
      return p;
    },
    async close(peer, options = {}) {
      const at = peers.indexOf(peer);
      if (at >= 0) peers.splice(at, 1);
      await peer.app.close(options);
    },
  };
  return stage;
}

/** The value of an envelope, or a failure that quotes the envelope's error. */
export function valueOf<T>(result: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!result.ok) throw new Error(`the engine answered ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** The app's own renderer on the stage view (the hash the renderer routes by). */
export const STAGE_URL = 'app://lockstep/index.html#view=stage';

/**
 * First contact as the demo does it: each side pins the other's invite through its own app.
 * Returns the listener as the dialer's contact, ready to dial.
 */
export async function pinEachOther(dialer: Pick<Peer, 'call'>, listener: Pick<Peer, 'call'>): Promise<ContactView> {
  const listenerInvite = valueOf(await listener.call('getNetwork', {})).invite!;
  const dialerInvite = valueOf(await dialer.call('getNetwork', {})).invite!;
  const contact = valueOf(await dialer.call('addContactFromInvite', { invite: listenerInvite })) as ContactView;
  valueOf(await listener.call('addContactFromInvite', { invite: dialerInvite }));
  return contact;
}
