/**
 * One person at one window: a real engine in a temp profile, its own browser context with the
 * engine bound in, and a page on the built renderer.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';

import type { MessengerOptions } from '../../../main/core/messenger/messenger';
import { bindEngine, type EngineBinding } from './bind-engine';
import { newPeerContext, watchPage, type PageProblems } from './browser';
import type { Engine, EngineLab } from './engines';
import { waitForText } from './ui';

export interface Peer {
  label: string;
  engine: Engine;
  context: BrowserContext;
  binding: EngineBinding;
  page: Page;
  problems: PageProblems;
}

export interface PeerSetup {
  browser: Browser;
  lab: EngineLab;
  url: string;
}

/** Open an engine (no identity unless `identity` is given), bind it into a new context, load the app. */
export async function openPeer(
  { browser, lab, url }: PeerSetup,
  label: string,
  options: { identity?: string; engine?: Partial<MessengerOptions> } = {},
): Promise<Peer> {
  const engine = options.identity ? await lab.withIdentity(options.identity, options.engine) : await lab.open(label, options.engine);
  const context = await newPeerContext(browser);
  const binding = await bindEngine(context, engine.messenger);
  const page = await context.newPage();
  const problems = watchPage(page, label);
  await page.goto(url);
  return { label, engine, context, binding, page, problems };
}

export async function closePeer(peer: Peer): Promise<void> {
  peer.binding.stop();
  await peer.context.close().catch(() => undefined);
}

/** Click the contact in the sidebar; wait for its chat and its closed lock. */
export async function openChat(peer: Peer, name: string): Promise<void> {
  await peer.page.getByRole('navigation', { name: 'Contacts' }).getByRole('button', { name: new RegExp(`^${name}\\b`) }).click();
  await peer.page.getByRole('heading', { name, exact: true }).waitFor();
  await waitForText(peer.page.getByRole('button', { name: /^TLS/ }), (t) => t.includes('pinned'), `the lock badge of ${name}'s chat`);
}

