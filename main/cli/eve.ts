/**
 * `lockstep eve`: Eve as a process of her own, between two headless peers (or two desktops).
 * `--json` prints a `ready` record (where to point the dialer) and then every event of hers, as
 * the peer does; people get her story on stderr. She runs until interrupted (SIGINT/SIGTERM).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { LockstepEvent, Withheld } from '../../shared/events';
import { createEve } from '../core/eve/eve';
import { EventBus } from '../core/events/event-bus';
import { createIdentity, type Identity, loadIdentity } from '../core/identity/identity';
import { parseAddress } from '../core/net/address';
import type { CliArgs } from './args';
import type { Output } from './output';

/** Records of Eve, the drill command and the capture (beside the peer's own, in output.ts). */
export type ExtraRecord =
  | { type: 'ready'; role: 'eve'; name: string; mode: string; host: string; port: number; forward: string; pin: string | null; fingerprint: string | null }
  | { type: 'verdict'; drill: string; outcome: string; reason: string }
  | { type: 'capture'; conn: string; pcap: string; keys: string | null; truncated: boolean; keysWithheld?: Withheld };

/** One record: a JSON line on stdout with --json, the human text on stderr otherwise. */
export function printRecord(out: Output, json: boolean, record: ExtraRecord, human: string): void {
  if (json) process.stdout.write(`${JSON.stringify(record)}\n`);
  else out.say(human);
}

/** Her own identity: the profile's if given (created on first use), else a throwaway one. */
async function eveIdentity(args: CliArgs): Promise<{ identity: Identity; cleanup: () => void }> {
  if (args.profileDir) {
    const identity = loadIdentity(args.profileDir) ?? (await createIdentity(args.profileDir, args.name ?? 'Eve'));
    return { identity, cleanup: () => undefined };
  }
  const dir = mkdtempSync(join(tmpdir(), 'lockstep-eve-'));
  const identity = await createIdentity(dir, args.name ?? 'Eve');
  return { identity, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** What people read on stderr: Eve's actions and verdicts, TCP, and TLS trouble. */
function tell(out: Output, e: LockstepEvent): void {
  if (e.kind === 'drill.eve' || e.kind === 'drill.verdict' || e.layer === 'tcp' || e.kind === 'tls.error' || e.kind === 'tls.secure' || e.kind === 'tls.hello') {
    out.say(e.kind === 'drill.verdict' ? `VERDICT (${e.detail.drill}, ${e.detail.outcome}): ${e.summary}` : e.summary);
  }
}

export async function runEve(args: CliArgs, out: Output): Promise<number> {
  const forward = parseAddress(args.forward!);
  const { identity, cleanup } = await eveIdentity(args);
  const bus = new EventBus();
  bus.subscribe((e) => {
    out.event(e);
    tell(out, e);
  });
  const eve = await createEve({
    listen: { host: args.host, port: args.listenPort! },
    forward,
    mode: args.mode!,
    emit: (e) => bus.emit(e),
    identity,
  });
  const { address, port } = eve.address;
  printRecord(
    out,
    args.json,
    { type: 'ready', role: 'eve', name: identity.name, mode: eve.mode, host: address, port, forward: args.forward!, pin: identity.pin, fingerprint: identity.fingerprint },
    `Eve (${eve.mode}) listening on ${address}:${port}, forwarding to ${args.forward}\nher own pin: ${identity.pin}\npoint the dialer at this port, with the listener's pin`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await eve.close();
  // Let the closing connections report their verdicts before the process goes.
  await new Promise((r) => setTimeout(r, 50));
  cleanup();
  return 0;
}
