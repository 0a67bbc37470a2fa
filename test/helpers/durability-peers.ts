/**
 * Helpers for the durability suite (test/durability): signalling headless peers (SIGSTOP to hold
 * back acks, SIGKILL to crash), fixed free ports a listener can be restarted on, and reading a
 * profile's history back with `history --json` once its process is gone.
 */
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';

import type { MessageView } from '../../shared/views';
import { type CliPeer, type CliRecord, is, type Peers, ROOT, TSX_PEER } from './cli-peer';

/** Waits in this suite cover a restart under load plus a reconnection backoff of up to ~40 s. */
export const RECONNECT_WAIT_MS = 90_000;

/** Send a signal to a peer's process (the peer runs as one Node process: no wrapper in between). */
export function signal(peer: CliPeer, sig: NodeJS.Signals): void {
  if (!peer.pid) throw new Error(`${peer.label} has no pid (it failed to start)`);
  if (peer.exitStatus) throw new Error(`${peer.label} has already exited; cannot send ${sig}`);
  process.kill(peer.pid, sig);
}

/** SIGKILL the peer and wait until it is gone (kill -9: no bye, no drain, no cleanup). */
export async function crash(peer: CliPeer): Promise<void> {
  signal(peer, 'SIGKILL');
  const exit = await peer.waitExit('die after SIGKILL', 10_000);
  if (exit.signal !== 'SIGKILL') throw new Error(`${peer.label} ended with ${JSON.stringify(exit)}, not SIGKILL`);
}

/** A TCP port that was free a moment ago on `host` (for a listener that must come back on the same port). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, host, () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * Every message of every conversation in a profile, oldest first, as the headless peer's
 * `history --json` prints it (run once the profile's own process is gone): what was *stored*,
 * counted through the command a user has, not only what was printed while running.
 */
export function storedMessages(profileDir: string): Array<MessageView & { contactName: string }> {
  const [cmd, ...pre] = TSX_PEER;
  const run = spawnSync(cmd!, [...pre, 'history', '--json', '--profile-dir', profileDir], { cwd: ROOT, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`history --json failed (${run.status ?? run.signal}):\n${run.stderr}`);
  return run.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as CliRecord)
    .filter((r) => r.type === 'history')
    .map((r) => {
      const contact = r.contact as { id: string; name: string };
      return {
        id: String(r.id),
        contactId: contact.id,
        direction: r.direction as MessageView['direction'],
        text: String(r.text),
        sentAt: String(r.sentAt),
        receivedAt: (r.receivedAt as string | null) ?? null,
        deliveredAt: (r.deliveredAt as string | null) ?? null,
        state: r.state as MessageView['state'],
        problem: (r.problem as string | null) ?? null,
        contactName: contact.name,
      };
    });
}

/** The `message` records a peer printed, as `{ id, text }`. */
export function messageRecords(...peers: CliPeer[]): Array<{ id: string; text: string }> {
  return peers.flatMap((p) => p.ofType('message').map((r: CliRecord) => ({ id: String(r.id), text: String(r.text) })));
}

/** Wait until `peer` has printed a "delivered" record for every one of `ids`. */
export async function allDelivered(peer: CliPeer, ids: string[], what: string, timeoutMs: number): Promise<void> {
  const missing = () => ids.filter((id) => !peer.ofType('delivered').some((r) => r.id === id));
  await peer.next((r) => r.type === 'delivered' && missing().length === 0, `${what} (missing: ${missing().length})`, timeoutMs);
}

/** Ids that occur more than once. */
export function duplicates(ids: readonly string[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const id of ids) (seen.has(id) ? dup : seen).add(id);
  return [...dup];
}

/** Start `listen --accept-new` on a fixed host and port and wait for its `ready` record. */
export async function listenOn(
  peers: Peers,
  options: { profileDir: string; name: string; host?: string; port: number; label?: string; command?: string[] },
): Promise<{ peer: CliPeer; pin: string; address: string }> {
  const host = options.host ?? '127.0.0.1';
  const peer = peers.spawn(
    ['listen', '--host', host, '--port', String(options.port), '--accept-new', '--json', '--profile-dir', options.profileDir, '--name', options.name],
    { label: options.label ?? options.name, ...(options.command ? { command: options.command } : {}) },
  );
  const ready = await peer.next(is.type('ready'), `${peer.label}'s "ready" record`);
  if (ready.port !== options.port) throw new Error(`${peer.label} listens on ${String(ready.port)}, not ${options.port}`);
  return { peer, pin: String(ready.pin), address: `${host}:${options.port}` };
}
