/**
 * `app.requestSingleInstanceLock` as Electron does it: per userData directory. The first instance
 * holds a lock file (its pid) and listens on a Unix socket beside it; a second instance on the
 * same userData gets `false` and hands its argv and cwd over the socket, which the first emits as
 * `second-instance` — the way a clicked invite link reaches the running app on Linux and Windows.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';

export interface Handover {
  argv: string[];
  cwd: string;
}

export class SingleInstance {
  private server: Server | null = null;
  private readonly lockFile: string;
  private readonly socket: string;

  constructor(userData: string) {
    this.lockFile = join(userData, 'lockstep-stand-in.lock');
    // Short: a Unix socket path has room for about a hundred bytes.
    this.socket = join(userData, 'si.sock');
  }

  /** Take the lock (true), or find it held by a live process (false). */
  acquire(onSecond: (handover: Handover) => void): boolean {
    try {
      writeFileSync(this.lockFile, String(process.pid), { flag: 'wx' });
    } catch {
      const holder = Number(readFileSync(this.lockFile, 'utf8'));
      if (holder > 0 && holder !== process.pid && alive(holder)) return false;
      writeFileSync(this.lockFile, String(process.pid));
    }
    rmSync(this.socket, { force: true });
    this.server = createServer((conn) => {
      let text = '';
      conn.on('data', (chunk) => (text += chunk.toString()));
      conn.on('end', () => {
        try {
          onSecond(JSON.parse(text) as Handover);
        } catch {
          // not a handover: ignored, as Chromium ignores garbage on its singleton socket
        }
      });
    });
    this.server.listen(this.socket);
    this.server.unref();
    return true;
  }

  /** As the second instance: give the first our argv. Resolves when sent (or when nobody listens). */
  handOver(handover: Handover): Promise<void> {
    return new Promise((resolve) => {
      const conn = connect(this.socket, () => conn.end(JSON.stringify(handover)));
      conn.on('close', () => resolve());
      conn.on('error', () => resolve());
    });
  }

  release(): void {
    this.server?.close();
    if (this.server) {
      rmSync(this.lockFile, { force: true });
      rmSync(this.socket, { force: true });
    }
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
