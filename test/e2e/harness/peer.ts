/**
 * One person at one desktop: the Lockstep app (the built main process under the stand-in) in a
 * home folder and profile of its own, listening on a port the harness picked, and the page of
 * its window. Everything else — engine options, the window, IPC — is the shell's own doing.
 */
import type { Page } from 'playwright-core';

import { type ArgOf, type ChannelName, type ResultOf } from '../../../shared/ipc-contract';
import type { IdentityView, Result } from '../../../shared/views';
import { watchPage, type PageProblems } from './browser';
import { callFrom, DesktopApp, freePort } from './desktop-app';
import type { EngineLab, EventRecorder } from './engines';
import { completeFirstRun, waitForText } from './ui';

export interface Peer {
  label: string;
  app: DesktopApp;
  page: Page;
  /** The window's webContents id, as main knows it. */
  contentsId: number;
  port: number;
  problems: PageProblems;
  /** Every event main sent to the window, and the backlog the window could ask for. */
  events: EventRecorder;
  /** What the app put on the clipboard, oldest first. */
  copied: string[];
  /** One contract call from the window, through the preload and main's sender check. */
  call<K extends ChannelName>(name: K, arg: ArgOf<K>): Promise<Result<ResultOf<K>>>;
  identity(): Promise<IdentityView>;
  /** Reload the window's page, as main's webContents.reload() would (the page itself cannot navigate). */
  reload(): Promise<void>;
  /** Load one of the app's pages (`app://lockstep/index.html#view=stage`), as main's loadURL would. */
  load(url: string): Promise<void>;
}

export interface PeerSetup {
  /** Engines in the test process for peers no window drives (Mallory, a replaced Bob). */
  lab: EngineLab;
}

export interface PeerOptions {
  /** Pick this display name on the first-run screen before handing the peer over. */
  identity?: string;
  /** More flags (`--demo`). */
  args?: string[];
  /** Listen here instead of a fresh free port. */
  port?: number;
  /** Profile name (default: made from the label). */
  profile?: string;
  /** The home folder (default: a fresh one): the same home and profile is the same person starting the app again. */
  home?: string;
}

/** "Alice (impostor drill)" → "alice-impostor-drill": a valid --profile name. */
export function profileName(label: string): string {
  return label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 32) || 'peer';
}

/** Start the app for `label`, wait for its window, optionally complete the first run. */
export async function openPeer(label: string, options: PeerOptions = {}): Promise<Peer> {
  const port = options.port ?? (await freePort());
  const app = await DesktopApp.launch({ label, home: options.home, args: ['--profile', options.profile ?? profileName(label), '--port', String(port), ...(options.args ?? [])] });
  return peerOf(app, label, port, options);
}

/** The peer for an app already started (the demo's two windows). */
export async function peerOf(app: DesktopApp, label: string, port: number, options: Pick<PeerOptions, 'identity'> = {}): Promise<Peer> {
  const { page, contentsId } = await app.window();
  const problems = watchPage(page, label);
  const call = <K extends ChannelName>(name: K, arg: ArgOf<K>) => callFrom(page, name, arg);
  const peer: Peer = {
    label,
    app,
    page,
    contentsId,
    port,
    problems,
    events: app.events,
    copied: app.copied,
    call,
    reload: () => app.reload({ page, contentsId }),
    load: (url) => app.loadURL({ page, contentsId }, url),
    identity: async () => {
      const result = await call('getIdentity', {});
      if (!result.ok || !result.value) throw new Error(`${label} has no identity: ${JSON.stringify(result)}`);
      return result.value;
    },
  };
  const backlog = await call('getEventBacklog', {});
  if (backlog.ok) app.events.add(backlog.value);
  if (options.identity) await completeFirstRun(page, options.identity);
  return peer;
}

export async function closePeer(peer: Peer): Promise<void> {
  await peer.app.close();
}

/** Click the contact in the sidebar; wait for its chat and its closed lock. */
export async function openChat(peer: Peer, name: string): Promise<void> {
  await peer.page.getByRole('navigation', { name: 'Contacts' }).getByRole('button', { name: new RegExp(`^${name}\\b`) }).click();
  await peer.page.getByRole('heading', { name, exact: true }).waitFor();
  await waitForText(peer.page.getByRole('button', { name: /^TLS/ }), (t) => t.includes('pinned'), `the lock badge of ${name}'s chat`);
}
