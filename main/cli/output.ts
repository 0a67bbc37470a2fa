/**
 * What the headless peer prints. With --json, stdout carries one JSON object per line and nothing
 * else (scripts and tests rely on it); human text and diagnostics always go to stderr.
 */
import type { LockstepEvent } from '../../shared/events';

export type CliRecord =
  | { type: 'identity'; name: string; pin: string; fingerprint: string; profileDir: string }
  | { type: 'ready'; name: string; pin: string; fingerprint: string; host: string; port: number }
  | { type: 'connected'; conn: string; peer: { name: string; pin: string }; target: boolean }
  | { type: 'target'; contactId: string; name: string; pin: string }
  | { type: 'request'; requestId: string; claimedName: string; pin: string }
  | { type: 'paired'; pin: string }
  | { type: 'queued'; id: string; to: string }
  | { type: 'message'; id: string; from: string; text: string; at: string }
  | { type: 'delivered'; id: string }
  | { type: 'error'; code: string; message: string }
  | { type: 'closed'; conn: string | null; by: string; reason: string; code: string | null };

export class Output {
  constructor(private readonly json: boolean) {}

  record(record: CliRecord, human?: string): void {
    if (this.json) process.stdout.write(`${JSON.stringify(record)}\n`);
    else if (human !== undefined) this.say(human);
  }

  /** Received message text: stdout in human mode (it is the product), a record in JSON mode. */
  message(record: Extract<CliRecord, { type: 'message' }>): void {
    if (this.json) this.record(record);
    else process.stdout.write(`${record.from}: ${record.text}\n`);
  }

  event(event: LockstepEvent): void {
    if (this.json) process.stdout.write(`${JSON.stringify({ type: 'event', ...event })}\n`);
  }

  say(text: string): void {
    process.stderr.write(`${text}\n`);
  }

  error(code: string, message: string): void {
    this.record({ type: 'error', code, message }, `error ${code}: ${message}`);
  }
}
