/**
 * Throwaway profiles and running engines for tests: each profile is a fresh temp directory
 * (removed by `cleanup`), each peer is a real Messenger on loopback with its event log attached.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { type Messenger, type MessengerOptions, openMessenger } from '../../main/core/messenger/messenger';
import { EventLog } from './events';

export interface Peer {
  m: Messenger;
  log: EventLog;
  dir: string;
  /** `127.0.0.1:PORT` of its listener (throws if it does not listen). */
  address: string;
}

export class Lab {
  private readonly dirs: string[] = [];
  private readonly running = new Set<Messenger>();

  tempDir(prefix = 'lockstep-test-'): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.dirs.push(dir);
    return dir;
  }

  /** Open (or reopen) a profile as a messenger, listening on loopback unless `listen: false`. */
  async open(dir: string, options: Partial<MessengerOptions> = {}): Promise<Peer> {
    const m = await openMessenger({ listen: { host: '127.0.0.1', port: 0 }, ...options, profileDir: dir });
    this.running.add(m);
    const log = new EventLog(m.events);
    return {
      m,
      log,
      dir,
      get address() {
        const port = m.network().port;
        if (!port) throw new Error(`the messenger of ${dir} is not listening`);
        return `127.0.0.1:${port}`;
      },
    };
  }

  /** A new profile with an identity called `name` (listening on loopback unless `listen: false`). */
  async peer(name: string, options: Partial<MessengerOptions> = {}): Promise<Peer> {
    const p = await this.open(this.tempDir(`lockstep-${name.toLowerCase().replace(/\W/g, '')}-`), options);
    await p.m.createIdentity(name);
    return p;
  }

  async close(m: Messenger): Promise<void> {
    if (!this.running.delete(m)) return;
    await m.close();
  }

  async cleanup(): Promise<void> {
    for (const m of [...this.running]) await this.close(m).catch(() => undefined);
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}
