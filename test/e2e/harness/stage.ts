/**
 * The stage every browser story needs: the built renderer served over http, one Chromium, a lab
 * of real engines, and the peers opened during the file — all started before the first test and
 * closed after the last.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

import { launchChromium } from './browser';
import { EngineLab } from './engines';
import { closePeer, openPeer, type Peer, type PeerSetup } from './peer';
import { type RendererServer, serveRenderer } from './static-server';

export interface Stage {
  readonly server: RendererServer;
  readonly browser: Browser;
  readonly lab: EngineLab;
  readonly setup: PeerSetup;
  /** Open a peer (a page bound to an engine) that is closed after the file's tests. */
  peer(label: string, options?: Parameters<typeof openPeer>[2]): Promise<Peer>;
}

export function useStage(): Stage {
  let server: RendererServer | undefined;
  let browser: Browser | undefined;
  let lab: EngineLab | undefined;
  const peers: Peer[] = [];
  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`the e2e stage has no ${what}: beforeAll did not run`);
    return value;
  };

  beforeAll(async () => {
    server = await serveRenderer();
    browser = await launchChromium();
    lab = new EngineLab();
  });

  afterAll(async () => {
    for (const peer of peers) await closePeer(peer);
    await browser?.close();
    await lab?.cleanup();
    await server?.close();
  });

  const stage: Stage = {
    get server() {
      return need(server, 'renderer server');
    },
    get browser() {
      return need(browser, 'browser');
    },
    get lab() {
      return need(lab, 'engine lab');
    },
    get setup() {
      return { browser: stage.browser, lab: stage.lab, url: stage.server.url };
    },
    async peer(label, options = {}) {
      const p = await openPeer(stage.setup, label, options);
      peers.push(p);
      return p;
    },
  };
  return stage;
}

/** The value of an envelope, or a failure that quotes the envelope's error. */
export function valueOf<T>(result: { ok: true; value: T } | { ok: false; error: { code: string; message: string } }): T {
  if (!result.ok) throw new Error(`the engine answered ${result.error.code}: ${result.error.message}`);
  return result.value;
}
