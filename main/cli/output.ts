/**
 * What the headless peer prints. With --json, stdout carries one JSON object per line and nothing
 * else (scripts and tests rely on it); human text and diagnostics always go to stderr. Human text
 * never reaches the terminal raw: a peer's words may carry escape sequences that clear the screen,
 * retitle the window or forge a line, so every control character is written as its code. --json
 * stays exact (JSON escapes controls itself, and scripts need the real characters).
 */
import type { LockstepEvent } from '../../shared/events';

/**
 * C0 and C1 controls (ESC and CSI start every ANSI sequence, so escaping them disarms the whole
 * sequence), DEL, and the bidirectional overrides and isolates that reorder what follows.
 */
// eslint-disable-next-line no-control-regex
const TERMINAL_UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]/gu;
const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Text made safe for a terminal: each control as `\xHH`, `\n`, `\u202e`…; line breaks kept only if asked. */
export function terminalText(text: string, { keepNewlines = false } = {}): string {
  return text.replace(TERMINAL_UNSAFE, (c) => {
    if (c === '\n' && keepNewlines) return c;
    const code = c.codePointAt(0)!;
    return NAMED[c] ?? (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
}

export type CliRecord =
  | { type: 'identity'; name: string; pin: string; fingerprint: string; profileDir: string }
  | { type: 'ready'; name: string; pin: string; fingerprint: string; host: string; port: number }
  | { type: 'connected'; conn: string; peer: { name: string; pin: string }; target: boolean; group: string | null; postQuantum: boolean }
  | { type: 'target'; contactId: string; name: string; pin: string }
  | { type: 'request'; requestId: string; claimedName: string; pin: string }
  | { type: 'paired'; pin: string }
  | { type: 'queued'; id: string; to: string }
  | { type: 'message'; id: string; from: string; text: string; at: string }
  | { type: 'delivered'; id: string }
  | {
      type: 'history';
      contact: { id: string; name: string; pin: string };
      id: string;
      direction: 'in' | 'out';
      state: string;
      text: string;
      sentAt: string;
      receivedAt: string | null;
      deliveredAt: string | null;
      problem: string | null;
    }
  | { type: 'error'; code: string; message: string }
  | { type: 'closed'; conn: string | null; by: string; reason: string; code: string | null };

export class Output {
  constructor(private readonly json: boolean) {}

  record(record: CliRecord, human?: string): void {
    if (this.json) process.stdout.write(`${JSON.stringify(record)}\n`);
    else if (human !== undefined) this.say(human);
  }

  /** Received message text: stdout in human mode (it is the product), one line per message; a record in JSON mode. */
  message(record: Extract<CliRecord, { type: 'message' }>): void {
    if (this.json) this.record(record);
    else process.stdout.write(`${terminalText(record.from)}: ${terminalText(record.text)}\n`);
  }

  /**
   * A stored message (`history`). The listing is what the user asked for, so it goes to stdout in
   * human mode as well, one line per message: a newline in a peer's text stays escaped, or it could
   * forge a line that reads as another contact's message.
   */
  history(record: Extract<CliRecord, { type: 'history' }>, line: string): void {
    if (this.json) this.record(record);
    else process.stdout.write(`${terminalText(line)}\n`);
  }

  event(event: LockstepEvent): void {
    if (this.json) process.stdout.write(`${JSON.stringify({ type: 'event', ...event })}\n`);
  }

  /** Our own sentences may span lines; anything else a control character could do is escaped. */
  say(text: string): void {
    process.stderr.write(`${terminalText(text, { keepNewlines: true })}\n`);
  }

  error(code: string, message: string): void {
    this.record({ type: 'error', code, message }, `error ${code}: ${message}`);
  }
}
